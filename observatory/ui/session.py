"""Which database the app reads, and its read-only connection: one per version of the file, so an
import's atomic swap is seen at the next rerun."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from observatory import builder, database, paths

DB_ENV = "OBSERVATORY_DB"

Signature = tuple[str, int, int]  # path, inode, modification time: one version of the file


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or paths.DEFAULT_DB)


def ensure_database() -> None:
    path = db_path()
    if not path.exists():
        with st.spinner("Première ouverture : construction de la base de l'observatoire…"):
            builder.build(path)


def signature() -> Signature:
    path = db_path()
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, inode: int, mtime: int):
    # One read-only connection per database file version; queries open their own cursor.
    return database.connect_readonly(Path(path))


def connection(version: Signature | None = None):
    """The read-only connection to `version` of the file (the current one by default)."""
    return _connection(*(version or signature()))
