"""Running page scripts with Streamlit's AppTest (server side, no browser): for the tests and the bench."""
from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from observatory import paths


def run_page(script: str, timeout: float = 120, **params) -> AppTest:
    """Run one page script (a path under the repository) with optional URL parameters, on the
    database named by OBSERVATORY_DB; fails on any exception."""
    at = AppTest.from_file(str(paths.ROOT / script), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun_times(script: Path, params: dict, change, runs: int) -> list[float]:
    """Seconds of each of `runs` reruns of a page script, each after `change(app_test, i)`. The
    script is compiled once, as the server does (AppTest recompiles it at every run)."""
    _keep_compiled_scripts()
    at = AppTest.from_file(str(script), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    times = []
    for i in range(runs):
        change(at, i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"{script.name} : {at.exception[0].message}")
    return times


def _keep_compiled_scripts() -> None:
    """Every script cache of this process shares one dictionary: the server keeps one cache for its
    whole life, AppTest makes a new one (and so compiles the page again, about 10 ms) at each run."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if getattr(ScriptCache, "_shared_by_bench", False):
        return
    shared: dict = {}
    create = ScriptCache.__init__

    def init(self) -> None:
        create(self)
        self._cache = shared

    ScriptCache.__init__ = init
    ScriptCache._shared_by_bench = True
