"""INSEE « Code officiel géographique » communes file → commune → canton, after communes merge."""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, Parsed, Report, commune_code, departement_code, header_line, read_csv,
)

KIND = "cog"
LABEL = "INSEE, Code officiel géographique (communes)"
REQUIRED = ["TYPECOM", "COM", "DEP", "CAN"]


def detect(head: bytes, name: str) -> bool:
    first = header_line(head).upper()
    return first.startswith("TYPECOM") or ("TYPECOM" in first and "COMPARENT" in first)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=REQUIRED)
    report = Report(KIND, file, rows_read=len(frame))
    frame["COM"] = frame["COM"].map(commune_code)
    ours = frame[(frame["TYPECOM"] == "COM") & (frame["DEP"].map(departement_code) == ctx.departement)]
    if ours.empty:
        raise ImportRejected(file, f"aucune commune du département {ctx.departement} (lignes TYPECOM = COM).")
    known_areas = set(ctx.areas["code"])
    unknown = ours[~ours["CAN"].isin(known_areas)]
    if len(unknown):
        line = int(unknown.index[0])
        raise ImportRejected(file, f"« {unknown.iloc[0]['CAN']} » n'est pas un code de canton du département "
                                   f"({ctx.area_range()})", line=line, column="CAN")
    current = ctx.canton_of_commune()
    mapping = pd.DataFrame({"commune_code": ours["COM"], "canton_code": ours["CAN"]}).reset_index(drop=True)
    changes = mapping[mapping["commune_code"].map(current) != mapping["canton_code"]]
    absent = changes[~changes["commune_code"].isin(current)]
    changes = changes[changes["commune_code"].isin(current)]
    report.rows_kept = len(mapping)
    report.rows_rejected = report.rows_read - report.rows_kept
    others = int(frame["TYPECOM"].isin(["COMD", "COMA", "ARM"]).sum())
    report.notes.append(f"{len(changes)} commune(s) changent de canton ; {others} commune(s) déléguée(s), associée(s) "
                        "ou arrondissement(s) (COMD/COMA/ARM) suivent leur commune de rattachement.")
    if len(absent):
        report.notes.append(f"{len(absent)} commune(s) inconnue(s) de la géographie de référence "
                            f"({', '.join(absent['commune_code'][:10])}) : relancez « python -m observatory geo ».")
    return Parsed(KIND, {"commune_canton": changes.reset_index(drop=True)}, report, publisher="INSEE",
                  title="Code officiel géographique, communes", licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.insee.fr/fr/information/2560452")
