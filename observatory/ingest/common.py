"""What every importer shares: reading bytes safely, French errors, the report, the context."""
from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely

MAX_FILE_BYTES = 200_000_000
MAX_UNZIPPED_BYTES = 60_000_000  # an xlsx is a zip: refuse one that inflates beyond this (BMO's: 26 MB)
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
    communes: pd.DataFrame  # code, name, canton_code, population, postcodes, lon, lat (its centre)
    areas: pd.DataFrame  # code, name, kind, geojson
    professions: pd.DataFrame  # code, label, family, rome_codes, fap_codes, diplomas
    bassins: pd.DataFrame  # commune_code, bassin_code, bassin_name
    years: tuple[int, int] = (2000, 2100)
    all_departements: tuple[str, ...] = ()  # every département of the database (a national one: all)
    regions: tuple[tuple[str, str], ...] = ()  # (code, name) of the database's régions
    rome_v3: tuple[str, ...] = ()  # the ROME v3 fiches that lead to our professions (2020-2021 files)
    bassin_parts: pd.DataFrame | None = None  # bassin_code, bassin_name, departement_code (BMO 2019 bassins)
    diplomas: pd.DataFrame | None = None  # code, parcoursup_label, professions (data/referential/diplomes.csv)
    mefs: pd.DataFrame | None = None  # mef, diploma_code, course_year, formation (data/referential/mef_lycees.csv)
    establishments: pd.DataFrame | None = None  # uai, name, departement_code, commune_code, lon, lat (directories)
    departement_names: tuple[tuple[str, str], ...] = ()  # (code, name) of the database's départements

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
            communes=df("SELECT code, name, canton_code, population, postcodes, lon, lat FROM commune ORDER BY code"),
            areas=df("SELECT code, name, kind, geojson, departement_code FROM canton ORDER BY code"),
            professions=df("SELECT code, label, family, rome_codes, fap_codes, diplomas, kind, fap2009_codes FROM profession ORDER BY code"),
            bassins=df("SELECT commune_code, bassin_code, bassin_name FROM commune_bassin ORDER BY commune_code"),
            all_departements=tuple(df("SELECT code FROM departement ORDER BY code")["code"]),
            regions=tuple(df("SELECT DISTINCT region_code, region_name FROM departement ORDER BY 1").itertuples(
                index=False, name=None)),
            departement_names=tuple(df("SELECT code, name FROM departement ORDER BY code").itertuples(index=False, name=None)),
            rome_v3=tuple(df("SELECT code FROM rome_v3 ORDER BY code")["code"]),
            bassin_parts=df("SELECT bassin_code, bassin_name, departement_code FROM bassin_part ORDER BY ALL"),
            diplomas=df("SELECT code, parcoursup_label, professions FROM diploma ORDER BY code"),
            mefs=df("SELECT mef, diploma_code, course_year, formation FROM diploma_mef ORDER BY mef"),
            # the directories, then the CFAs' names of InserJeunes (a name, no place)
            establishments=df("SELECT uai, name, departement_code, commune_code, lon, lat FROM ("
                              "SELECT *, source_id AS rank FROM establishment UNION ALL "
                              "SELECT DISTINCT uai, name, departement_code, NULL, NULL, NULL, source_id, -1 FROM cfa_outcome"
                              ") ORDER BY uai, rank DESC"),
        )

    def places(self) -> set[str]:
        """The places of national or regional figures that concern the database: 'FR', its
        régions ('R:<code>') and départements ('D:<code>')."""
        return {"FR"} | {f"R:{code}" for code, _ in self.regions} | {f"D:{d}" for d in self.departements}

    def fap2009_codes(self) -> set[str]:
        """The FAP 2009 families of our professions (through the métiers BMO that contain them)."""
        return {c for codes in self.professions["fap2009_codes"] for c in codes}

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

    def departement_of_area(self) -> dict[str, str]:
        if "departement_code" in self.areas.columns:
            return dict(zip(self.areas["code"], self.areas["departement_code"]))
        return {code: self.departement for code in self.areas["code"]}

    def departement_of_commune(self) -> dict[str, str]:
        areas = self.departement_of_area()
        return {commune: areas.get(canton) for commune, canton in self.canton_of_commune().items()}

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

    def communes_at(self, lon, lat) -> list[str | None]:
        """The base's commune of each point inside the territory: the one whose centre is nearest,
        within the area that contains the point; None outside."""
        areas = self.locate(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        found: list[str | None] = []
        for x, y, area in zip(lon, lat, areas):
            inside = self.communes[self.communes["canton_code"] == area]
            if area is None or inside.empty:
                found.append(None)
                continue
            nearest = np.argmin(np.hypot(inside["lon"].to_numpy() - x, inside["lat"].to_numpy() - y))
            found.append(inside["code"].iloc[int(nearest)])
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
    check_length(len(data), file)


def check_length(size: int, file: str) -> None:
    """Refuse a file over `MAX_FILE_BYTES` (callable with its size on disk, before reading it)."""
    if size > MAX_FILE_BYTES:
        raise ImportRejected(file, f"fichier trop gros ({size // 1_000_000} Mo ; au plus {MAX_FILE_BYTES // 1_000_000} Mo).")


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; a binary file is refused."""
    check_size(data, file)
    return data.decode(text_encoding(io.BytesIO(data), file))


def text_encoding(stream: typing.BinaryIO, file: str, chunk: int = 1 << 20) -> str:
    """The encoding of a text file, read in chunks (its size does not matter): « utf-8-sig », else
    « cp1252 ». A UTF-16 file, a file holding NUL bytes (binary) or an undecodable one is refused."""
    head = stream.read(4)
    if not head:
        raise ImportRejected(file, "le fichier est vide.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(file, "encodage UTF-16 non pris en charge : enregistrez le fichier en UTF-8 "
                                   "(« CSV UTF-8 » dans Excel).")
    for encoding in ("utf-8-sig", "cp1252"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while data := stream.read(chunk):
                if b"\x00" in data:
                    raise ImportRejected(file, "fichier binaire (octets nuls) : attendu un fichier texte (CSV, JSON ou XML).")
                decoder.decode(data)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportRejected(file, "encodage illisible : attendu UTF-8 ou Windows-1252.")


def header_line(head: bytes) -> str:
    """The first line of a file's head, for detection: decoded leniently, without its BOM."""
    lines = head.decode("utf-8", errors="ignore").lstrip("\ufeff").splitlines()
    return lines[0] if lines else ""


def read_csv(data: bytes, file: str, required: list[str] | None = None, rename=None) -> pd.DataFrame:
    """A CSV of text cells: encoding and separator detected, header checked (after `rename` of each
    column name, when given), line numbers kept."""
    text = decode_text(data, file)
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise ImportRejected(file, "le fichier est vide.")
    separator = max(SEPARATORS, key=first.count)
    _check_field_counts(text, separator, file)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportRejected(file, f"CSV mal formé ({error}).") from error
    frame.columns = [rename(c) if rename else c.strip() for c in frame.columns]
    if required:
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise ImportRejected(file, f"colonne(s) manquante(s) : {', '.join(missing)} "
                                       f"(colonnes trouvées : {', '.join(frame.columns[:12])}).")
    frame.index = frame.index + 2  # the file's line numbers: line 1 is the header
    return frame


def _check_field_counts(text: str, separator: str, file: str) -> None:
    """A row with more fields than the header (a label holding the separator, unquoted) is refused
    with its line: read as is, its values would shift under the wrong columns."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        width = len(next(reader))
        for row in reader:
            if len(row) > width:
                raise ImportRejected(file, f"{len(row)} champs pour {width} colonnes d'en-tête : une valeur contient-elle "
                                           f"le séparateur « {separator} » sans guillemets ?", line=reader.line_num)
    except csv.Error as error:
        raise ImportRejected(file, "CSV mal formé (guillemet non fermé ?)", line=reader.line_num) from error


FIRST_YEAR = 2000  # figures of this observatory start long after; an earlier date is a typing error


def plausible_date(text: str, file: str, where: str) -> date:
    """A date AAAA-MM-JJ that exists and lies between 2000 and next year."""
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise ImportRejected(file, f"{where} : date « {text} » impossible.") from None
    if not FIRST_YEAR <= day.year <= date.today().year + 1:
        raise ImportRejected(file, f"{where} : date « {text} » invraisemblable (attendu entre {FIRST_YEAR} "
                                   f"et {date.today().year + 1}).")
    return day


def integer(value: str, file: str, line: int, column: str, allow_secret: bool = False) -> int | None:
    """A count: digits (a decimal comma or point with zero decimals accepted), or None if empty."""
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "":
        return None
    if allow_secret and text == "*":
        return None
    if not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", text):
        raise ImportRejected(file, f"« {value} » n'est pas un nombre écrit en chiffres (attendu un effectif entier)",
                             line=line, column=column)
    number = float(text.replace(",", "."))
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


def year_in_name(file: str, example: str, meaning: str) -> int:
    """The one year (20xx) a file's name gives, for a file without a year column; refused with a French
    message otherwise (`example`: « affelnet_2024.csv », `meaning`: « la rentrée 2024 »)."""
    found = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", file))
    if len(found) != 1:
        raise ImportRejected(file, "ce fichier ne dit pas son année : écrivez-la (une seule) dans le nom du fichier, "
                                   f"par exemple « {example} » pour {meaning}.")
    return int(found.pop())


def uai_departement(uai: str) -> str:
    """The département of an establishment number (UAI): its first three characters (« 040 » → 40,
    « 620 » → 2A, « 720 » → 2B, « 974 » → 974)."""
    head = uai[:3]
    return {"620": "2A", "720": "2B"}.get(head, head[1:] if head.startswith("0") else head)


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
