"""Where the project's files live, resolved from the package, never from the working directory."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
PROFESSIONS_CSV = DATA_DIR / "referential" / "professions.csv"
DEFAULT_DB = DATA_DIR / "observatory.duckdb"
# Files accepted by `python -m observatory import`, replayed by each build (tests point it elsewhere).
IMPORTS_DIR = Path(os.environ.get("OBSERVATORY_IMPORTS_DIR") or DATA_DIR / "imports")
SQL_DIR = Path(__file__).resolve().parent / "sql"
STATIC_DIR = ROOT / "static"
DEFAULT_DEPARTEMENT = "40"


def reference_dir(departement: str) -> Path:
    return REFERENCE_DIR / departement
