"""Killing a command at moments spread over its own duration, for the tests of interrupted builds
and imports: no fixed sleep decides whether a kill lands before or after the swap."""
from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable


def timed(start: Callable[[], subprocess.Popen]) -> float:
    """Seconds one uninterrupted run of the command takes on this machine, now."""
    began = time.monotonic()
    process = start()
    assert process.wait(timeout=600) == 0
    return time.monotonic() - began


def kill_spread(start: Callable[[], subprocess.Popen], duration: float, observe: Callable[[], object],
                finished: Callable[[object], bool], points: int = 6) -> list[tuple[float, object]]:
    """Start the command and kill it (SIGKILL) at `points` moments spread over `duration`, then once
    after it; `observe()` after each kill. Until the run has been seen both unfinished and finished,
    the first or the last moment is moved (halved or doubled) and tried again, a few times at most,
    so that both outcomes are reached however loaded the machine is. Every (moment, observation)."""
    moments = [duration * (k + 0.5) / points for k in range(points)] + [duration * 1.5]
    seen = []
    for _ in range(6):
        for moment in moments:
            process = start()
            try:
                process.wait(timeout=moment)
            except subprocess.TimeoutExpired:
                pass
            process.send_signal(signal.SIGKILL)
            process.wait()
            seen.append((moment, observe()))
        outcomes = [finished(observation) for _, observation in seen]
        if any(outcomes) and not all(outcomes):
            return seen
        moments = [min(m for m, _ in seen) / 2] if all(outcomes) else [max(m for m, _ in seen) * 2]
    return seen
