"""DARES « Les tensions sur le marché du travail » (2019 edition, FAP 2009): the synthetic tension
indicator of each occupation family per département, région and France, its category and the
categories of its six components; or the national series of the indicator, 2011-2019.

Rows are kept for the FAP 2009 families of our professions and for the database's places."""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, header_line, read_csv,
)

KIND = "dares_tensions"
LABEL = "DARES, tensions sur le marché du travail par métier (FAP 2009)"
PUBLISHER = "DARES et Pôle emploi, « Les tensions sur le marché du travail »"
URL = "https://dares.travail-emploi.gouv.fr/donnees/les-tensions-sur-le-marche-du-travail"
LICENCE = "Licence Ouverte / Etalab 2.0"
# The file's column of each component (names as DARES writes them), and ours.
COMPONENTS = {
    "Intensité d'embauches": "hiring_intensity",
    "Lien formation-emploi": "training_mismatch",
    "Manque de main-d'œuvre disponible": "labour_shortage",
    "Non-durabilité de l'emploi": "non_durable_jobs",
    "Conditions de travail contraignantes": "working_conditions",
    "Inadéquation géographique": "geographic_mismatch",
}
TENSION, CATEGORY = "Tension", "Catégorie Tension"


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return first.startswith("fap,") and "Tension" in first and ("niveau_geo" in first or "Année" in first)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=["fap"])
    frame.columns = [c.strip() for c in frame.columns]  # DARES writes « Tension » with a trailing space
    report = Report(KIND, file, rows_read=len(frame))
    ours = frame[frame["fap"].str.strip().isin(ctx.fap2009_codes())]
    if "niveau_geo" in frame.columns:
        (table, blank), title = _by_place(ours, file, ctx), "Tensions sur le marché du travail par métier et territoire (2019)"
        name = "fap_tension"
    elif {"Année", TENSION} <= set(frame.columns):
        (table, blank), title = (_series(ours, file), 0), "Tensions sur le marché du travail par métier, France, 2011-2019"
        name = "fap_tension_series"
    else:
        raise ImportRejected(file, "colonnes DARES manquantes : attendu « niveau_geo », « dep », « reg » "
                                   "(par territoire) ou « Année » (série nationale).")
    if table.empty:
        raise NothingForTerritory(file, "aucune ligne pour les métiers de l'observatoire et le territoire de la base.")
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{report.rows_rejected} ligne(s) d'autres métiers ou d'autres territoires laissée(s) de côté"
                        + (f", dont {blank} sans indicateur publié (trop peu de personnes)." if blank else "."))
    report.notes.append("Nomenclature FAP 2009, reliée à nos métiers par les métiers BMO qui les contiennent.")
    return Parsed(KIND, {name: table}, report, publisher=PUBLISHER, title=title, licence=LICENCE, url=URL)


def _by_place(frame: pd.DataFrame, file: str, ctx: Context) -> tuple[pd.DataFrame, int]:
    """The rows of the database's places, and how many of them DARES left blank."""
    required = ["dep", "reg", "Année", TENSION, CATEGORY, *COMPONENTS]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ImportRejected(file, f"colonne(s) DARES manquante(s) : {', '.join(missing)}.")
    places = ctx.places()
    rows, blank = [], 0
    for line, row in frame.iterrows():
        level = row["niveau_geo"].strip()
        place = {"nat": "FR", "reg": f"R:{_code(row['reg'])}", "dep": f"D:{departement_code(row['dep'])}"}.get(level)
        if place is None:
            raise ImportRejected(file, f"niveau « {level} » inconnu (attendu nat, reg ou dep)", line=line,
                                 column="niveau_geo")
        if place not in places or row.get("niveau_fap", "fap 225").strip() != "fap 225":
            continue
        if not row[TENSION].strip():  # DARES publishes nothing for too few people
            blank += 1
            continue
        rows.append({"fap2009": row["fap"].strip(), "place": place, "year": _year(row["Année"], file, line),
                     "employment": _number(row.get("Emploi moyen", ""), file, line, "Emploi moyen"),
                     "tension": _number(row[TENSION], file, line, TENSION, required=True),
                     "category": _category(row[CATEGORY], file, line, CATEGORY),
                     **{ours: _category(row[theirs], file, line, theirs) for theirs, ours in COMPONENTS.items()}})
    columns = ["fap2009", "place", "year", "employment", "tension", "category", *COMPONENTS.values()]
    return pd.DataFrame(rows, columns=columns), blank


def _series(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    rows = [{"fap2009": row["fap"].strip(), "year": _year(row["Année"], file, line),
             "tension": _number(row[TENSION], file, line, TENSION, required=True)} for line, row in frame.iterrows()]
    return pd.DataFrame(rows, columns=["fap2009", "year", "tension"])


def _code(value: str) -> str:
    """A région code as DARES writes it (« 75.0 ») → « 75 »."""
    text = str(value).strip().removesuffix(".0")
    return text.zfill(2) if text.isdigit() else text


def _year(value: str, file: str, line: int) -> int:
    text = str(value).strip()
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ImportRejected(file, f"année « {value} » illisible", line=line, column="Année")
    return int(text)


def _number(value: str, file: str, line: int, column: str, required: bool = False) -> float | None:
    text = str(value).strip()
    if not text:
        if required:
            raise ImportRejected(file, "valeur manquante", line=line, column=column)
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas un nombre", line=line, column=column) from None


def _category(value: str, file: str, line: int, column: str) -> int | None:
    """A category 1 to 5 (« 5.0 »), or None where DARES left it blank (too few people)."""
    number = _number(value, file, line, column)
    if number is None:
        return None
    if number not in (1, 2, 3, 4, 5):
        raise ImportRejected(file, f"« {value} » n'est pas une catégorie de 1 à 5", line=line, column=column)
    return int(number)
