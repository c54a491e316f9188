"""INSEE municipal populations of every commune, one column a year (`p13_pop` … `p21_pop`), as
redistributed with each commune's canton: the real population series of each canton."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, commune_code, header_line, read_csv

KIND = "population_communes"
LABEL = "INSEE, populations municipales par commune (série annuelle)"
YEAR_COLUMN = re.compile(r"^p(\d{2})_pop$")


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "codgeo" in first and bool(re.search(r"\bp\d{2}_pop\b", first))


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=["codgeo"])
    years = {c: 2000 + int(YEAR_COLUMN.match(c).group(1)) for c in frame.columns if YEAR_COLUMN.match(c)}
    if not years:
        raise ImportRejected(file, "aucune colonne de population annuelle (p13_pop, p14_pop…).")
    report = Report(KIND, file, rows_read=len(frame))
    frame["codgeo"] = frame["codgeo"].map(commune_code)
    known = set(ctx.communes["code"])
    ours = frame[frame["codgeo"].isin(known)]
    if ours.empty:
        raise NothingForTerritory(file, "aucune commune du territoire de la base dans ce fichier.")
    for column in years:  # an empty cell: no figure that year (a commune created or merged since)
        text = ours[column].str.strip()
        bad = ours[(text != "") & ~text.str.fullmatch(r"\d{1,8}")]
        if len(bad):
            raise ImportRejected(file, f"« {bad.iloc[0][column]} » n'est pas un nombre d'habitants",
                                 line=int(bad.index[0]), column=column)
    table = ours.melt(id_vars=["codgeo"], value_vars=list(years), var_name="column", value_name="population")
    table = table[table["population"].str.strip() != ""]
    table = pd.DataFrame({"year": table["column"].map(years), "commune_code": table["codgeo"],
                          "population": table["population"].astype(int)})
    table = table.drop_duplicates(["year", "commune_code"], keep="last")
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} commune(s) hors du territoire de la base laissée(s) de côté.")
    missing = sorted(known - set(ours["codgeo"]))
    if missing:
        report.notes.append(f"{len(missing)} commune(s) de la base absente(s) du fichier (communes nouvelles ?) : "
                            f"{', '.join(missing[:10])}.")
    first, last = min(years.values()), max(years.values())
    return Parsed(KIND, {"commune_population": table}, report, publisher="INSEE",
                  title=f"Populations municipales {first}-{last}", licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.insee.fr/fr/statistiques")
