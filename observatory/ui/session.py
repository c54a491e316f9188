"""Which database the app reads, and its read-only connection: one per version of the file, so an
import's atomic swap is seen at the next rerun."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import streamlit as st

from observatory import builder, database, paths
from observatory.builder import repair
from observatory.builder.manifest import ImportBusy
from observatory.ui import failures
from observatory.vocabulary import wording

DB_ENV = "OBSERVATORY_DB"
NOTICE_HOURS = 24

Signature = tuple[str, int, int]  # path, inode, modification time: one version of the file


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or paths.DEFAULT_DB)


def ensure_database() -> None:
    """A sound base at `db_path()` before any page reads it: built at the first opening; when the
    file is found damaged (checked once per version of it), the previous sound base is put back or
    the base is rebuilt from the observatory's own files (`builder.repair`). The notice of a recent
    repair is shown on every page for NOTICE_HOURS."""
    path = db_path()
    if not path.exists() or _health(*signature()) is not None:
        with st.spinner("Préparation de la base de l'observatoire…"):
            try:
                repair.ensure_sound(path)
            except (builder.BuildError, ImportBusy) as error:
                failures.LOG.error("Base illisible et non reconstruite (%s) : %s", path, error)
                st.error("La base de l'observatoire est illisible et n'a pas pu être reconstruite : un de ses "
                         "fichiers manque ou a été modifié. Rien n'a été effacé. Prévenez le chargé de données ; "
                         "le détail est dans le journal du serveur.")
                st.stop()
    log = repair.incidents_path(path)
    latest = _latest_repair(str(path), log.stat().st_mtime_ns) if log.exists() else None
    if latest and datetime.now() - datetime.fromisoformat(latest.at) < timedelta(hours=NOTICE_HOURS):
        st.warning(wording.repair_notice(latest.action, datetime.fromisoformat(latest.at)), icon=":material/build:")


@st.cache_resource(max_entries=2, show_spinner=False)
def _latest_repair(db: str, log_mtime: int) -> repair.Incident | None:
    # The repairs' log is read once per version of it, not at every rerun of every page.
    found = repair.incidents(Path(db), 1)
    return found[0] if found else None


@st.cache_resource(max_entries=4, show_spinner=False)
def _health(path: str, inode: int, mtime: int) -> str | None:
    return database.health_problem(Path(path))


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
