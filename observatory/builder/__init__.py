"""Building the database: the only code that writes it, with its helpers (real extracts, demo
figures, geography, referential, the imported files and their manifest).
May import `figures`, `ingest`, `secrecy`, `database`, `vocabulary`, `paths`, `files`; never `present` or `ui`.

`build` writes `.observatory.duckdb.tmp-<pid>` beside the live file, fills it (`fill`: reference
geography, professions, demo figures, the real extracts and every imported file replayed through
the importers, access distances, the masked cube), checks it, then `os.replace`s it over the live
file. A failed or interrupted build leaves the live file intact. Imports point one way: the
builder calls the importers (`ingest`) and reads the manifest; nothing it calls imports it back.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from observatory import database, paths
from observatory.builder import demo
from observatory.builder import fill
from observatory.builder.errors import BuildError
from observatory.builder.reference import load_reference
from observatory.database import NATIONAL

__all__ = ["BuildError", "NATIONAL", "build", "build_options", "FACT_TABLES"]
FACT_TABLES = fill.FACT_TABLES


def build(
    db_path: Path = paths.DEFAULT_DB,
    departement: str = paths.DEFAULT_DEPARTEMENT,
    reference_root: Path = paths.REFERENCE_DIR,
    professions_csv: Path = paths.PROFESSIONS_CSV,
    imports_dir: Path | None = None,
    demo_years: tuple[int, ...] = demo.YEARS,
    offers_target: int | None = None,
    with_real: bool = True,
) -> str:
    """Build the database into a temporary file, then atomically replace `db_path`: reference
    geography (`departement`, or `NATIONAL` for every extracted département), profession
    referential, demo figures, the real extracts of `data/real/` (unless `with_real` is False),
    then every imported file replayed. Returns a French summary of the rows loaded."""
    reference = load_reference(departement, reference_root)
    professions = fill.professions(professions_csv)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(db_path)
    tmp = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            scope = departement if departement == NATIONAL else str(reference.departement["code"].iloc[0])
            counts = fill.fill(con, reference, professions, imports_dir or paths.imports_dir_for(db_path),
                               scope, demo_years, offers_target, with_real)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    return ", ".join(f"{table} : {n} lignes" for table, n in counts.items())


def build_options(db_path: Path) -> dict:
    """The options `db_path` was built with, for a rebuild after an import (same scope, years,
    offers and real extracts)."""
    con = database.connect_readonly(db_path)
    try:
        scope, with_real, years, offers = con.execute(
            "SELECT departement_code, with_real, demo_years, offers_target FROM build_info").fetchone()
    finally:
        con.close()
    return {"departement": scope, "with_real": with_real, "demo_years": tuple(years), "offers_target": offers}


def _remove_stale_builds(db_path: Path) -> None:
    """Delete temporary files left by builds whose process no longer exists (e.g. killed -9)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
