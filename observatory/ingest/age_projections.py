"""Projected population aged 60-74 and 75 and over, per département and year to 2050 (DREES,
central scenario of INSEE's Omphale projections, as used by DREES's LIVIA model). Published wide:
one row per département, sex and age band, one column per year; both sexes are added up.

A projection, never a measure: the page that shows it says so at every figure."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, header_line, integer, read_csv,
)

KIND = "projection_ages"
LABEL = "DREES, projection des personnes âgées (60-74 ans, 75 ans et plus) par département"
BANDS = {"Group 1: 60-75": "60-74", "Group 2: 75+": "75+"}
COLUMNS = ["ZONE", "DEPNUM", "SEXE", "FormulaCol2"]
SCENARIO = "scénario central"


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return first.startswith("ZONE;DEPNUM;") and "FormulaCol2" in first


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    years = [c for c in frame.columns if re.fullmatch(r"20\d{2}", c)]
    if not years:
        raise ImportRejected(file, "aucune colonne d'année (« 2018 », « 2030 »…).")
    unknown = frame[~frame["FormulaCol2"].isin(BANDS)]
    if len(unknown):
        raise ImportRejected(file, f"tranche d'âge « {unknown.iloc[0]['FormulaCol2']} » inconnue (attendu : "
                                   f"{', '.join(BANDS)})", line=int(unknown.index[0]), column="FormulaCol2")
    bad_sex = frame[~frame["SEXE"].str.strip().isin(["1", "2"])]
    if len(bad_sex):
        raise ImportRejected(file, f"sexe « {bad_sex.iloc[0]['SEXE']} » inconnu (attendu 1 ou 2)",
                             line=int(bad_sex.index[0]), column="SEXE")
    frame["code"] = frame["DEPNUM"].map(departement_code)
    ours = frame[frame["code"].isin(ctx.departements)]
    if ours.empty:
        raise NothingForTerritory(file, "aucune projection pour le(s) département(s) de la base "
                                        f"({', '.join(sorted(ctx.departements)[:5])}).")
    duplicated = ours[ours.duplicated(["code", "SEXE", "FormulaCol2"])]
    if len(duplicated):
        raise ImportRejected(file, f"département {duplicated.iloc[0]['code']} : la même tranche d'âge et le même sexe "
                                   "apparaissent deux fois", line=int(duplicated.index[0]))
    sexes = ours.groupby(["code", "FormulaCol2"])["SEXE"].nunique()
    if (sexes < 2).any():
        code, band = sexes[sexes < 2].index[0]
        raise ImportRejected(file, f"département {code}, tranche « {band} » : il faut une ligne par sexe (1 et 2), "
                                   "sinon la population serait comptée à moitié")
    rows = []
    for line, row in ours.iterrows():
        for year in years:
            value = integer(row[year], file, int(line), year)
            if value is not None:
                rows.append((int(year), row["code"], BANDS[row["FormulaCol2"]], value))
    long = pd.DataFrame(rows, columns=["year", "departement_code", "age_group", "population"])
    table = long.groupby(["year", "departement_code", "age_group"], as_index=False)["population"].sum()
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} ligne(s) d'autres départements laissée(s) de côté.")
    report.notes.append(f"Projection ({SCENARIO}), années {years[0]} à {years[-1]} : ce ne sont pas des mesures.")
    return Parsed(KIND, {"age_projection": table}, report, publisher="DREES",
                  title=f"Projection des personnes âgées par département, {years[0]}-{years[-1]} ({SCENARIO})",
                  licence="non précisée par la copie (la DREES publie sous Licence Ouverte / Etalab 2.0)",
                  url="https://github.com/jeandav/st_viellissement")
