"""INSEE population estimates by département and age group (« estim-pop-dep-sexe-gca »), as
published (an .xls workbook, one sheet a year) or as the observatory's extract (a CSV of the
« Ensemble » columns). Whole-France files: the database's départements are kept."""
from __future__ import annotations

import io
import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, header_line, read_csv,
)

KIND = "population_ages"
LABEL = "INSEE, population par département et grande classe d'âge"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old Excel (.xls) container
GROUPS = {"0 à 19 ans": "0-19", "20 à 39 ans": "20-39", "40 à 59 ans": "40-59", "60 à 74 ans": "60-74",
          "75 ans et plus": "75+", "Total": "total"}
COLUMNS = ["annee", "code_departement", "nom_departement", *GROUPS]


def detect(head: bytes, name: str) -> bool:
    if head.startswith(OLE_MAGIC):
        return "pop" in name.lower()
    first = header_line(head)
    return "code_departement" in first and "75 ans et plus" in first


def read_workbook(data: bytes, file: str) -> pd.DataFrame:
    """The « Ensemble » block of every year sheet, one row per département, as text cells."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as error:
        raise ImportRejected(file, "classeur Excel illisible.") from error
    rows = []
    for sheet in book.sheet_names:
        if not re.fullmatch(r"\d{4}", sheet.strip()):
            continue  # « À savoir » and other notes
        cells = book.get_sheet_by_name(sheet).to_python()
        header = next((i for i, r in enumerate(cells) if any(str(c).strip() == "0 à 19 ans" for c in r)), None)
        if header is None:
            raise ImportRejected(file, f"feuille « {sheet} » : en-tête « 0 à 19 ans » introuvable.")
        labels = [str(c).strip() for c in cells[header]]
        first = labels.index("0 à 19 ans")  # the « Ensemble » block comes first
        if labels[first:first + len(GROUPS)] != list(GROUPS):
            raise ImportRejected(file, f"feuille « {sheet} » : colonnes d'âge inattendues ({', '.join(labels[first:first + 6])}).")
        for row in cells[header + 1:]:
            code = str(row[0]).strip()
            if not re.fullmatch(r"\d{2,3}|2[AB]", code):
                continue  # totals and notes below the table
            rows.append([sheet.strip(), code, str(row[1]).strip(),
                         *[_text(v) for v in row[first:first + len(GROUPS)]]])
    if not rows:
        raise ImportRejected(file, "aucune feuille annuelle (« 2023 », « 2022 »…) avec des départements.")
    return pd.DataFrame(rows, columns=COLUMNS)


def _text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_workbook(data, file) if data.startswith(OLE_MAGIC) else read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    frame["code_departement"] = frame["code_departement"].map(departement_code)
    ours = frame[frame["code_departement"].isin(ctx.departements)]
    if ours.empty:
        raise NothingForTerritory(file, f"aucune ligne pour le(s) département(s) de la base ({', '.join(sorted(ctx.departements)[:5])}).")
    long = ours.melt(id_vars=["annee", "code_departement"], value_vars=list(GROUPS), var_name="label", value_name="value")
    for row in long.itertuples():
        if not re.fullmatch(r"(19|20)\d{2}", str(row.annee)):
            raise ImportRejected(file, f"année « {row.annee} » invalide", column="annee")
        if not re.fullmatch(r"\d{1,9}", str(row.value)):
            raise ImportRejected(file, f"« {row.value} » n'est pas un nombre d'habitants (département {row.code_departement}, "
                                       f"{row.annee})", column=row.label)
    table = pd.DataFrame({"year": long["annee"].astype(int), "departement_code": long["code_departement"],
                          "age_group": long["label"].map(GROUPS), "population": long["value"].astype(int)})
    table = table.drop_duplicates(["year", "departement_code", "age_group"], keep="last")
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} ligne(s) d'autres départements laissée(s) de côté.")
    years = sorted(table["year"].unique())
    report.notes.append(f"Années {years[0]} à {years[-1]} ; les trois dernières années sont provisoires selon l'INSEE.")
    return Parsed(KIND, {"departement_population": table}, report, publisher="INSEE",
                  title=f"Estimations de population par grande classe d'âge {years[0]}-{years[-1]}",
                  licence="Réutilisation libre avec mention de la source (INSEE)",
                  url="https://www.insee.fr/fr/statistiques/1893198")
