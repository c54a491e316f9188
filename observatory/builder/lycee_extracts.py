"""How the lycées' files become compact extracts (`real_extracts.EXTRACTS` lists them): the rows of
the formations of our diplomas (MEF codes of data/referential/mef_lycees.csv), whole France, in the
original columns; and, from the directories, the rows of the establishments those rows name."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory import paths

LYCEES = "real/lycees"
CONSTAT = f"{LYCEES}/constat_rentree_2020.csv"
AFFELNET = {2021: f"{LYCEES}/affelnet_capacite_voeux_2021.csv", 2022: f"{LYCEES}/affelnet_capacite_voeux_2022.csv"}
BTS = {year: f"{LYCEES}/bts_capacite_voeux_{year}.csv" for year in (2022, 2023, 2024)}
DIRECTORY = f"{LYCEES}/lycees_donnees_generales.csv"
ONISEP_PLACES = f"{LYCEES}/onisep_lieux_specialites_premiere.csv"
MEASURE_FILES = (CONSTAT, *AFFELNET.values(), *BTS.values())


def _mefs() -> set[str]:
    return set(pd.read_csv(paths.LYCEE_FORMATIONS_CSV, dtype=str, keep_default_na=False)["mef"])


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def measures(path: Path) -> pd.DataFrame:
    """The rows of our formations, in the importer's columns for this file's shape."""
    from observatory.ingest.lycees import SHAPES

    frame = _read(path)
    for uai, mef, pathway, figures, year in SHAPES.values():
        columns = [c for c in (year, uai, mef, pathway, *figures) if c]
        if all(c in frame.columns for c in columns):
            return frame.loc[frame[mef].str.strip().isin(_mefs()), columns]
    raise ValueError(f"{path.name} : colonnes d'un fichier des lycées introuvables")


def _uais(shared: Path) -> set[str]:
    """The establishments the measure files name for our formations."""
    from observatory.ingest.lycees import SHAPES

    found: set[str] = set()
    for name in MEASURE_FILES:
        frame = measures(shared / name)
        column = next(uai for uai, mef, *_ in SHAPES.values() if uai in frame.columns and mef in frame.columns)
        found |= set(frame[column].str.strip().str.upper())
    return found


def _shared_root(path: Path, original: str) -> Path:
    return path.parents[len(Path(original).parts) - 1]  # the folder holding real/ and samples/


def directory(path: Path) -> pd.DataFrame:
    """The lycées' directory rows of the establishments our formations' files name."""
    from observatory.ingest.establishments import DIRECTORY as COLUMNS

    frame = _read(path)
    return frame.loc[frame["CODE_UAI"].str.strip().str.upper().isin(_uais(_shared_root(path, DIRECTORY))), COLUMNS]


def onisep_places(path: Path) -> pd.DataFrame:
    """ONISEP's places of the establishments our formations' files name (one row each)."""
    from observatory.ingest.establishments import ONISEP as COLUMNS

    frame = _read(path)
    kept = frame.loc[frame[COLUMNS[0]].str.strip().str.upper().isin(_uais(_shared_root(path, ONISEP_PLACES))), COLUMNS]
    return kept.drop_duplicates(COLUMNS[0])
