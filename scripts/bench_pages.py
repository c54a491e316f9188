"""Server time of a filter change on each page, beside an empty Streamlit page, in the same run.

Usage: .venv/bin/python scripts/bench_pages.py [--runs 20] [--json FILE]

Each page script is run with Streamlit's AppTest (the server-side script run, no browser). One
warm-up run, then `--runs` reruns, each after choosing a profession not chosen before, so every
rerun queries the database afresh (cached results would flatter the figures). The empty page is a
script with one checkbox, toggled before each rerun: its time is AppTest's own overhead plus
Streamlit's, so "page − empty" is the time our code adds. It changes no data (it builds its own
database in a temporary folder).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatory import store  # noqa: E402

PAGES = {
    "Accueil": ("pages/accueil.py", {}),
    "Carte": ("pages/carte.py", {}),
    "Tendances": ("pages/tendances.py", {"canton": "4005"}),
    "Fiche canton": ("pages/fiche_canton.py", {"canton": "4008"}),
    "Méthodologie": ("pages/methodologie.py", {}),
    "Export": ("pages/export.py", {}),
}
TARGET_MS = {"Carte": 150}
DEFAULT_TARGET_MS = 60
EMPTY_PAGE = "import streamlit as st\n\nst.checkbox('x', key='x')\n"


def _time_reruns(script: Path, params: dict, change, runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=120)
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
            raise RuntimeError(f"{script.name}: {at.exception[0].message}")
    return times


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"median_ms": 1000 * statistics.median(ordered),
            "p95_ms": 1000 * ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        store.build(db)  # a fresh folder: the demo data only
        os.environ["OBSERVATORY_DB"] = str(db)
        from observatory import queries

        con = store.connect_readonly(db)
        codes = queries.professions(con)["code"].tolist()
        con.close()

        def change_profession(at, i):
            at.multiselect(key="f_professions").set_value([codes[i % len(codes)]])

        def toggle(at, i):
            at.checkbox(key="x").set_value(i % 2 == 0)

        empty = Path(folder) / "empty_page.py"
        empty.write_text(EMPTY_PAGE, encoding="utf-8")
        results = {"empty page": _summary(_time_reruns(empty, {}, toggle, args.runs))}
        for name, (script, params) in PAGES.items():
            results[name] = _summary(_time_reruns(ROOT / script, params, change_profession, args.runs))

    base = results["empty page"]["median_ms"]
    print(f"Rerun après changement de filtre, médiane de {args.runs} (AppTest, côté serveur)")
    print(f"{'page':<14} {'médiane ms':>11} {'p95 ms':>8} {'- page vide':>12} {'cible':>7}")
    for name, figures in results.items():
        extra = figures["median_ms"] - base
        target = "" if name == "empty page" else f"≤ {TARGET_MS.get(name, DEFAULT_TARGET_MS)}"
        print(f"{name:<14} {figures['median_ms']:>11.1f} {figures['p95_ms']:>8.1f} {extra:>12.1f} {target:>7}")
        figures["over_empty_ms"] = extra
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "pages": results}, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
