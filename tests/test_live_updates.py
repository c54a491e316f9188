"""Safe live updates: sessions keep working through an import, and a killed import harms nothing."""
import hashlib
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from observatory import builder, database, paths
from observatory.builder import imported_files
from observatory.vocabulary import formats
from observatory.ingest import template
from tests.browser import offline_browser, require_chromium, streamlit_server
from tests.kills import kill_spread, timed

SESSIONS = 10


def _digest(db) -> str:
    """Content of every table but the build's own timestamps."""
    con = database.connect_readonly(db)
    digest = hashlib.sha256()
    tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                                        "AND table_type = 'BASE TABLE' ORDER BY 1", [database.ALIAS]).fetchall()]
    for table in tables:
        if table == "build_info":
            continue
        frame = con.execute(f"SELECT * EXCLUDE ({'imported_at' if table == 'import_log' else '_none'}) "
                            f"FROM (SELECT *, NULL AS _none FROM {table}) ORDER BY ALL").df()
        digest.update(table.encode() + frame.to_csv(index=False).encode())
    con.close()
    return digest.hexdigest()


def _graduates(db, year=2025, profession="aide-soignant") -> int:
    con = database.connect_readonly(db)
    value = con.execute("SELECT SUM(graduates) FROM training WHERE year = ? AND profession_code = ?",
                        [year, profession]).fetchone()[0]
    con.close()
    return int(value)


def test_ten_sessions_keep_working_through_an_import_and_see_the_new_figures(tmp_path, artifacts):
    require_chromium()
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    before = _graduates(db)
    con = duckdb.connect(str(db), read_only=True)
    demo_by_canton = dict(con.execute("SELECT canton_code, SUM(graduates) FROM training WHERE year = 2025 "
                                      "AND profession_code = 'aide-soignant' GROUP BY 1").fetchall())
    con.close()
    example = tmp_path / "modele.csv"
    example.write_bytes(template.template_file("csv", example=True))
    url = "/?metiers=aide-soignant&annees=2024-2025&demo=1"  # graduates: the demo generator's, replaced by the import
    with streamlit_server(db) as base, offline_browser() as first:
        context = first.context
        pages = [first] + [context.new_page() for _ in range(SESSIONS - 1)]

        def graduates_shown(page):
            metric = page.locator('[data-testid="stMetric"]', has=page.get_by_text("Nouveaux diplômés", exact=True)).first
            return metric.locator('[data-testid="stMetricValue"]').inner_text(timeout=60_000)

        # The first session is fully drawn before the others open: a session whose first run overlaps
        # the fresh server's very first run loses its filters at its next interaction (a known
        # Streamlit pages-folder race, see the closing note of the real-figures issue).
        first.goto(base + url)
        assert graduates_shown(first) == formats.number(before)
        for page in pages[1:]:
            page.goto(base + url)
        for page in pages:
            assert graduates_shown(page) == formats.number(before)
        process = subprocess.Popen([sys.executable, "-m", "observatory", "import", str(example), "--db", str(db)],
                                   cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        rounds = 0
        while process.poll() is None or rounds < 2:  # the sessions keep querying during the import
            for page in pages:
                page.keyboard.press("r")  # Streamlit's rerun shortcut: a real interaction of the session
            time.sleep(0.3)
            rounds += 1
        assert process.returncode == 0, process.stdout.read()
        after = _graduates(db)
        # the partner's figures (49 + 12) replaced the demo ones of the cantons they cover, not the year
        con = duckdb.connect(str(db), read_only=True)
        covered = {c for (c,) in con.execute("SELECT DISTINCT canton_code FROM training JOIN source USING (source_id) "
                                             "WHERE NOT is_demo AND year = 2025 AND profession_code = 'aide-soignant'").fetchall()}
        con.close()
        assert after == 49 + 12 + sum(v for c, v in demo_by_canton.items() if c not in covered) and after != before
        deadline = time.monotonic() + 60
        for page in pages:
            while graduates_shown(page) != formats.number(after) and time.monotonic() < deadline:
                page.keyboard.press("r")
                page.wait_for_timeout(500)
            assert graduates_shown(page) == formats.number(after)
            assert page.locator('[data-testid="stException"]').count() == 0
        pages[-1].screenshot(path=str(artifacts / "session_after_import.png"), full_page=True)
    assert rounds >= 2


def test_an_import_killed_at_random_points_leaves_old_or_new_and_no_stray_lock(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    builder.build(origin / "observatory.duckdb")
    example = tmp_path / "modele.xlsx"
    example.write_bytes(template.template_file("xlsx", example=True))
    old = _digest(origin / "observatory.duckdb")
    # the new state, from a run that is not interrupted
    finished = tmp_path / "finished"
    shutil.copytree(origin, finished)
    imported_files.import_files([example], db_path=finished / "observatory.duckdb")
    new = _digest(finished / "observatory.duckdb")
    assert new != old

    attempt = iter(range(1000))
    current = {}

    def start():
        live = tmp_path / f"live{next(attempt)}"
        shutil.copytree(origin, live)
        current["live"] = live
        return subprocess.Popen([sys.executable, "-m", "observatory", "import", str(example),
                                 "--db", str(live / "observatory.duckdb")], cwd=paths.ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def observe():
        live = current["live"]
        state = _digest(live / "observatory.duckdb")  # it opens: never half-written
        with imported_files.exclusive(live / "imports", wait=0):  # the killed process left no lock behind
            pass
        shutil.rmtree(live)
        return state

    duration = timed(start)  # the whole command, Python's start-up included
    assert observe() == new
    seen = kill_spread(start, duration, observe, finished=lambda state: state == new)
    assert all(state in (old, new) for _, state in seen), seen
    # both outcomes were reached, so the kills did land before and after the swap
    assert {state for _, state in seen} == {old, new}


def test_a_second_import_waits_then_is_refused_clearly(tmp_path):
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    example = tmp_path / "modele.csv"
    example.write_bytes(template.template_file("csv", example=True))
    with imported_files.exclusive(paths.imports_dir_for(db)):  # another import holds the lock
        with pytest.raises(imported_files.ImportBusy, match="Un autre import est en cours ; rien n'a été modifié"):
            imported_files.import_files([example], db_path=db, wait=0.5)
    assert imported_files.import_files([example], db_path=db).added  # once it is free, the import goes through
