"""Where the project's files live, resolved from the package, never from the working directory."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
PROFESSIONS_CSV = DATA_DIR / "referential" / "professions.csv"
DEFAULT_DB = DATA_DIR / "observatory.duckdb"
# Its own folder, so that it has its own imports/ beside it (see `imports_dir_for`).
NATIONAL_DB = DATA_DIR / "national" / "observatory.duckdb"  # `python -m observatory demo --scale national`


def imports_dir_for(db_path: Path) -> Path:
    """Files accepted by `python -m observatory import` live beside the database they feed, and
    every build of that database replays them (data/imports/ for data/observatory.duckdb)."""
    return Path(db_path).parent / "imports"
SQL_DIR = Path(__file__).resolve().parent / "sql"
STATIC_DIR = ROOT / "static"
DEFAULT_DEPARTEMENT = "40"


def reference_dir(departement: str) -> Path:
    return REFERENCE_DIR / departement
BMO_METIERS_CSV = DATA_DIR / "referential" / "bmo_metiers.csv"
# ROME v3 fiches (the job-market files of 2020-2021) → our professions.
ROME_V3_CSV = DATA_DIR / "referential" / "rome_v3.csv"
# The diplomas that train for our professions, with their Parcoursup labels.
DIPLOMAS_CSV = DATA_DIR / "referential" / "diplomes.csv"
# Their formations in the lycées (MEF STAT 11 codes of the BCN), which the lycées' files count.
LYCEE_FORMATIONS_CSV = DATA_DIR / "referential" / "mef_lycees.csv"
# Where each public source is published and how `python -m observatory fetch` gets it.
SOURCES_CATALOGUE = DATA_DIR / "referential" / "catalogue_sources.json"
# Compact extracts of real open data, committed; rebuilt by `python -m observatory extract-real`.
REAL_DIR = DATA_DIR / "real"
# The public originals and samples (never committed): beside the repository by default, for rebuilding
# extracts and for tests; OBSERVATORY_SHARED points elsewhere.
SHARED_ENV = "OBSERVATORY_SHARED"
SHARED_DIR = Path(os.environ.get(SHARED_ENV) or ROOT.parent / "shared")


def shown(path: Path) -> str:
    """`path` as a person finds it: relative to the project when inside it (data/real/…)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
