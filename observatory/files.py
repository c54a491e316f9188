"""Files written whole or not at all: beside their target, then renamed over it, so that a reader
(or a crash) never meets half a file."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` (readable by all, as an ordinary file); the folder is created if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_with_same_file(source: Path, target: Path) -> None:
    """Make `target` a second name of `source` (a hard link; a copy on a file system without them),
    in one rename: a reader of `target` sees the old file or the new one, never a moment without."""
    staged = target.with_name(f".{target.name}.staged-{os.getpid()}")
    staged.unlink(missing_ok=True)
    try:
        try:
            os.link(source, staged)
        except OSError:
            shutil.copyfile(source, staged)
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
