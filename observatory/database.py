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
# The layout of the tables; a base built by another version of the code is rebuilt, never served.
SCHEMA_VERSION = 6


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


def health_problem(db_path: Path) -> str | None:
    """Why the file at `db_path` cannot be served, in French, or None when it can: it opens, it was
    built with this `SCHEMA_VERSION`, and every table reads to its last row (DuckDB checks each
    block's checksum, so a cut or damaged file fails here rather than on a visitor's page).
    About 0.1 s for the Landes base; run once per version of the file."""
    try:
        con = connect_readonly(db_path)
    except duckdb.Error:
        return "le fichier n'est pas une base DuckDB lisible"
    try:
        version = con.execute("SELECT schema_version FROM build_info").fetchone()
        if version is None or version[0] != SCHEMA_VERSION:
            found = "inconnue" if version is None else version[0]
            return f"base d'une autre version de l'observatoire (schéma {found}, attendu {SCHEMA_VERSION})"
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1", [ALIAS]).fetchall()]
        for table in tables:
            con.execute(f'SELECT max(hash(COLUMNS(*))) FROM "{table}"').fetchall()
        return None
    except duckdb.Error:
        return "le fichier est incomplet ou endommagé (une de ses tables ne se lit plus jusqu'au bout)"
    finally:
        con.close()
