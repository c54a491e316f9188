"""`python -m observatory bench`: every figure is produced, and nothing under data/ changes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from devtools import bench
from observatory import paths


def _data_state() -> dict:
    return {str(p): p.stat().st_mtime_ns for p in paths.DATA_DIR.rglob("*") if p.is_file()}


def test_bench_measures_every_figure_and_changes_no_data(tmp_path, con):
    before = _data_state()
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "observatory", "bench", "--scale", "departement", "--runs", "3",
                           "--page-runs", "2", "--export-rows", "20000", "--json", str(out)],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _data_state() == before
    figures = json.loads(out.read_text(encoding="utf-8"))["scales"]["departement"]

    built = figures["build"]
    assert built["areas"] == con.execute("SELECT COUNT(*) FROM canton").fetchone()[0]
    assert built["job_offers"] == con.execute("SELECT COUNT(*) FROM job_offer").fetchone()[0]
    assert built["build_s"] > 0 and built["build_peak_mb"] > 50

    landes = figures["scopes"]["Landes"]
    assert set(landes["queries"]) == {"Accueil", "Carte", "Tendances", "Fiche canton", "Accès", "Export"}
    assert all(q["runs"] == 3 and 0 < q["median_ms"] <= q["p95_ms"] for q in landes["queries"].values())
    assert set(landes["reruns"]) == {"page vide", *bench.PAGES}
    assert landes["map"]["areas"] == 17 and landes["map"]["outline_bytes"] > landes["map"]["rerun_bytes"] > 1_000

    e = figures["export"]
    assert e["rows"] == 20_000 and e["ours_lines"] == 20_000 + 1  # header and rows: the notes are in their own file
    assert e["duckdb_copy_bytes"] > 0 and e["ours_s"] > 0
    if "skipped" not in e["datasette"]:
        assert e["datasette"]["lines"] == 20_000 + 1

    cold = figures["cold_start"]
    in_browser = landes["browser_map"]
    if Path("/usr/bin/chromium").exists():
        assert cold["first_page_s"] > 0 and cold["server_peak_mb"] > 50
        assert in_browser["areas"] == 17 and in_browser["first_paint_runs"] == 3 and in_browser["first_paint_s"] > 0
        # a rerun sends the map's values (and the rest of the page) but not its outlines again
        assert 1_000 < in_browser["rerun_received_bytes"] < landes["map"]["outline_bytes"] + landes["map"]["rerun_bytes"]
    else:
        assert "chromium absent" in cold["skipped"] and "chromium absent" in in_browser["skipped"]
    assert "Export CSV-FR de 20 000 lignes" in done.stdout


def test_each_scale_measures_its_own_base(monkeypatch, tmp_path):
    measured = []
    monkeypatch.setattr(bench, "build_scale", lambda scale, folder, offers: (tmp_path / scale, {"scale": scale}))
    for name in ("query_times", "rerun_times"):
        monkeypatch.setattr(bench, name, lambda db, scope, *rest: measured.append((db.name, scope.label)) or {})
    monkeypatch.setattr(bench, "map_payload", lambda db, scope: {})
    monkeypatch.setattr(bench, "export_speed", lambda db, rows, folder: {})
    monkeypatch.setattr(bench, "report", lambda results: "")
    results = bench.run(["departement", "national"], 1, 1, 10, 10, browser=False)
    assert {scale: figures["build"]["scale"] for scale, figures in results["scales"].items()} == {
        "departement": "departement", "national": "national"}
    assert {db for db, _ in measured} == {"departement", "national"}
    assert all((db == "national") == (label in {s.label for s in bench.SCOPES["national"]}) for db, label in measured)


def test_bench_without_the_development_packages_says_what_it_skips(monkeypatch):
    real = bench.importlib.util.find_spec
    monkeypatch.setattr(bench.importlib.util, "find_spec", lambda name, *a: None if name == "playwright" else real(name, *a))
    if Path("/usr/bin/chromium").exists():
        assert "requirements-dev.txt" in bench.browser_missing()
    assert bench.map_in_browser(Path("/nonexistent"), bench.SCOPES["departement"][0], 1)["skipped"]
