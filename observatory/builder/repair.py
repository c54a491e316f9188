"""A live base found damaged is never served: the previous sound base takes its place, or, without
one, the base is rebuilt from the observatory's own files (reference, extracts, imported files).

Called by the app when it first meets a version of the file that fails `database.health_problem`
(a copy cut short, a full disk, a base of another version of the code). One repair at a time, under
the imports' lock: a second process waiting for it finds the base sound and does nothing. Each
repair leaves a line in `<base>-incidents.jsonl` beside the base, which the pages and the Données
page read.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from observatory import database, paths
from observatory.builder import build, build_options, previous_path
from observatory.builder.manifest import exclusive
from observatory.files import replace_with_same_file

RESTORED = "restored"  # the previous sound base was put back
REBUILT = "rebuilt"  # rebuilt from the observatory's own files
REPAIR_WAIT_SECONDS = 900  # a national rebuild under way in another process
INCIDENTS_SHOWN = 20


@dataclass(frozen=True)
class Incident:
    at: str  # ISO date and time of the repair
    action: str  # RESTORED or REBUILT
    problem: str  # what was wrong with the live base, in French


def incidents_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f"{Path(db_path).stem}-incidents.jsonl")


def ensure_sound(db_path: Path, wait: float = REPAIR_WAIT_SECONDS) -> Incident | None:
    """Leave a sound base at `db_path`: build it when absent (first opening), put the previous sound
    base back or rebuild when it is damaged. The incident, or None when nothing was damaged.
    Raises BuildError when a rebuild is needed and an input of the build is itself missing."""
    db_path = Path(db_path)
    with exclusive(paths.imports_dir_for(db_path), wait):
        if not db_path.exists():
            build(db_path, **build_options(db_path))
            return None
        problem = database.health_problem(db_path)
        if problem is None:  # sound, or repaired by another process while this one waited
            return None
        previous = previous_path(db_path)
        if previous.exists() and database.health_problem(previous) is None:
            replace_with_same_file(previous, db_path)
            action = RESTORED
        else:
            build(db_path, **build_options(db_path))
            action = REBUILT
        incident = Incident(datetime.now().replace(microsecond=0).isoformat(), action, problem)
        with open(incidents_path(db_path), "a", encoding="utf-8") as log:
            log.write(json.dumps(asdict(incident), ensure_ascii=False) + "\n")
        return incident


def incidents(db_path: Path, latest: int = INCIDENTS_SHOWN) -> list[Incident]:
    """The latest repairs of the base at `db_path`, newest first (a damaged line is skipped)."""
    try:
        lines = incidents_path(db_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    found = []
    for line in reversed(lines):
        try:
            found.append(Incident(**json.loads(line)))
        except (ValueError, TypeError):
            continue
        if len(found) == latest:
            break
    return found
