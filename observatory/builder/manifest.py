"""The import manifest (`data/imports/manifest.json`): which files the data officer imported, in
order, stored under their content hash; and the lock that lets one import or removal run at a time."""
from __future__ import annotations

import contextlib
import fcntl
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from observatory.files import write_atomically

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    kind: str
    file: str  # stored name: <sha256><suffix>
    original_name: str
    sha256: str
    imported_at: str
    imported_by: str = ""


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


def read_manifest(folder: Path) -> list[Entry]:
    path = folder / MANIFEST
    if not path.exists():
        return []
    return [Entry(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def write_manifest(entries: list[Entry], folder: Path) -> None:
    write_atomically(folder / MANIFEST,
                     json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2).encode("utf-8"))
