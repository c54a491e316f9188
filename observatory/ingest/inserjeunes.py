"""InserJeunes (DEPP and DARES): what became of the apprentices who left each CFA, per cumulated
cohort: in further study, in employment 6, 12, 18 and 24 months later. Rates cover the whole CFA
(every trade it teaches), not only the observatory's professions; a blank rate is not published."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, read_csv

KIND = "inserjeunes"
LABEL = "DEPP et DARES, InserJeunes : devenir des apprentis par CFA"
RATES = {  # file column → store column
    "Taux poursuite études": "further_study",
    "Taux emploi 6 mois": "employed_6m",
    "Taux emploi 12 mois": "employed_12m",
    "Taux emploi 18 mois": "employed_18m",
    "Taux emploi 24 mois": "employed_24m",
    "Taux emploi 6 mois attendu": "expected_6m",
}
VALUE_ADDED = ("VA emploi 6 mois", "value_added_6m")
COLUMNS = ["Année", "UAI", "Libellé"] + list(RATES)
UAI = re.compile(r"^\d{7}[A-Z]$")
# The cohorts as the source writes them: « cumul 2022-2023 » (two years of leavers), « 2022-2023 », « 2023 ».
COHORT = re.compile(r"^(cumul )?(\d{4})(?:-(\d{4}))?$")
# A UAI starts with the département on three characters: 040 for the Landes, 620 and 720 for Corsica.
CORSICA = {"2A": "620", "2B": "720"}


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "UAI" in first and "Taux emploi 6 mois" in first


def uai_prefix(departement: str) -> str:
    return CORSICA.get(departement) or departement.zfill(3)


def _check_cohort(value: str, file: str, line: int) -> None:
    found = COHORT.match(value.strip())
    if not found or (found.group(3) and int(found.group(3)) != int(found.group(2)) + 1):
        raise ImportRejected(file, f"« {value} » n'est pas une promotion d'InserJeunes (attendu : « cumul 2022-2023 », "
                                   "« 2022-2023 » ou une année comme « 2023 »)", line=line, column="Année")


def _rate(value: str, file: str, line: int, column: str, low: float = 0) -> float | None:
    text = value.strip().replace(",", ".")
    if text == "":
        return None
    try:
        rate = float(text)
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas un taux en %", line=line, column=column) from None
    if not low <= rate <= 100:
        raise ImportRejected(file, f"« {value} » n'est pas un taux entre {low:g} et 100 %", line=line, column=column)
    return rate


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    frame["UAI"] = frame["UAI"].str.strip().str.upper()
    bad = frame[~frame["UAI"].str.match(UAI)]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0]['UAI']} » n'est pas un numéro UAI (7 chiffres et une lettre)",
                             line=int(bad.index[0]), column="UAI")
    for line, cohort in frame["Année"].items():
        _check_cohort(cohort, file, line)
    prefixes = {uai_prefix(d): d for d in ctx.departements}
    departement = frame["UAI"].str[:3].map(prefixes)
    ours = frame[departement.notna()]
    if ours.empty:
        raise NothingForTerritory(file, "aucun CFA du territoire de la base dans ce fichier (numéro UAI).")
    table = pd.DataFrame({"cohort": ours["Année"].str.strip(), "uai": ours["UAI"], "name": ours["Libellé"].str.strip(),
                          "departement_code": departement[ours.index]})
    for column, name in RATES.items():
        table[name] = [_rate(v, file, line, column) for line, v in ours[column].items()]
    column, name = VALUE_ADDED
    table[name] = ([_rate(v, file, line, column, low=-100) for line, v in ours[column].items()]
                   if column in ours else None)
    duplicated = table.duplicated(["cohort", "uai"])
    if duplicated.any():
        line = int(table.index[duplicated][0])
        raise ImportRejected(file, f"le CFA {table.loc[line, 'uai']} apparaît deux fois pour « {table.loc[line, 'cohort']} »",
                             line=line, column="UAI")
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{table['uai'].nunique()} CFA du territoire (numéro UAI) ; les autres sont laissés de côté.")
    return Parsed(KIND, {"cfa_outcome": table.astype({n: "float64" for n in list(RATES.values()) + [name]})}, report,
                  publisher="DEPP et DARES (InserJeunes)",
                  title="InserJeunes : devenir des apprentis par CFA", licence="Licence Ouverte / Etalab 2.0",
                  url="https://www.education.gouv.fr/inserjeunes")
