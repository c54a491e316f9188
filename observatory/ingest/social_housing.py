"""SDES's répertoire du parc locatif social (RPLS): the social housing stock of each commune on
1 January, with how much of it is let and vacant. A commune absent from the file has no social
housing; a blank detail cell is secret (the file then gives only the total, `nb_ls`)."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, commune_code, integer, header_line, read_csv,
)

KIND = "logement_social"
LABEL = "SDES, parc locatif social par commune (RPLS)"
COLUMNS = ["DEPCOM_ARM", "nb_loues", "nb_vacants", "nb_ls"]
YEAR_IN_NAME = re.compile(r"(20\d{2})")
# Paris, Lyon and Marseille are listed by arrondissement; the observatory knows the communes.
ARRONDISSEMENTS = (("751", "75056"), ("6938", "69123"), ("132", "13055"))


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return all(c in first for c in COLUMNS)


def stock_year(file: str) -> int:
    """The year of the stock (on 1 January), which RPLS exports carry only in their name."""
    found = YEAR_IN_NAME.findall(file)
    if not found:
        raise ImportRejected(file, "l'année du parc n'est pas dans le nom du fichier : renommez-le avec l'année du "
                                   "1er janvier qu'il décrit (par exemple « parc_logements_sociaux_jan_2024.csv »).")
    return int(found[-1])


def _commune(code: str, known: set[str]) -> str:
    if code in known:
        return code
    for prefix, city in ARRONDISSEMENTS:
        if code.startswith(prefix) and city in known:
            return city
    return code


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    year = stock_year(file)
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    known = set(ctx.communes["code"])
    frame["commune_code"] = frame["DEPCOM_ARM"].map(commune_code).map(lambda c: _commune(c, known))
    ours = frame[frame["commune_code"].isin(known)]
    if ours.empty:
        raise NothingForTerritory(file, "aucune commune du territoire de la base dans ce fichier.")
    counts = {column: [integer(v, file, line, column) for line, v in ours[column].items()]
              for column in ("nb_ls", "nb_loues", "nb_vacants")}
    missing = [line for line, v in zip(ours.index, counts["nb_ls"]) if v is None]
    if missing:
        raise ImportRejected(file, "le nombre total de logements sociaux est vide", line=int(missing[0]), column="nb_ls")
    rows = pd.DataFrame({"commune_code": ours["commune_code"].to_numpy(), "stock": counts["nb_ls"],
                         "let": pd.array(counts["nb_loues"], dtype="Int64"),
                         "vacant": pd.array(counts["nb_vacants"], dtype="Int64")})
    for line, row in zip(ours.index, rows.itertuples()):
        if row.let is not pd.NA and row.vacant is not pd.NA and row.let + row.vacant > row.stock:
            raise ImportRejected(file, f"{row.let} loués et {row.vacant} vacants pour {row.stock} logements en tout",
                                 line=int(line), column="nb_ls")
    # One row per commune (arrondissements added up; a secret detail keeps the sum secret).
    table = rows.groupby("commune_code", as_index=False).agg(
        stock=("stock", "sum"), let=("let", lambda s: s.sum() if s.notna().all() else pd.NA),
        vacant=("vacant", lambda s: s.sum() if s.notna().all() else pd.NA))
    table.insert(0, "year", year)
    table.insert(1, "departement_code", table["commune_code"].map(ctx.departement_of_commune()))
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} commune(s) hors du territoire de la base laissée(s) de côté.")
    secret = int(table["vacant"].isna().sum())
    if secret:
        report.notes.append(f"{secret} commune(s) au détail secret (seul le total est publié).")
    report.notes.append("Une commune absente du fichier n'a pas de logement social.")
    return Parsed(KIND, {"commune_social_housing": table}, report, publisher="SDES (ministère de la Transition écologique)",
                  title=f"Répertoire du parc locatif social (RPLS) au 1er janvier {year}",
                  licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.statistiques.developpement-durable.gouv.fr/")
