"""`bench --visitors`: simultaneous sessions over Streamlit's websocket protocol, no browser."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from devtools import server, visitors
from observatory import paths


def test_a_crowd_runs_the_page_and_its_reruns_on_a_server_started_for_it():
    results = visitors.run(paths.DEFAULT_DB, [1, 4], "", "", 2, None)
    assert [r["visitors"] for r in results] == [1, 4]
    for r in results:
        assert r["failures"] == 0, r["failure_reasons"]
        assert r["first_page"]["count"] == r["visitors"]
        assert r["all_runs"]["count"] == 3 * r["visitors"] and r["reruns_only"]["count"] == 2 * r["visitors"]
        assert 0 < r["all_runs"]["median_s"] <= r["all_runs"]["p95_s"] <= r["all_runs"]["max_s"]
        assert r["elements_drawn"] > 20  # the home page's title, cards, table and captions, not an early stop
        assert r["server_peak_mb"] > 50
        # a page costs CPU, never more than the cores gave in the crowd's time
        assert 1 < r["server_cpu_ms_per_run"] * r["all_runs"]["count"] < 1000 * r["seconds"] * os.cpu_count()

def test_another_page_and_its_filters_are_opened_from_the_link():
    process, base = server.start(paths.DEFAULT_DB)
    try:
        server.wait_healthy(process, base)
        home = visitors.measure(base, 1, reruns=0)
        tensions = visitors.measure(base, 1, page="tensions", query="metiers=aide-soignant", reruns=0)
    finally:
        server.stop(process)
    assert home["failures"] == tensions["failures"] == 0
    assert "server_peak_mb" not in home  # a server not started by the bench: its memory is not read
    assert tensions["elements_drawn"] != home["elements_drawn"]


def test_a_server_that_does_not_answer_counts_every_visitor_as_failed():
    url = f"http://127.0.0.1:{server.free_port()}"
    figures = visitors.measure(url, 3, reruns=1)
    assert figures["failures"] == 3 and figures["first_page"]["count"] == 0
    assert any("connexion" in reason for reason in figures["failure_reasons"])


def test_the_command_prints_the_table_in_french_and_refuses_a_bad_count():
    done = subprocess.run([sys.executable, "-m", "observatory", "bench", "--visitors", "2", "--reruns", "1"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("2 |"))
    cells = row.split(" | ")
    assert cells[1] == "1" and cells[5] == "0" and cells[6].endswith(" Mo") and cells[7].endswith(" ms") and "," in cells[2]
    bad = subprocess.run([sys.executable, "-m", "observatory", "bench", "--visitors", "dix"],
                         cwd=paths.ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--visitors" in bad.stderr and "Traceback" not in bad.stderr


def test_a_crowd_behind_two_workers_is_measured_on_both(monkeypatch):
    import shutil

    if shutil.which("nginx") is None and not os.environ.get("OBSERVATORY_REQUIRE_NGINX"):
        pytest.skip("nginx absent (installé par .ci/run)")
    [alone] = visitors.run(paths.DEFAULT_DB, [4], "", "", 1, None)
    [pair] = visitors.run(paths.DEFAULT_DB, [4], "", "", 1, None, workers=2)
    assert pair["failures"] == 0 and pair["workers"] == 2 and pair["all_runs"]["count"] == 8
    assert pair["server_peak_mb"] > 1.5 * alone["server_peak_mb"]  # two Python processes, each with its caches
