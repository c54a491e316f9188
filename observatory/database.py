"""Reading the database: the read-only connection every query and export uses.

Nothing here writes: building lives in `observatory.builder`, which never is imported from here.
"""
from __future__ import annotations

import functools
from pathlib import Path

import duckdb

from observatory import paths

ALIAS = "observatory"
NATIONAL = "FR"  # the scope of a database of every département with a reference folder


@functools.cache
def read_sql(name: str) -> str:
    """The text of `observatory/sql/<name>.sql` (`name` may hold a sub-folder: "queries/areas")."""
    return (paths.SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect_readonly(db_path: Path = paths.DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at `db_path`.

    `duckdb.connect(path)` would hand back DuckDB's cached instance of the same path while any
    connection to it is still open, i.e. the *previous* file after an atomic swap. A private
    in-memory instance that ATTACHes the path always opens the file that is there now."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{str(db_path).replace(chr(39), chr(39) * 2)}' AS {ALIAS} (READ_ONLY)")
    con.execute(f"USE {ALIAS}")
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor (its own connection, safe in another thread) on the attached database."""
    cur = con.cursor()
    cur.execute(f"USE {ALIAS}")
    return cur
