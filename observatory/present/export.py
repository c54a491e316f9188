"""Exports of the filtered rows: « CSV Excel (FR) », « CSV standard » and XLSX.

One function builds the table (`prepare`): the same rows, columns and notes feed every format, the
Export page, the download buttons and `python -m observatory export`. A CSV holds the rows only
(a plain table); its notes go in a text file beside it, an XLSX in its second sheet. Masked cells read « s »,
and every text cell that a spreadsheet could take for a formula is neutralised (OWASP CSV
injection rule: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front).
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from observatory import database, secrecy
from observatory.figures import outlook, provenance, queries
from observatory.present import outlook_tables
from observatory.vocabulary import formats, wording
from observatory.vocabulary.indicators import ESTIMATES, INDICATORS, MEASURES

FORMATS = {
    "csv-fr": ("CSV Excel (FR)", "csv", "text/csv"),
    "csv": ("CSV standard", "csv", "text/csv"),
    "xlsx": ("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
SECRET = formats.SECRET
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
RATIO_DECIMALS = 1
PROGRESS_STEPS = 20  # XLSX: progress reported this many times
CSV_SLICE_ROWS = 100_000  # CSV: written by DuckDB in slices of this many rows, each reported
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
    frame: pd.DataFrame  # masked rows from `queries.export_rows`: values and their secrecy flags
    notes: list[tuple[str, str]]  # (heading, text) for the « Filtres et sources » part
    is_demo: bool
    measures: tuple[str, ...] = tuple(MEASURES)  # the measure columns written (without demo mode: the real ones)
    nature: bool = True  # the « Nature des chiffres » column (demo mode only)

    @property
    def ratios(self) -> list[tuple[str, str]]:
        """The ratio columns whose two measures are written."""
        return [(key, label) for key, label in RATIO_COLUMNS if set(INDICATORS[key].inputs) <= set(self.measures)]

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def rows(self) -> list[list]:
        """Cells as Python values: int, float, str (« s », text) or None (no data). For XLSX and
        the preview; the CSV formats are written by DuckDB from `frame` (see `_csv`)."""
        return _python_rows(self)


def neutralise(value):
    """OWASP CSV-injection rule for text cells; numbers are left alone."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def prepare(con, filters: queries.Filters, today: date | None = None) -> ExportTable:
    """The export of the filters: `queries.export_rows` (secrecy applied) and the notes."""
    rows = queries.export_rows(con, filters)
    is_demo = bool(rows["is_demo"].any()) if len(rows) else False
    return from_rows(rows, _notes(con, filters, today or date.today(), is_demo), kept_measures(con, filters),
                     nature=filters.demo)


def kept_measures(con, filters: queries.Filters) -> tuple[str, ...]:
    """Every measure in demo mode; without it, those with real figures in the span (a demo column is
    left out, not written empty)."""
    if filters.demo:
        return tuple(MEASURES)
    return tuple(provenance.real_measures(queries.figure_sources(con, filters.year_from, filters.year_to)))


MEASURE_COLUMNS = [(m.key, m.label) for m in MEASURES.values()]
RATIO_COLUMNS = [(i.key, f"{i.label} ({i.unit})" if i.unit == "%" else i.label) for i in RATIOS]


NATURE_COLUMN = "Nature des chiffres"
MINIMUM_COLUMN = "Valeurs BMO minimales (secret de la source)"
ESTIMATE_DECIMALS = 2  # BMO canton estimates: decimals, so that cantons add up to the bassins


def from_rows(rows: pd.DataFrame, notes: list[tuple[str, str]], measures: tuple[str, ...] = tuple(MEASURES),
              nature: bool = True) -> ExportTable:
    """Keep what the export shows of masked rows (from `queries.export_rows`): the columns of
    `measures` and of the ratios made of them, and the nature column when `nature`."""
    table = ExportTable([], pd.DataFrame(), notes, False, tuple(m for m in MEASURES if m in measures), nature)
    written = [(k, label) for k, label in MEASURE_COLUMNS if k in table.measures] + table.ratios
    columns = ([label for _, label in KEY_COLUMNS + written] + ([NATURE_COLUMN] if nature else [])
               + ([MINIMUM_COLUMN] if set(ESTIMATES) & set(table.measures) else []))
    rows = rows.assign(lower_bound=np.logical_or.reduce([secrecy.lower_bound(rows, m) for m in ESTIMATES])
                       if len(rows) else False)
    keep = [k for k, _ in KEY_COLUMNS] + [c for k, _ in written for c in (k, secrecy.secret_column(k))] + [
        "is_demo", "lower_bound"]
    frame = rows[keep].reset_index(drop=True)
    is_demo = bool(frame["is_demo"].any()) if len(frame) else False
    return replace(table, columns=columns, frame=frame, is_demo=is_demo)


def _python_rows(table: ExportTable) -> list[list]:
    def cell(row, key, is_ratio):
        if row[secrecy.secret_column(key)]:
            return SECRET
        value = row[key]
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return None
        if key in ESTIMATES:
            rounded = round(float(value), ESTIMATE_DECIMALS)
            return int(rounded) if rounded.is_integer() else rounded
        return round(float(value), RATIO_DECIMALS) if is_ratio else int(value)

    ratios = [key for key, _ in table.ratios]
    minimum = bool(set(ESTIMATES) & set(table.measures))
    body = []
    for row in table.frame.to_dict("records"):
        line = [int(row["year"]), row["canton_code"], row["area_name"], KIND_LABELS.get(row["area_kind"], row["area_kind"]),
                row["profession_code"], row["profession"], row["family"]]
        line += [cell(row, key, False) for key in table.measures]
        line += [cell(row, key, True) for key in ratios]
        if table.nature:
            line.append(provenance.row_nature(row["is_demo"]))
        if minimum:
            line.append("oui" if row["lower_bound"] else "non")
        body.append([neutralise(v) for v in line])
    return body


def notes(con, filters: queries.Filters, today: date) -> list[tuple[str, str]]:
    """The notes written in the export of the filters (as `build` writes them)."""
    return _notes(con, filters, today, queries.export_is_demo(con, filters))


def _notes(con, filters: queries.Filters, today: date, is_demo: bool) -> list[tuple[str, str]]:
    labels = queries.professions(con).set_index("code")["label"]
    area = queries.areas(con).set_index("code")["name"]
    departement = queries.whole_territory(con)
    notes = [
        ("Observatoire", f"Observatoire des métiers de l'accompagnement — {departement['name']} ({departement['code']})"),
        ("Métiers", ", ".join(labels.get(c, c) for c in filters.professions) or "tous les métiers"),
        ("Années", f"{filters.year_from}-{filters.year_to}" if filters.year_from != filters.year_to else str(filters.year_from)),
        ("Territoire", area.get(filters.area, filters.area) if filters.area
         else "tout le département" if not filters.territory and departement["code"] != database.NATIONAL
         else queries.territory_name(con, filters.territory)),
        ("Date d'extraction", formats.day(today)),
        ("Secret statistique", wording.secret_rule(filters.threshold)),
        ("Valeur « s »", wording.SECRET_VALUE + "."),
    ]
    for source in queries.sources(con).itertuples():
        if source.is_demo and not filters.demo:
            continue
        link = f" — {source.url}" if source.url else ""
        notes.append(("Source", f"{source.publisher} : {source.title} ({source.licence}){link}"))
    real, demo = provenance.banner(queries.figure_sources(con, filters.year_from, filters.year_to))
    if real:
        notes.append(("Chiffres réels", ", ".join(real) + "."))
        notes.append(("Estimation BMO", provenance.BMO_ESTIMATE + " ; les projets sont ceux des métiers BMO "
                      "(lignes « métier BMO »), jamais répartis entre nos métiers."))
        notes.append((MINIMUM_COLUMN, "« oui » : la source a masqué une partie des chiffres BMO de la ligne (« * ») ; "
                      "les valeurs données sont la somme des parties publiées, donc des minimums."))
    if is_demo and demo:
        notes.append(("Données de démonstration", f"{provenance.DEMO_SENTENCE} : " + ", ".join(demo) + "."))
    return [(heading, neutralise(text)) for heading, text in notes]


def file_name(con, filters: queries.Filters, fmt: str, today: date | None = None) -> str:
    """e.g. `observatoire_landes_aide-soignant_2019-2025_2026-11-22.csv`."""
    today = today or date.today()
    parts = ["observatoire", slug(queries.whole_territory(con)["name"])]
    if filters.area:
        parts.append(slug(queries.areas(con).set_index("code")["name"].get(filters.area, filters.area)))
    if len(filters.professions) == 1:
        parts.append(filters.professions[0])
    elif filters.professions:
        parts.append(f"{len(filters.professions)}-metiers")
    parts.append(f"{filters.year_from}-{filters.year_to}")
    parts.append(today.isoformat())
    return "_".join(parts) + "." + FORMATS[fmt][1]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def render(table: ExportTable, fmt: str, progress: Callable[[float], None] | None = None) -> bytes:
    if fmt == "csv-fr":
        return _csv(table, delimiter=";", decimal=",", bom=True, progress=progress)
    if fmt == "csv":
        return _csv(table, delimiter=",", decimal=".", bom=False, progress=progress)
    if fmt == "xlsx":
        return _xlsx(table, progress)
    raise ValueError(f"format inconnu : {fmt}")


def _csv(table: ExportTable, delimiter: str, decimal: str, bom: bool,
         progress: Callable[[float], None] | None) -> bytes:
    """A plain rectangle, header then rows, that any table reader (pandas, Excel's tables, Power
    Query) reads as exactly the exported rows; the notes are in their own file (`render_notes`).
    The rows are formatted and written by DuckDB (a million rows in about a second, see
    `python -m observatory bench`); the header by Python's csv module, the same quoting."""
    newline = "\r\n" if bom else "\n"
    head = io.StringIO()
    csv.writer(head, delimiter=delimiter, lineterminator=newline).writerow(table.columns)
    body = _duckdb_csv(table, delimiter, decimal, newline, progress) if len(table.frame) else b""
    if progress and not len(table.frame):
        progress(1.0)
    data = head.getvalue().encode("utf-8") + body
    return (b"\xef\xbb\xbf" + data) if bom else data


NOTES_TITLE = "Filtres et sources"


def render_notes(notes: list[tuple[str, str]]) -> bytes:
    """The notes of a CSV export as a text file beside it: filters, sources, licences, date, the
    secrecy rule and the demo notice, one « rubrique : contenu » line each (UTF-8, Windows lines)."""
    lines = [f"{NOTES_TITLE} du fichier de données de l'observatoire", ""]
    lines += [f"{heading} : {text}" for heading, text in notes]
    return b"\xef\xbb\xbf" + "\r\n".join(lines + [""]).encode("utf-8")


def notes_file_name(data_file_name: str) -> str:
    """`observatoire_landes_2025_2026-11-29.csv` → `observatoire_landes_2025_2026-11-29_filtres-et-sources.txt`."""
    return data_file_name.rsplit(".", 1)[0] + "_filtres-et-sources.txt"


def _sql_text(column: str) -> str:
    """`neutralise` in SQL: a leading =, +, -, @, tab or carriage return gets a quote in front."""
    return (f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN '''' || {column} ELSE {column} END")


def _sql_measure(key: str, decimal: str) -> str:
    """A measure's CSV cell in SQL, as `_python_rows` gives it: « s », a count, or an estimate
    with up to `ESTIMATE_DECIMALS` decimals."""
    if key in ESTIMATES:
        rounded = f"round({key}, {ESTIMATE_DECIMALS})"
        number = (f"CASE WHEN {rounded} = round({key}) THEN CAST(CAST(round({key}) AS BIGINT) AS VARCHAR) "
                  f"ELSE replace(CAST({rounded} AS VARCHAR), '.', '{decimal}') END")
    else:
        number = f"CAST(CAST({key} AS BIGINT) AS VARCHAR)"
    return f"CASE WHEN {secrecy.secret_column(key)} THEN '{SECRET}' WHEN isfinite({key}) THEN {number} END"


def _duckdb_csv(table: ExportTable, delimiter: str, decimal: str, newline: str,
                progress: Callable[[float], None] | None) -> bytes:
    """The cells of `_python_rows`, formatted in SQL and written by DuckDB's COPY."""
    import os
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    import duckdb

    kinds = " ".join(f"WHEN '{k}' THEN '{label}'" for k, label in KIND_LABELS.items())
    cells = ["CAST(year AS VARCHAR)", _sql_text("canton_code"), _sql_text("area_name"),
             f"CASE area_kind {kinds} ELSE {_sql_text('area_kind')} END", _sql_text("profession_code"),
             _sql_text("profession"), _sql_text("family")]
    frame = table.frame
    cells += [_sql_measure(key, decimal) for key in table.measures]
    cells += [f"CASE WHEN {secrecy.secret_column(key)} THEN '{SECRET}' WHEN isfinite({key}) "
              f"THEN replace(printf('%.{RATIO_DECIMALS}f', {key}), '.', '{decimal}') END" for key, _ in table.ratios]
    if table.nature:
        cells.append(f"CASE WHEN is_demo THEN '{provenance.DEMO}' ELSE '{provenance.REAL}' END")
    if set(ESTIMATES) & set(table.measures):
        cells.append("CASE WHEN lower_bound THEN 'oui' ELSE 'non' END")
    select = ", ".join(f"{cell} AS c{i}" for i, cell in enumerate(cells))
    options = f"FORMAT csv, HEADER false, DELIMITER '{delimiter}', QUOTE '\"', NEW_LINE '{newline}'"

    def write(part: pd.DataFrame) -> bytes:
        # One DuckDB thread per slice: a parallel scan writes rows out of order (seen from 200 000
        # rows); the slices run side by side instead, one per core, and are joined in order.
        handle, path = tempfile.mkstemp(suffix=".csv")
        os.close(handle)
        con = duckdb.connect(config={"threads": 1})
        try:
            con.register("export_rows", part)
            con.execute(f"COPY (SELECT {select} FROM export_rows) TO '{path}' ({options})")
            with open(path, "rb") as written:
                return written.read()
        finally:
            con.close()
            os.unlink(path)

    starts = range(0, len(frame), CSV_SLICE_ROWS)
    parts = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        pending = [pool.submit(write, frame.iloc[start:start + CSV_SLICE_ROWS]) for start in starts]
        for start, future in zip(starts, pending):
            parts.append(future.result())
            if progress:
                progress(min(1.0, (start + CSV_SLICE_ROWS) / len(frame)))
    return b"".join(parts)


@dataclass(frozen=True)
class PlainTable:
    """A small table of plain values, with no masked cell (e.g. the outlook's series): the same
    formats and notes as the filtered rows' export."""

    columns: list[str]
    rows: list[list]  # int, float, str or None
    notes: list[tuple[str, str]]


def render_plain(table: PlainTable, fmt: str) -> bytes:
    if fmt == "xlsx":
        return _xlsx(table, None)
    delimiter, decimal, bom = (";", ",", True) if fmt == "csv-fr" else (",", ".", False)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if bom else "\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else str(v).replace(".", decimal) if isinstance(v, float) else neutralise(v)
                         for v in row])
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def outlook_file(result: outlook.Outlook, place: str, parameters: dict, today: date) -> PlainTable:
    """The outlook's series (`outlook_tables.series`), with its method, parameters and sources as notes."""
    columns, rows = outlook_tables.series(result)
    notes = [("Territoire", place), ("Date du fichier", formats.day(today)), *outlook.METHOD]
    notes += [(p.label, f"{outlook.stated(p, parameters.get(p.key))} ; valeur par défaut : {p.source}")
              for p in outlook.PARAMETERS]
    notes += [("Sources", f"{outlook.APA_SOURCE} ; {outlook.POPULATION_SOURCE} ; {outlook.PROJECTION_SOURCE}. "
                          "Licence Ouverte / Etalab 2.0 (DREES) ; INSEE : réutilisation libre avec mention de la source."),
              ("Arrondis", "Les projections sont arrondies à l'unité dans ce fichier, à la dizaine sur les pages : "
                           "ce sont des ordres de grandeur, pas des comptages.")]
    return PlainTable(columns, rows, notes)


def _xlsx(table: ExportTable | PlainTable, progress: Callable[[float], None] | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = table.rows
    step = max(1, len(rows) // PROGRESS_STEPS)
    for position, row in enumerate(rows, start=1):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
        if progress and position % step == 0:
            progress(position / len(rows))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(40, max(10, len(name) + 2))
    notes = book.create_sheet(NOTES_TITLE)
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
