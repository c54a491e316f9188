"""Workbooks (xlsx) read safely: a zip bomb or a formula is refused before any cell is read, then
calamine reads the values (fast, bounded memory)."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from observatory.ingest.common import MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO, ImportRejected, check_size


@dataclass
class Sheet:
    title: str
    rows: Iterator[list]  # one list of cell values per row, read as they come


class Workbook:
    """An xlsx read with calamine (fast, bounded memory), sheets by name as in openpyxl."""

    def __init__(self, book):
        self._book = book
        self.sheetnames = list(book.sheet_names)

    def __getitem__(self, name: str) -> Sheet:
        return Sheet(name, self._book.get_sheet_by_name(name).iter_rows())


def open_xlsx(data: bytes, file: str) -> Workbook:
    """A workbook, after checking the zip is not a bomb and holds no formula (values only)."""
    check_size(data, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportRejected(file, "ce n'est pas un classeur XLSX valide (archive illisible).") from error
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_UNZIPPED_BYTES or worst > MAX_ZIP_RATIO:
        raise ImportRejected(file, "classeur refusé : son contenu décompressé est anormalement gros "
                                   f"({total // 1_000_000} Mo, taux {worst:.0f}:1 ; au plus "
                                   f"{MAX_UNZIPPED_BYTES // 1_000_000} Mo : au-delà, enregistrez-le en CSV).")
    _refuse_formulas(archive, file)
    from python_calamine import CalamineWorkbook

    try:
        return Workbook(CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except Exception as error:  # the reader raises its own kinds on a damaged file
        raise ImportRejected(file, f"classeur XLSX illisible ({type(error).__name__}).") from error


FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _refuse_formulas(archive: zipfile.ZipFile, file: str) -> None:
    """A cell formula (`<f>` in a worksheet's XML) is refused: the file must hold values. Read in
    chunks, so a large sheet costs little memory."""
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/"):
            continue
        tail = b""
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                found = FORMULA.search(tail + chunk)
                if found:
                    cell = re.findall(rb'<c r="([A-Z]+)(\d+)"', (tail + chunk)[:found.start()])
                    column, line = (cell[-1][0].decode(), int(cell[-1][1])) if cell else (None, None)
                    raise ImportRejected(file, f"formule interdite dans la feuille « {_sheet_name(archive, info)} » "
                                               "(attendu des valeurs)", line=line, column=column)
                tail = chunk[-64:]


def _sheet_name(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The title of a worksheet part (xl/worksheets/sheet1.xml → its name in workbook.xml)."""
    try:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', archive.read("xl/workbook.xml"))
        number = int(re.search(r"(\d+)\.xml$", info.filename).group(1))
        return names[number - 1].decode("utf-8")
    except (KeyError, AttributeError, IndexError, ValueError):
        return info.filename


def sheet_frame(sheet: Sheet, file: str) -> pd.DataFrame:
    """A sheet as text cells with the header on its first row. Built column by column as the rows
    come: a 100 000-row sheet is never held as a list of rows."""
    header, columns, blank_tail = None, [], 0
    texts: dict = {}  # one text object per distinct value: a repeated code costs a pointer

    def text(value) -> str:
        key = (type(value), value)  # 1.0 and True are equal keys: their types keep them apart
        if key not in texts:
            texts[key] = _cell_text(value)
        return texts[key]

    for row in sheet.rows:
        cells = [text(v) for v in row]
        if header is None:
            header = [h.strip() for h in cells]
            columns = [[] for _ in header]
            continue
        for column, cell in zip(columns, cells + [""] * (len(header) - len(cells))):
            column.append(cell)
        blank_tail = blank_tail + 1 if not any(cells) else 0
    rows = len(columns[0]) - blank_tail if columns else 0
    if header is None or not any(header) and rows == 0:
        raise ImportRejected(file, f"la feuille « {sheet.title} » est vide.")
    frame = pd.DataFrame({i: column[:rows] if blank_tail else column for i, column in enumerate(columns)},
                         index=pd.RangeIndex(2, rows + 2))
    frame.columns = header
    return frame


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
