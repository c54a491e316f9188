"""Apprenticeship contracts by département (DARES, as published in the « Baromètre des résultats
de l'action publique » CSV): a département-wide figure, all sectors, kept apart from the cantons."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, read_csv

KIND = "apprentissage"
LABEL = "DARES, contrats d'apprentissage (baromètre des résultats)"
INDICATOR = "nombre-contrats-apprentissage"


def detect(head: bytes, name: str) -> bool:
    return b"id_indicateur" in head[:2000] and b"code_departement" in head[:2000]


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=["id_indicateur", "code_departement", "date", "valeur"])
    report = Report(KIND, file, rows_read=len(frame))
    indicator = frame[frame["id_indicateur"] == INDICATOR]
    rows = indicator[indicator["code_departement"].map(departement_code).isin(ctx.departements)]
    if rows.empty:
        raise NothingForTerritory(file, f"aucune ligne « {INDICATOR} » pour le(s) département(s) de la base "
                                   f"({', '.join(sorted(ctx.departements)[:5])}).")
    out = []
    for line, row in rows.iterrows():
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"].strip()):
            raise ImportRejected(file, f"date « {row['date']} » illisible (attendu AAAA-MM-JJ)", line=line, column="date")
        try:
            value = float(row["valeur"].replace(",", "."))
        except ValueError:
            raise ImportRejected(file, f"« {row['valeur']} » n'est pas un nombre", line=line, column="valeur") from None
        if value < 0 or value > 10_000_000 or not value.is_integer():
            raise ImportRejected(file, f"« {row['valeur']} » n'est pas un nombre de contrats plausible", line=line, column="valeur")
        out.append({"departement_code": departement_code(row["code_departement"]), "year": int(row["date"][:4]), "indicator": "apprenticeship_contracts", "value": value,
                    "period_end": row["date"].strip(), "partial": not row["date"].strip().endswith("-12-31")})
    table = pd.DataFrame(out).drop_duplicates(["departement_code", "year", "indicator"], keep="last")
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    if len(indicator) > len(rows):
        report.notes.append(f"{len(indicator) - len(rows)} ligne(s) d'autres départements laissée(s) de côté.")
    report.notes.append("Chiffre départemental, tous secteurs confondus (DARES) : il n'est ni par canton ni par métier.")
    partial = table[table["partial"]]
    if len(partial):
        report.notes.append(f"Année(s) incomplète(s) : {', '.join(f'{r.year} (au {r.period_end})' for r in partial.itertuples())}.")
    return Parsed(KIND, {"departement_context": table}, report, publisher="DARES (via le baromètre de l'action publique, DITP)",
                  title="Nombre de contrats d'apprentissage", licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.data.gouv.fr/fr/datasets/barometre-des-resultats-de-laction-publique/")
