"""URSSAF's employer establishments and salaried jobs by commune × APE code, one pair of columns a
year (« Nombre d'établissements 2006 », « Effectifs salariés 2006 » … 2022), as open.urssaf.fr
publishes it. Kept: the health and social-work codes (8610Z hospitals, 87 residential care, 88
social work without accommodation) of the database's communes. Private employers only (régime
général): public hospitals and public care homes are not in it. An empty cell: no establishment."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, commune_code, integer, header_line, read_csv,
)

KIND = "urssaf"
LABEL = "URSSAF, établissements et effectifs salariés par commune et code APE"
COLUMNS = ["Code commune", "Code APE"]
JOBS = re.compile(r"^Effectifs salariés (\d{4})$")
ESTABLISHMENTS = "Nombre d'établissements {year}"


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return all(c in first for c in COLUMNS) and "Effectifs salariés 20" in first


def in_sector(ape: str) -> bool:
    """8610Z, or a code from 8710A to 8899B (residential care and social work)."""
    return ape == "8610Z" or bool(re.fullmatch(r"8[78]\d{2}[A-Z]", ape))


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    years = {int(m.group(1)): column for column in frame.columns if (m := JOBS.match(column))}
    if not years:
        raise ImportRejected(file, "aucune colonne « Effectifs salariés » suivie d'une année (2006 à 2022…).")
    missing = [ESTABLISHMENTS.format(year=y) for y in years if ESTABLISHMENTS.format(year=y) not in frame.columns]
    if missing:
        raise ImportRejected(file, f"colonne(s) manquante(s) : {', '.join(missing[:3])}")
    report = Report(KIND, file, rows_read=len(frame))
    frame["commune"] = frame["Code commune"].map(commune_code)
    frame["ape"] = frame["Code APE"].str.strip().str.upper()
    known = set(ctx.communes["code"])
    sector = frame[frame["ape"].map(in_sector)]
    ours = sector[sector["commune"].isin(known)]
    if ours.empty:
        raise NothingForTerritory(file, "aucune commune du territoire de la base avec un établissement sanitaire ou "
                                        "social (codes APE 8610Z, 87 et 88) dans ce fichier.")
    rows = []
    for year, column in sorted(years.items()):
        places = ESTABLISHMENTS.format(year=year)
        for line, row in ours.iterrows():
            jobs = integer(row[column], file, int(line), column)
            establishments = integer(row[places], file, int(line), places)
            if jobs is None and establishments is None:
                continue  # no establishment that year
            rows.append((year, row["commune"], row["ape"], establishments or 0, jobs or 0))
    table = pd.DataFrame(rows, columns=["year", "commune_code", "ape", "establishments", "jobs"])
    table.insert(1, "departement_code", table["commune_code"].map(ctx.departement_of_commune()))
    duplicated = table.duplicated(["year", "commune_code", "ape"])
    if duplicated.any():
        first = table[duplicated].iloc[0]
        raise ImportRejected(file, f"la commune {first['commune_code']} a deux lignes pour le code APE {first['ape']}")
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{len(sector) - len(ours)} ligne(s) d'autres communes et {len(frame) - len(sector)} "
                        "d'autres secteurs laissées de côté ; secteur privé seulement (régime général).")
    first, last = min(years), max(years)
    return Parsed(KIND, {"sector_jobs": table}, report, publisher="URSSAF",
                  title=f"Établissements employeurs et effectifs salariés par commune et code APE, {first}-{last}",
                  licence="Licence Ouverte / Etalab 2.0", url="https://open.urssaf.fr/")
