"""What a base holds, as one digest: two builds from the same files give the same digest."""
from __future__ import annotations

import hashlib

import duckdb


def content_digest(path) -> str:
    """SHA-256 over every table but `build_info` (which records the build's own time), rows sorted."""
    connection = duckdb.connect(str(path), read_only=True)
    digest = hashlib.sha256()
    try:
        tables = [t for (t,) in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_name <> 'build_info' ORDER BY 1").fetchall()]
        for table in tables:
            digest.update(table.encode())
            digest.update(connection.execute(f"SELECT * FROM {table} ORDER BY ALL").df().to_csv(index=False).encode())
    finally:
        connection.close()
    return digest.hexdigest()
