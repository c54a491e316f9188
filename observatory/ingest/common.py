"""What every importer shares: reading bytes safely, French errors, the report, the context."""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024  # an xlsx is a zip: refuse one that inflates beyond this
MAX_ZIP_RATIO = 200  # and one whose parts inflate more than this (zip bomb)
MAX_COUNT = 1_000_000  # a count of people or offers above this for one canton is absurd
SEPARATORS = [";", ",", "\t"]


class ImportRejected(Exception):
    """The file cannot be imported; the message, in French, says where and why. Nothing is written."""

    def __init__(self, file: str, message: str, line: int | None = None, column: str | None = None):
        where = [file] + ([f"ligne {line}"] if line else []) + ([f"colonne {column}"] if column else [])
        super().__init__(", ".join(where) + " : " + message)


class NothingForTerritory(ImportRejected):
    """The file is readable but holds no row for the database's territory."""


@dataclass
class Report:
    kind: str
    file: str
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    notes: list[str] = field(default_factory=list)
    non_localised: int = 0

    def text(self) -> str:
        lines = [f"{self.file} ({self.kind}) : {self.rows_read} lignes lues, {self.rows_kept} retenues, "
                 f"{self.rows_rejected} écartées."]
        if self.non_localised:
            lines.append(f"  {self.non_localised} non localisées (seul le département est connu) : comptées à part.")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class Parsed:
    """What an importer made of one file: tables to load (by store name) and its report."""

    kind: str
    tables: dict[str, pd.DataFrame]
    report: Report
    publisher: str
    title: str
    licence: str
    url: str | None = None
    # An import that covers part of a year (a search snapshot): its figures are shown apart, as
    # partial, never compared with full years nor used to replace a year's figures.
    partial: bool = False
    coverage: str | None = None  # in French, e.g. « instantané : offres créées du 02/03/2025 au 05/03/2025 »


@dataclass
class Context:
    """What the importers check the files against, read from the database being updated."""

    departement: str
    communes: pd.DataFrame  # code, name, canton_code, population, postcodes
    areas: pd.DataFrame  # code, name, kind, geojson
    professions: pd.DataFrame  # code, label, family, rome_codes, fap_codes, diplomas
    bassins: pd.DataFrame  # commune_code, bassin_code, bassin_name
    years: tuple[int, int] = (2000, 2100)
    all_departements: tuple[str, ...] = ()  # every département of the database (a national one: all)

    @property
    def departements(self) -> set[str]:
        """The départements whose rows a file may bring; rows of others are left aside."""
        return set(self.all_departements) or {self.departement}

    @classmethod
    def from_db(cls, con) -> Context:
        def df(sql):  # the caller's own connection: an import runs in one thread
            return con.execute(sql).df()

        return cls(
            departement=df("SELECT code FROM departement")["code"].iloc[0],
            communes=df("SELECT code, name, canton_code, population, postcodes FROM commune ORDER BY code"),
            areas=df("SELECT code, name, kind, geojson, departement_code FROM canton ORDER BY code"),
            professions=df("SELECT code, label, family, rome_codes, fap_codes, diplomas, kind, fap2009_codes FROM profession ORDER BY code"),
            bassins=df("SELECT commune_code, bassin_code, bassin_name FROM commune_bassin ORDER BY commune_code"),
            all_departements=tuple(df("SELECT code FROM departement ORDER BY code")["code"]),
        )

    def rome_to_profession(self) -> dict[str, str]:
        return {rome: row.code for row in self.professions.itertuples() for rome in row.rome_codes}

    def bmo_keys(self) -> dict[str, str]:
        """Code in a BMO file (FAP 2021, or FAP 2009 for BMO 2023) → the métier BMO's row in the
        store (BMO-<FAP 2021 code>), for the métiers of our professions."""
        rows = self.professions[self.professions["kind"] == "bmo"]
        keys = {fap: row.code for row in rows.itertuples() for fap in row.fap_codes}
        for row in rows.itertuples():
            for old in row.fap2009_codes:
                keys.setdefault(old, row.code)
        return keys

    def fap_to_professions(self) -> dict[str, list[str]]:
        mapping: dict[str, list[str]] = {}
        for row in self.professions.itertuples():
            for fap in row.fap_codes:
                mapping.setdefault(fap, []).append(row.code)
        return mapping

    def canton_of_commune(self) -> dict[str, str]:
        return dict(zip(self.communes["code"], self.communes["canton_code"]))

    def canton_of_postcode(self) -> dict[str, str | None]:
        """The canton of each postcode of the département; None when it spans several cantons."""
        cantons: dict[str, set] = {}
        for row in self.communes.itertuples():
            for code in row.postcodes:
                cantons.setdefault(code, set()).add(row.canton_code)
        return {code: (found.pop() if len(found) == 1 else None) for code, found in cantons.items()}

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """The area code containing each point, or None (outside the département)."""
        drawn = self.areas[self.areas["geojson"].notna()]
        polygons = shapely.from_geojson(drawn["geojson"].to_numpy())
        tree = shapely.STRtree(polygons)
        points = shapely.points(lon, lat)
        found = np.full(len(points), None, dtype=object)
        point_index, polygon_index = tree.query(points, predicate="within")
        found[point_index] = drawn["code"].to_numpy()[polygon_index]
        return found

    def suggest_profession(self, code: str) -> str:
        close = difflib.get_close_matches(code, self.professions["code"].tolist(), n=3, cutoff=0.5)
        return f" (vouliez-vous dire : {', '.join(close)} ?)" if close else ""

    def area_range(self) -> str:
        cantons = sorted(self.areas.loc[self.areas["kind"] == "canton", "code"])
        towns = sorted(self.areas.loc[self.areas["kind"] == "ville", "code"])
        text = f"{cantons[0]} à {cantons[-1]}" if cantons else ""
        return text + (f", ou {' et '.join(towns)} pour les villes partagées" if towns else "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(data: bytes, file: str) -> None:
    if not data:
        raise ImportRejected(file, "le fichier est vide.")
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(file, f"fichier trop gros ({len(data) // 1_000_000} Mo ; au plus {MAX_FILE_BYTES // 1_000_000} Mo).")


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; a binary file is refused."""
    check_size(data, file)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(file, "encodage UTF-16 non pris en charge : enregistrez le fichier en UTF-8 "
                                   "(« CSV UTF-8 » dans Excel).")
    if b"\x00" in data[:4096]:
        raise ImportRejected(file, "fichier binaire : attendu un fichier texte (CSV, JSON ou XML).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else None
        if text is None:
            raise ImportRejected(file, "encodage illisible : attendu UTF-8 ou Windows-1252.") from None
        return text


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def read_csv(data: bytes, file: str, required: list[str] | None = None) -> pd.DataFrame:
    """A CSV of text cells: encoding and separator detected, header checked, line numbers kept."""
    text = decode_text(data, file)
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise ImportRejected(file, "le fichier est vide.")
    separator = max(SEPARATORS, key=first.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportRejected(file, f"CSV mal formé ({error}).") from error
    frame.columns = [c.strip() for c in frame.columns]
    if required:
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise ImportRejected(file, f"colonne(s) manquante(s) : {', '.join(missing)} "
                                       f"(colonnes trouvées : {', '.join(frame.columns[:12])}).")
    frame.index = frame.index + 2  # the file's line numbers: line 1 is the header
    return frame


def open_xlsx(data: bytes, file: str):
    """An openpyxl workbook, after checking the zip is not a bomb; formulas are kept as formulas."""
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
                                   f"({total // 1_000_000} Mo, taux {worst:.0f}:1).")
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRejected(file, f"classeur XLSX illisible ({type(error).__name__}).") from error


def sheet_frame(sheet, file: str) -> pd.DataFrame:
    """A sheet as text cells with the header on its first row; formula cells are refused."""
    rows = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values = []
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                raise ImportRejected(file, f"formule interdite dans la feuille « {sheet.title} » "
                                           "(attendu des valeurs)", line=number,
                                     column=getattr(cell, "column_letter", None))
            values.append("" if cell.value is None else _cell_text(cell.value))
        rows.append(values)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ImportRejected(file, f"la feuille « {sheet.title} » est vide.")
    width = len(rows[0])
    header = [str(h).strip() for h in rows[0]]
    frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in rows[1:]], columns=header)
    frame.index = frame.index + 2
    return frame


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def integer(value: str, file: str, line: int, column: str, allow_secret: bool = False) -> int | None:
    """A count: digits (a decimal comma or point with zero decimals accepted), or None if empty."""
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "":
        return None
    if allow_secret and text == "*":
        return None
    normalised = text.replace(",", ".")
    try:
        number = float(normalised)
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas un nombre (attendu un effectif entier)",
                             line=line, column=column) from None
    if not number.is_integer():
        raise ImportRejected(file, f"« {value} » n'est pas un entier (attendu un effectif)", line=line, column=column)
    if number < 0:
        raise ImportRejected(file, f"« {value} » est négatif (attendu un effectif positif ou nul)", line=line, column=column)
    if number > MAX_COUNT:
        raise ImportRejected(file, f"« {value} » est invraisemblable (plus de {MAX_COUNT:,} pour une case)".replace(",", " "),
                             line=line, column=column)
    return int(number)


def commune_code(value: str) -> str:
    """INSEE commune codes as text, with the leading zero some copies lost (1001 → 01001)."""
    text = str(value).strip()
    return text.zfill(5) if text.isdigit() else text.upper()


def departement_code(value: str) -> str:
    text = str(value).strip()
    return text.zfill(2) if text.isdigit() and len(text) < 3 else text.upper()


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: for matching labels."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join(plain.replace("-", " ").replace("'", " ").split())


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole number by weights into whole numbers that add up to it exactly."""
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=int)
    shares = total * weights / weights.sum()
    base = np.floor(shares).astype(int)
    remainder = total - base.sum()
    order = np.argsort(-(shares - base), kind="stable")
    base[order[:remainder]] += 1
    return base
