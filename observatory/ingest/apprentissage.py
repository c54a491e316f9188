"""Apprenticeship contracts by département (DARES, as published in the « Baromètre des résultats
de l'action publique » CSV): a département-wide figure, all sectors, kept apart from the cantons.

The baromètre comes in two layouts, both accepted:
- « détail » (`date`, `valeur`): one row per date;
- « synthèse » (`valeur_initiale`, `progression_derniere_maj`, `valeur_actuelle` and their dates):
  one row per département, holding the first value, the one at the previous update and the latest.
  `progression_derniere_maj` is a value, not a change: the Landes' 2 326 at 2020-12-31 in the
  synthèse is the détail file's 2 326 at the same date.
"""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, read_csv

KIND = "apprentissage"
LABEL = "DARES, contrats d'apprentissage (baromètre des résultats)"
INDICATOR = "nombre-contrats-apprentissage"
DETAIL = [("date", "valeur")]
SYNTHESIS = [("date_valeur_initiale", "valeur_initiale"), ("progression_derniere_maj_date", "progression_derniere_maj"),
             ("date_valeur_actuelle", "valeur_actuelle")]


def detect(head: bytes, name: str) -> bool:
    return b"id_indicateur" in head[:2000] and b"code_departement" in head[:2000]


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=["id_indicateur", "code_departement"])
    pairs = _layout(frame, file)
    report = Report(KIND, file, rows_read=len(frame))
    indicator = frame[frame["id_indicateur"] == INDICATOR]
    rows = indicator[indicator["code_departement"].map(departement_code).isin(ctx.departements)]
    if rows.empty:
        raise NothingForTerritory(file, f"aucune ligne « {INDICATOR} » pour le(s) département(s) de la base "
                                   f"({', '.join(sorted(ctx.departements)[:5])}).")
    out = []
    for line, row in rows.iterrows():
        for date_column, value_column in pairs:
            day, written = row[date_column].strip(), row[value_column].strip()
            if not day and not written:
                continue  # the synthèse leaves the previous update empty for some indicators
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise ImportRejected(file, f"date « {day} » illisible (attendu AAAA-MM-JJ)", line=line, column=date_column)
            try:
                value = float(written.replace(",", "."))
            except ValueError:
                raise ImportRejected(file, f"« {written} » n'est pas un nombre", line=line, column=value_column) from None
            if value < 0 or value > 10_000_000 or not value.is_integer():
                raise ImportRejected(file, f"« {written} » n'est pas un nombre de contrats plausible", line=line,
                                     column=value_column)
            out.append({"departement_code": departement_code(row["code_departement"]), "year": int(day[:4]),
                        "indicator": "apprenticeship_contracts", "value": value, "period_end": day,
                        "partial": not day.endswith("-12-31")})
    table = (pd.DataFrame(out).sort_values(["departement_code", "period_end"], kind="stable")
             .drop_duplicates(["departement_code", "year", "indicator"], keep="last"))
    report.rows_kept = len(rows)
    report.rows_rejected = report.rows_read - report.rows_kept
    if pairs == SYNTHESIS:
        report.notes.append(f"Fichier « synthèse » : {len(table)} valeur(s) annuelle(s) tirée(s) de la valeur initiale, "
                            "de celle de la mise à jour précédente et de la valeur actuelle.")
    if len(indicator) > len(rows):
        report.notes.append(f"{len(indicator) - len(rows)} ligne(s) d'autres départements laissée(s) de côté.")
    report.notes.append("Chiffre départemental, tous secteurs confondus (DARES) : il n'est ni par canton ni par métier.")
    partial = table[table["partial"]]
    if len(partial):
        report.notes.append(f"Année(s) incomplète(s) : {', '.join(f'{r.year} (au {r.period_end})' for r in partial.itertuples())}.")
    return Parsed(KIND, {"departement_context": table}, report, publisher="DARES (via le baromètre de l'action publique, DITP)",
                  title="Nombre de contrats d'apprentissage", licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.data.gouv.fr/fr/datasets/barometre-des-resultats-de-laction-publique/")


def _layout(frame: pd.DataFrame, file: str) -> list[tuple[str, str]]:
    """The (date, value) column pairs of the file's layout: détail or synthèse."""
    for pairs in (DETAIL, SYNTHESIS):
        if all(column in frame.columns for pair in pairs for column in pair):
            return pairs
    raise ImportRejected(file, "colonnes du baromètre manquantes : attendu « date » et « valeur » (fichier détail) ou "
                               "« valeur_actuelle », « date_valeur_actuelle », « valeur_initiale », "
                               "« date_valeur_initiale », « progression_derniere_maj » et « progression_derniere_maj_date » "
                               f"(fichier synthèse) ; colonnes trouvées : {', '.join(frame.columns[:12])}.")
