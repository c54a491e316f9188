"""The data officer's sign-in attempts: one log on disk that every session and every server process
shares, and the wait it imposes after repeated failures.

A new tab or a script that opens a fresh session starts with the same count, so the wait holds.
Each line of the log is one attempt (time, outcome, session, client address when Streamlit knows
it); the password typed is never written. The lock is read from the log itself: the failures since
the last success, from one address and from all together.
"""
from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_FAILURES = 5  # from one address (or from unknown addresses together), then a wait
SERVER_FAILURES = 20  # from every address together, then a wait
LOCK_SECONDS = 60  # the first wait; it doubles at each further failure…
MAX_LOCK_SECONDS = 3600  # …up to an hour
FORGET_SECONDS = 24 * 3600  # failures older than a day no longer count
KEEP_LINES = 2000  # the log keeps its latest lines

FAILURE, SUCCESS, LOCKED = "échec", "réussite", "refus : attente en cours"

clock: Callable[[], float] = time.time  # tests move time forward without sleeping


@dataclass(frozen=True)
class Attempt:
    at: float  # seconds since the epoch
    outcome: str  # FAILURE, SUCCESS or LOCKED
    session: str
    address: str | None = None


def log_path(db_path: Path) -> Path:
    """Beside the database it guards: data/observatory-connexions.jsonl."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-connexions.jsonl")


def read(path: Path) -> list[Attempt]:
    """The attempts logged, oldest first; an unreadable line is skipped, not fatal."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    attempts = []
    for line in lines:
        try:
            attempts.append(Attempt(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return attempts


def _failures_since_success(attempts: list[Attempt]) -> tuple[int, float]:
    count, last = 0, 0.0
    for attempt in attempts:
        if attempt.outcome == SUCCESS:
            count = 0
        elif attempt.outcome == FAILURE:
            count, last = count + 1, attempt.at
    return count, last


def wait_seconds(attempts: list[Attempt], address: str | None, now: float) -> float:
    """How long before the next try is heard: 0 when it may be heard now."""
    recent = [a for a in attempts if now - a.at < FORGET_SECONDS]
    waits = [0.0]
    for selected, limit in (([a for a in recent if a.address == address], MAX_FAILURES), (recent, SERVER_FAILURES)):
        count, last = _failures_since_success(selected)
        if count >= limit:
            waits.append(last + min(LOCK_SECONDS * 2 ** (count - limit), MAX_LOCK_SECONDS) - now)
    return max(waits)


def attempt(path: Path, password_ok: Callable[[], bool], session: str, address: str | None) -> tuple[str, float]:
    """Hear one try unless a wait is running, and log it; (outcome, seconds to wait before the next).
    The check and the log line are written under one lock on the file, so that simultaneous
    sessions, threads or server processes cannot slip a try past the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            attempts = read(path)
            now = clock()
            wait = wait_seconds(attempts, address, now)
            outcome = LOCKED if wait > 0 else SUCCESS if password_ok() else FAILURE
            entry = Attempt(at=now, outcome=outcome, session=session, address=address)
            attempts.append(entry)
            if len(attempts) > 2 * KEEP_LINES:  # rewrite, keeping the latest lines
                handle.seek(0)
                handle.truncate()
                attempts = attempts[-KEEP_LINES:]
                handle.write("".join(json.dumps(asdict(a), ensure_ascii=False) + "\n" for a in attempts))
            else:
                handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            handle.flush()
            return outcome, wait if outcome == LOCKED else wait_seconds(attempts, address, now)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_wait(path: Path, address: str | None) -> float:
    """The wait running now for this address (0 when none): the form is not drawn meanwhile."""
    return wait_seconds(read(path), address, clock())
