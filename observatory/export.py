"""Exports of the filtered rows: « CSV Excel (FR) », « CSV standard » and XLSX.

One function builds the table (`build`): the same rows, columns and notes feed every format, the
Export page, the download buttons and `python -m observatory export`. Masked cells read « s »,
and every text cell that a spreadsheet could take for a formula is neutralised (OWASP CSV
injection rule: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front).
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pandas as pd

from observatory import formats, queries, secrecy
from observatory.indicators import INDICATORS, MEASURES

FORMATS = {
    "csv-fr": ("CSV Excel (FR)", "csv", "text/csv"),
    "csv": ("CSV standard", "csv", "text/csv"),
    "xlsx": ("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
SECRET = formats.SECRET
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
RATIO_DECIMALS = 1
KEY_COLUMNS = [
    ("year", "Année"), ("canton_code", "Code territoire"), ("area_name", "Territoire"),
    ("area_kind", "Type de territoire"), ("profession_code", "Code métier"), ("profession", "Métier"),
    ("family", "Famille de métiers"),
]
RATIOS = [i for i in INDICATORS.values() if i.key not in MEASURES]
KIND_LABELS = {"canton": "canton", "ville": "ville partagée entre cantons"}


@dataclass(frozen=True)
class ExportTable:
    columns: list[str]
    rows: list[list]  # int, float, str (« s », text) or None (no data)
    notes: list[tuple[str, str]]  # (heading, text) for the « Filtres et sources » part
    is_demo: bool


def neutralise(value):
    """OWASP CSV-injection rule for text cells; numbers are left alone."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def build(con, filters: queries.Filters, today: date | None = None) -> ExportTable:
    """The export of the filters: `queries.export_rows` (secrecy applied) and the notes."""
    rows = queries.export_rows(con, filters)
    is_demo = bool(rows["is_demo"].any()) if len(rows) else False
    return from_rows(rows, _notes(con, filters, today or date.today(), is_demo))


def from_rows(rows: pd.DataFrame, notes: list[tuple[str, str]]) -> ExportTable:
    """Lay out masked rows (from `queries.export_rows`) as the export's columns and cells."""
    measure_columns = [(m.key, m.label) for m in MEASURES.values()]
    ratio_columns = [(i.key, f"{i.label} ({i.unit})" if i.unit == "%" else i.label) for i in RATIOS]
    columns = [label for _, label in KEY_COLUMNS + measure_columns + ratio_columns] + ["Données de démonstration"]

    def cell(row, key, is_ratio):
        if row[secrecy.secret_column(key)]:
            return SECRET
        value = row[key]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return round(float(value), RATIO_DECIMALS) if is_ratio else int(value)

    body = []
    for row in rows.to_dict("records"):
        line = [int(row["year"]), row["canton_code"], row["area_name"], KIND_LABELS.get(row["area_kind"], row["area_kind"]),
                row["profession_code"], row["profession"], row["family"]]
        line += [cell(row, key, False) for key, _ in measure_columns]
        line += [cell(row, key, True) for key, _ in ratio_columns]
        line.append("oui" if row["is_demo"] else "non")
        body.append([neutralise(v) for v in line])
    is_demo = bool(rows["is_demo"].any()) if len(rows) else False
    return ExportTable(columns, body, notes, is_demo)


def _notes(con, filters: queries.Filters, today: date, is_demo: bool) -> list[tuple[str, str]]:
    labels = queries.professions(con).set_index("code")["label"]
    area = queries.areas(con).set_index("code")["name"]
    departement = queries.departement(con)
    notes = [
        ("Observatoire", f"Observatoire des métiers de l'accompagnement — {departement['name']} ({departement['code']})"),
        ("Métiers", ", ".join(labels.get(c, c) for c in filters.professions) or "tous les métiers"),
        ("Années", f"{filters.year_from}-{filters.year_to}" if filters.year_from != filters.year_to else str(filters.year_from)),
        ("Territoire", area.get(filters.area, filters.area) if filters.area else "tout le département"),
        ("Date d'extraction", formats.day(today)),
        ("Secret statistique", secrecy.RULE_TEXT.format(threshold=filters.threshold)),
        ("Valeur « s »", "valeur masquée par le secret statistique."),
    ]
    for source in queries.sources(con).itertuples():
        link = f" — {source.url}" if source.url else ""
        notes.append(("Source", f"{source.publisher} : {source.title} ({source.licence}){link}"))
    if is_demo:
        notes.append(("Données de démonstration",
                      "les chiffres de ce fichier sont fictifs, générés pour montrer l'outil ; "
                      "seules la géographie et la population sont réelles."))
    return [(heading, neutralise(text)) for heading, text in notes]


def file_name(con, filters: queries.Filters, fmt: str, today: date | None = None) -> str:
    """e.g. `observatoire_landes_aide-soignant_2019-2025_2026-11-22.csv`."""
    today = today or date.today()
    parts = ["observatoire", _slug(queries.departement(con)["name"])]
    if filters.area:
        parts.append(_slug(queries.areas(con).set_index("code")["name"].get(filters.area, filters.area)))
    if len(filters.professions) == 1:
        parts.append(filters.professions[0])
    elif filters.professions:
        parts.append(f"{len(filters.professions)}-metiers")
    parts.append(f"{filters.year_from}-{filters.year_to}")
    parts.append(today.isoformat())
    return "_".join(parts) + "." + FORMATS[fmt][1]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def render(table: ExportTable, fmt: str, progress: Callable[[float], None] | None = None) -> bytes:
    if fmt == "csv-fr":
        return _csv(table, delimiter=";", decimal=",", bom=True, notes_at_end=True, progress=progress)
    if fmt == "csv":
        return _csv(table, delimiter=",", decimal=".", bom=False, notes_at_end=False, progress=progress)
    if fmt == "xlsx":
        return _xlsx(table, progress)
    raise ValueError(f"format inconnu : {fmt}")


def _csv(table: ExportTable, delimiter: str, decimal: str, bom: bool, notes_at_end: bool,
         progress: Callable[[float], None] | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if bom else "\n")
    if not notes_at_end:  # machine-readable: notes as `#` comment lines before the header
        for heading, text in table.notes:
            buffer.write(f"# {heading} : {text}\n")
    writer.writerow(table.columns)
    step = max(1, len(table.rows) // 20)
    for position, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_value(v, decimal) for v in row])
        if progress and position % step == 0:
            progress(position / len(table.rows))
    if notes_at_end:  # for Excel: the table starts on the first line, the notes follow it
        writer.writerow([])
        for heading, text in table.notes:
            writer.writerow([heading, text])
    if progress:
        progress(1.0)
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _csv_value(value, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{RATIO_DECIMALS}f}".replace(".", decimal)
    return str(value)


def _xlsx(table: ExportTable, progress: Callable[[float], None] | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    step = max(1, len(table.rows) // 20)
    for position, row in enumerate(table.rows, start=1):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
        if progress and position % step == 0:
            progress(position / len(table.rows))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(40, max(10, len(name) + 2))
    notes = book.create_sheet("Filtres et sources")
    notes.append(["Rubrique", "Contenu"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for heading, text in table.notes:
        notes.append([heading, text])
        for cell in notes[notes.max_row]:
            cell.data_type = "s"
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 120
    book.properties.title = "Observatoire des métiers de l'accompagnement"
    buffer = io.BytesIO()
    book.save(buffer)
    if progress:
        progress(1.0)
    return buffer.getvalue()
