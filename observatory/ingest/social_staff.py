"""DREES, « Les bénéficiaires de l'aide sociale départementale », personnel: the staff the
département itself employs for its social and medico-social action on 31 December, per category,
in people and in full-time equivalents (2014 onwards). Context for the outlook: these are the
département's own agents, not the home-help services' nor the institutions' workers.

A value the DREES does not publish (« ND ») is an empty cell: it stays unknown, never zero."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest import drees_departements
from observatory.ingest.common import Context, ImportRejected, Parsed, Report, header_line, integer, read_csv

KIND = "personnel_social"
LABEL = "DREES, personnel de l'action sociale et médico-sociale des départements"
# category → (headcount column, FTE column or None)
CATEGORIES = {
    "medical": ("effpersmedical", "etppersmedical"),
    "psychologists": ("effpsychologues", "etppsychologues"),
    "paramedical": ("effpersparamed", "etppersparamed"),
    "social_educational": ("effperssocialeteducatif", "etpperssocialeteducatif"),
    "medico_technical": ("effpersmedicotech", "etppersmedicotech"),
    "administrative_technical": ("effpersadminettech", "etppersadminettech"),
    "foster_carers": ("effpersassfam", None),
    "total_without_foster_carers": ("efftotalgeneralhorsAF", "etptotalgeneralhorsAF"),
}
COLUMNS = ["Code.departement", "TypeTerritoire", "Annee",
           *[c for pair in CATEGORIES.values() for c in pair if c is not None]]
MAX_FTE_DECIMALS = 1


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "Code.departement" in first and "effperssocialeteducatif" in first


def _fte(value: str, file: str, line: int, column: str) -> float | None:
    text = str(value).strip().replace(",", ".")
    if text == "":
        return None
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise ImportRejected(file, f"« {value} » n'est pas un nombre d'équivalents temps plein", line=line, column=column)
    return round(float(text), MAX_FTE_DECIMALS)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    ours = drees_departements.departement_rows(frame, ctx, file, "aucune ligne de personnel")
    rows = []
    for line, row in ours.iterrows():
        year = drees_departements.year(row, file, int(line))
        for category, (people, fte) in CATEGORIES.items():
            headcount = integer(row[people], file, int(line), people)
            full_time = _fte(row[fte], file, int(line), fte) if fte else None
            if headcount is not None or full_time is not None:
                rows.append({"year": year, "departement_code": row["code"], "category": category,
                             "headcount": headcount, "fte": full_time})
    table = pd.DataFrame(rows, columns=["year", "departement_code", "category", "headcount", "fte"])
    drees_departements.refuse_repeats(table, ["year", "departement_code", "category"], file)
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} ligne(s) laissée(s) de côté : France, autres départements.")
    years = sorted(table["year"].unique())
    return Parsed(KIND, {"departement_staff": table}, report, publisher="DREES",
                  title=f"Personnel de l'action sociale et médico-sociale des départements, {years[0]}-{years[-1]}",
                  licence="Licence Ouverte / Etalab 2.0",
                  url="https://data.drees.solidarites-sante.gouv.fr")
