"""Data contracts on the built database, build atomicity and determinism, CLI bad input."""
import os
import subprocess
import sys

import duckdb
import pytest

from observatory import builder, database, paths
from observatory.vocabulary.indicators import INDICATORS, MEASURES
from tests.base_content import content_digest
from tests.kills import kill_spread, timed
from tests.conftest import every_cell_filters

FACTS = builder.FACT_TABLES


def test_fifteen_cantons_plus_two_shared_towns(con):
    rows = con.execute("SELECT kind, COUNT(*) FROM canton GROUP BY kind ORDER BY kind").fetchall()
    assert rows == [("canton", 15), ("ville", 2)]


def test_every_commune_in_exactly_one_area(con):
    assert con.execute("SELECT COUNT(*) FROM commune").fetchone()[0] == 327
    orphans = con.execute(
        "SELECT COUNT(*) FROM commune LEFT JOIN canton ON canton.code = commune.canton_code WHERE canton.code IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    assert con.execute("SELECT COUNT(*) - COUNT(DISTINCT code) FROM commune").fetchone()[0] == 0


def test_area_populations_add_up_to_the_departement(con):
    departement, areas, communes = con.execute(
        "SELECT (SELECT population FROM departement), (SELECT SUM(population) FROM canton),"
        " (SELECT SUM(population) FROM commune)"
    ).fetchone()
    assert departement == areas == communes
    assert departement > 400_000  # Dax and Mont-de-Marsan (about 50 000 people) are in the total
    mismatch = con.execute(
        "SELECT COUNT(*) FROM canton c WHERE population <> (SELECT SUM(population) FROM commune m WHERE m.canton_code = c.code)"
    ).fetchone()[0]
    assert mismatch == 0


@pytest.mark.parametrize("table", FACTS)
def test_facts_have_a_source_known_dimensions_and_no_negative_count(con, table):
    orphan = con.execute(f"""
        SELECT COUNT(*) FROM {table} f
        LEFT JOIN source s USING (source_id) LEFT JOIN canton c ON c.code = f.canton_code
        LEFT JOIN profession p ON p.code = f.profession_code
        WHERE s.source_id IS NULL OR c.code IS NULL OR p.code IS NULL""").fetchone()[0]
    assert orphan == 0
    assert con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0
    counts = [c for c in con.execute(f"SELECT * FROM {table} LIMIT 0").df().columns
              if c not in ("year", "canton_code", "profession_code", "pathway", "source_id", "uai")]
    negatives = con.execute(f"SELECT COUNT(*) FROM {table} WHERE " + " OR ".join(f"{c} < 0" for c in counts)).fetchone()[0]
    assert negatives == 0


def test_demo_rows_are_flagged_and_geography_is_not(con):
    demo = dict(con.execute("SELECT title, is_demo FROM source").fetchall())
    assert any(is_demo for is_demo in demo.values()) and not all(demo.values())
    # Our professions' figures are demo; the métiers BMO's (recruitment projects) are real.
    for table in FACTS:
        assert con.execute(f"""SELECT BOOL_AND(is_demo) FROM {table} JOIN source USING (source_id)
            JOIN profession AS p ON p.code = profession_code WHERE p.kind = 'profession'""").fetchone()[0]
    real, rows = con.execute("""SELECT BOOL_AND(NOT is_demo), COUNT(*) FROM vacancies JOIN source USING (source_id)
        JOIN profession AS p ON p.code = profession_code WHERE p.kind = 'bmo'""").fetchone()
    assert real and rows > 0


def test_area_rates_match_a_direct_computation(con):
    from observatory.figures import queries

    direct = con.execute("""
        SELECT canton_code, 100.0 * SUM(offers_unfilled) / SUM(offers_published)
        FROM vacancies WHERE year = 2024 AND profession_code = 'aide-soignant' GROUP BY canton_code ORDER BY 1""").fetchall()
    table = queries.area_table(con, every_cell_filters(2024, 2024, professions=("aide-soignant",)), 2024)
    shown = table.set_index("code")["unfilled_rate"]
    assert len(direct) == len(table)
    assert all(shown[c] == pytest.approx(d) for c, d in direct)
    # The whole territory's value beside each area: the métier BMO of the infirmiers (FAP V1X80).
    filters = every_cell_filters(2025, 2025, professions=("infirmier",), indicator="difficult_share")
    table = queries.area_table(con, filters, 2025)
    difficult, base = con.execute("SELECT SUM(difficult_projects), SUM(difficult_base) FROM vacancies "
                                  "WHERE year = 2025 AND profession_code = 'BMO-V1X80'").fetchone()
    assert table["territory_value"].iloc[0] == pytest.approx(100 * difficult / base)


def test_year_over_year_change_is_in_points_for_rates(con):
    from observatory.figures import queries

    rates = dict(con.execute("""SELECT year, 100.0 * SUM(offers_unfilled) / SUM(offers_published) FROM vacancies
        WHERE profession_code = 'aide-domicile' AND year IN (2024, 2025) GROUP BY year""").fetchall())
    figures = queries.key_figures(con, every_cell_filters(2024, 2025, professions=("aide-domicile",)), 2025)
    row = figures.set_index("indicator").loc["unfilled_rate"]
    assert row["value"] == pytest.approx(rates[2025]) and row["previous"] == pytest.approx(rates[2024])
    assert row["change"] == pytest.approx(rates[2025] - rates[2024])


def test_demo_magnitudes_are_plausible(con):
    overall = con.execute("SELECT 100.0 * SUM(offers_unfilled) / SUM(offers_published) FROM vacancies").fetchone()[0]
    assert 13 <= overall <= 17
    hardest = con.execute("""SELECT MAX(r) FROM (SELECT 100.0 * SUM(offers_unfilled) / SUM(offers_published) AS r
        FROM vacancies WHERE year = 2025 GROUP BY canton_code)""").fetchone()[0]
    assert 18 <= hardest <= 23
    home, pmi = con.execute("""SELECT SUM(offers_published) FILTER (WHERE profession_code = 'aide-domicile'),
        SUM(offers_published) FILTER (WHERE profession_code = 'medecin-pmi') FROM vacancies""").fetchone()
    assert home > 50 * pmi > 0


def test_every_indicator_is_a_column_of_the_area_table(con):
    from observatory.figures import queries

    columns = set(queries.area_table(con, every_cell_filters(2025, 2025), 2025).columns)
    assert set(INDICATORS) | set(MEASURES) <= columns


def test_two_demo_builds_have_identical_contents(tmp_path, db_path):
    other = tmp_path / "again.duckdb"
    builder.build(other)
    assert content_digest(other) == content_digest(db_path)


def _mark(path, marker: str) -> None:
    connection = duckdb.connect(str(path))
    connection.execute("UPDATE build_info SET departement_code = ?", [marker])
    connection.close()


def _marker(path) -> str:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute("SELECT departement_code FROM build_info").fetchone()[0]
    finally:
        connection.close()


def test_a_build_killed_midway_leaves_the_previous_database_usable(tmp_path):
    live = tmp_path / "observatory.duckdb"
    builder.build(live)
    _mark(live, "old")
    expected = content_digest(live)

    def start():
        return subprocess.Popen([sys.executable, "-m", "observatory", "build", "--db", str(live)],
                                cwd=paths.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def observe():
        assert database.health_problem(live) is None  # the live file is never half-written
        previous = builder.previous_path(live)
        assert not previous.exists() or database.health_problem(previous) is None
        marker = _marker(live)
        digest = content_digest(live)
        _mark(live, "old")
        return marker, digest

    duration = timed(start)
    _mark(live, "old")
    seen = kill_spread(start, duration, observe, finished=lambda observation: observation[0] == "40")
    for moment, (marker, digest) in seen:  # every kill left the old base or a complete new one
        assert marker in ("old", "40") and digest == expected, (moment, marker)
    assert {marker for _, (marker, _) in seen} == {"old", "40"}, seen  # kills landed before and after the swap
    builder.build(live)  # the next build cleans what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "observatory.duckdb", "observatory.duckdb.options.json", "observatory.duckdb.previous"]


def test_a_failed_build_keeps_the_previous_database(tmp_path):
    live = tmp_path / "observatory.duckdb"
    builder.build(live)
    before = live.read_bytes()
    bad = tmp_path / "professions.csv"
    bad.write_text("code,libelle\nx,X\n", encoding="utf-8")
    with pytest.raises(builder.BuildError, match="colonnes manquantes"):
        builder.build(live, professions_csv=bad)
    assert live.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "observatory.duckdb", "observatory.duckdb.options.json", "professions.csv"]


def test_build_cli_with_unknown_departement_exits_2_and_writes_nothing(tmp_path):
    target = tmp_path / "x.duckdb"
    result = subprocess.run([sys.executable, "-m", "observatory", "build", "--departement", "999", "--db", str(target)],
                            cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Géographie de référence absente pour le département « 999 »" in result.stderr
    assert "python -m observatory geo --departement 999" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_next_build_removes_what_a_killed_swap_left(tmp_path):
    live = tmp_path / "observatory.duckdb"
    builder.build(live)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = [tmp_path / f".observatory.duckdb.previous.staged-{dead.pid}", tmp_path / f".observatory.duckdb.staged-{dead.pid}",
            tmp_path / f".observatory.duckdb.tmp-{dead.pid}", tmp_path / f".observatory.duckdb.tmp-{dead.pid}.wal"]
    for path in left:
        path.write_bytes(b"")
    mine = tmp_path / f".observatory.duckdb.staged-{os.getpid()}"  # a living process's: kept
    mine.write_bytes(b"")
    builder.build(live)
    assert not any(path.exists() for path in left) and mine.exists()
