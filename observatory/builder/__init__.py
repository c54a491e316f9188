"""Building the database: the only code that writes it, with its helpers (real extracts, demo
figures, geography, referential, the imported files and their manifest).
May import `figures`, `ingest`, `secrecy`, `database`, `vocabulary`, `paths`, `files`; never `present` or `ui`.

`build` checks every input first (reference, referential, real extracts against `sources.json`,
imported files against the manifest), writes `.observatory.duckdb.tmp-<pid>` beside the live file,
fills it (`fill`: reference geography, professions, demo figures, the real extracts and every
imported file replayed through the importers, access distances, the masked cube), checks that it
reads back whole, keeps the live file as `observatory.duckdb.previous`, then `os.replace`s the new
one over it. A failed or interrupted build leaves the live file intact. `repair` serves a sound
base again when the live one is found damaged. Imports point one way: the
builder calls the importers (`ingest`) and reads the manifest; nothing it calls imports it back.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from observatory import database, paths
from observatory.builder import demo, fill, real_extracts
from observatory.builder.manifest import check_stored
from observatory.builder.errors import BuildError
from observatory.builder.reference import load_reference
from observatory.database import NATIONAL
from observatory.files import replace_with_same_file, write_atomically

__all__ = ["BuildError", "NATIONAL", "build", "build_options", "previous_path", "FACT_TABLES"]
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
    real_dir: Path = paths.REAL_DIR,
) -> str:
    """Build the database into a temporary file, then atomically replace `db_path`: reference
    geography (`departement`, or `NATIONAL` for every extracted département), profession
    referential, demo figures, the real extracts of `real_dir` (unless `with_real` is False),
    then every imported file replayed. Returns a French summary of the rows loaded.

    Every input is checked before anything is written (BuildError naming the file at fault and
    what restores it); the new file must pass `database.health_problem` before the swap, and the
    base it replaces, if sound, is kept as `previous_path(db_path)` (one generation only)."""
    db_path = Path(db_path)
    imports_dir = imports_dir or paths.imports_dir_for(db_path)
    reference = load_reference(departement, reference_root)
    professions = fill.professions(professions_csv)
    embedded = real_extracts.embedded(real_dir) if with_real else []
    imported = check_stored(imports_dir)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(db_path)
    tmp = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            scope = departement if departement == NATIONAL else str(reference.departement["code"].iloc[0])
            counts = fill.fill(con, reference, professions, imports_dir, imported, scope, demo_years, offers_target,
                               embedded)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        problem = database.health_problem(tmp)
        if problem:
            raise BuildError(f"la base construite ne se relit pas ({problem}) ; la base en service est intacte.")
        _keep_previous(db_path)
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    write_atomically(options_path(db_path), json.dumps(
        {"departement": scope, "with_real": with_real, "demo_years": list(demo_years),
         "offers_target": offers_target}).encode("utf-8"))
    return ", ".join(f"{table} : {n} lignes" for table, n in counts.items())


def previous_path(db_path: Path) -> Path:
    """The last sound base replaced by a build, served if the live one is found damaged."""
    return Path(db_path).with_name(Path(db_path).name + ".previous")


def options_path(db_path: Path) -> Path:
    """The options of the last build, beside the base: a base too damaged to read is rebuilt with them."""
    return Path(db_path).with_name(Path(db_path).name + ".options.json")


def _keep_previous(db_path: Path) -> None:
    """Keep the live base, if sound, as the previous one (a second name for the same file, so no copy
    and no moment without a live base); the older previous is dropped."""
    if not db_path.exists() or database.health_problem(db_path):
        return
    replace_with_same_file(db_path, previous_path(db_path))


def build_options(db_path: Path) -> dict:
    """The options `db_path` was built with, for a rebuild (same scope, years, offers and real
    extracts): from the base itself, or from the options saved beside it when it cannot be read,
    or none (the defaults) when neither is there."""
    try:
        con = database.connect_readonly(db_path)
        try:
            scope, with_real, years, offers = con.execute(
                "SELECT departement_code, with_real, demo_years, offers_target FROM build_info").fetchone()
        finally:
            con.close()
    except (duckdb.Error, TypeError):
        try:
            saved = json.loads(options_path(db_path).read_text(encoding="utf-8"))
            scope, with_real, years, offers = (saved["departement"], saved["with_real"], saved["demo_years"],
                                               saved["offers_target"])
        except (OSError, ValueError, TypeError, KeyError):
            return {}
    return {"departement": scope, "with_real": with_real, "demo_years": tuple(years), "offers_target": offers}


def _remove_stale_builds(db_path: Path) -> None:
    """Delete temporary files left by builds whose process no longer exists (e.g. killed -9): the
    new base being filled (`.<name>.tmp-<pid>`) and a second name being staged (`.<name>…staged-<pid>`)."""
    for leftover in db_path.parent.glob(f".{db_path.name}*-*"):
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
