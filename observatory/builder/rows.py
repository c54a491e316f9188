"""Writing rows into the database being built (table names are ours, never user input)."""
from __future__ import annotations

import duckdb
import pandas as pd

from observatory.database import read_sql


def insert_source(con, source_id: int, *, publisher: str, title: str, licence: str, url: str | None,
                  retrieved_on, file_hash: str | None, is_demo: bool, partial: bool = False,
                  coverage: str | None = None) -> int:
    con.execute(read_sql("build/insert_source"), {
        "id": source_id, "publisher": publisher, "title": title, "licence": licence, "url": url,
        "retrieved_on": retrieved_on, "file_hash": file_hash, "is_demo": is_demo, "partial": partial,
        "coverage": coverage})
    return source_id


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, by_name: bool = False) -> None:
    """Insert a DataFrame into `table` (a name from our own schema, never user input), by column
    position, or by column name when `by_name` (missing columns take their default)."""
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} {'BY NAME ' if by_name else ''}SELECT * FROM incoming")
    finally:
        con.unregister("incoming")
