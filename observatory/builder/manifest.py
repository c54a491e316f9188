"""The import manifest (`data/imports/manifest.json`): which files the data officer imported, in
order, stored under their content hash; and the lock that lets one import or removal run at a time."""
from __future__ import annotations

import contextlib
import fcntl
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from observatory.builder.errors import BuildError
from observatory import paths
from observatory.files import write_atomically
from observatory.ingest import file_sha256

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    kind: str
    file: str  # stored name: <sha256><suffix>
    original_name: str
    sha256: str
    imported_at: str
    imported_by: str = ""
    origin: str = ""  # the address a fetched file came from; empty for an upload


LOCK_FILE = ".lock"
LOCK_WAIT_SECONDS = 30


class ImportBusy(Exception):
    """Another import or removal holds the lock; the message is in French."""


@contextlib.contextmanager
def exclusive(folder: Path, wait: float = LOCK_WAIT_SECONDS):
    """One import or removal at a time. The lock is the kernel's (flock), so a process killed in
    the middle releases it with its file descriptor: no stray lock survives a crash."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "a+")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ImportBusy("Un autre import est en cours ; rien n'a été modifié. "
                                     "Réessayez dans quelques instants.") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()  # releases the lock


class ManifestUnreadable(BuildError):
    """The manifest is not the list this module writes; the message (French) says how to repair it."""


def read_manifest(folder: Path) -> list[Entry]:
    path = folder / MANIFEST
    if not path.exists():
        return []
    try:
        return [Entry(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (ValueError, TypeError) as error:  # not JSON, not UTF-8, not a list of entries
        raise ManifestUnreadable(
            f"liste des fichiers importés illisible : {paths.shown(path)} ({str(error)[:120]}). Rien n'a été "
            f"modifié. Restaurez-la depuis une sauvegarde, ou retirez-la pour reconstruire la base sans les fichiers "
            f"importés (ils restent dans {paths.shown(folder)} et peuvent être réimportés).") from None


ABSENT = "absent"
ALTERED = "modifié depuis son import (son empreinte SHA-256 ne correspond plus)"


def stored_problems(folder: Path, entries: list[Entry] | None = None) -> list[tuple[Entry, str]]:
    """The imported files whose stored copy is absent or altered (ABSENT or ALTERED), in order."""
    found = []
    for entry in read_manifest(folder) if entries is None else entries:
        path = folder / entry.file
        if not path.is_file():
            found.append((entry, ABSENT))
        elif file_sha256(path) != entry.sha256:
            found.append((entry, ALTERED))
    return found


def check_stored(folder: Path) -> list[Entry]:
    """The manifest's entries, once every stored copy is there and unaltered; otherwise BuildError
    naming each file at fault and what restores it. Nothing is written."""
    entries = read_manifest(folder)
    problems = stored_problems(folder, entries)
    if problems:
        raise BuildError("Rien n'a été modifié. " + " ".join(
            f"Fichier importé « {entry.original_name} » (importé le {entry.imported_at[:10]}) {what} : "
            f"{paths.shown(folder / entry.file)}. Réimportez le fichier d'origine (page Données, ou python -m "
            f"observatory import FICHIER) ou retirez cet import (page Données, ou python -m observatory remove "
            f"{entry.sha256[:12]})." for entry, what in problems))
    return entries


def write_manifest(entries: list[Entry], folder: Path) -> None:
    write_atomically(folder / MANIFEST,
                     json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2).encode("utf-8"))
