"""Accueil: key figures and the most strained pairs, compared with direct SQL on the test database."""
import pytest

from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS
from tests.markdown_oracle import shown


def _metric(at, indicator_key):
    label = INDICATORS[indicator_key].label
    return next(m for m in at.metric if m.label == label)


def _unfilled(con, year, professions=None):
    where = "AND profession_code IN (SELECT UNNEST(?))" if professions else ""
    params = [year] + ([professions] if professions else [])
    published, unfilled = con.execute(
        f"SELECT SUM(offers_published), SUM(offers_unfilled) FROM vacancies WHERE year = ? {where}", params).fetchone()
    return published, 100 * unfilled / published


def test_key_figures_match_sql_for_the_latest_year(open_page, con):
    at = open_page("pages/accueil.py", demo="1")
    published, rate = _unfilled(con, 2025)
    _, rate_before = _unfilled(con, 2024)
    assert _metric(at, "unfilled_rate").value == formats.percent(rate)
    # st.metric reads the arrow's direction from an ASCII hyphen: a fall must start with one
    assert _metric(at, "unfilled_rate").delta == formats.change(rate - rate_before, "points").replace(formats.MINUS, "-")
    falls = [m for m in at.metric if m.delta and not m.delta.startswith("+")]
    assert all(m.delta.startswith("-") for m in falls)
    assert _metric(at, "offers_published").value == formats.number(published)
    graduates = con.execute("SELECT SUM(graduates) FROM training WHERE year = 2025").fetchone()[0]
    assert _metric(at, "graduates").value == formats.number(graduates)


def test_changing_profession_and_years_by_key_updates_the_figures(open_page, con):
    at = open_page("pages/accueil.py", demo="1")
    at.multiselect(key="f_professions").set_value(["aide-soignant", "infirmier"]).run()
    _, rate = _unfilled(con, 2025, ["aide-soignant", "infirmier"])
    assert _metric(at, "unfilled_rate").value == formats.percent(rate)
    at.slider(key="f_years").set_value((2019, 2021)).run()
    published, rate = _unfilled(con, 2021, ["aide-soignant", "infirmier"])
    assert _metric(at, "unfilled_rate").value == formats.percent(rate)
    assert _metric(at, "offers_published").value == formats.number(published)
    assert any(m.value.startswith("**Landes, 2021**") for m in at.markdown)


def test_top_pairs_are_the_highest_unfilled_rates(open_page, con):
    at = open_page("pages/accueil.py", demo="1")
    expected = con.execute("""
        SELECT c.name, p.label, 100.0 * SUM(offers_unfilled) / SUM(offers_published) AS rate
        FROM vacancies v JOIN canton c ON c.code = v.canton_code JOIN profession p ON p.code = v.profession_code
        WHERE year = 2025 GROUP BY ALL HAVING SUM(offers_published) >= 20
        ORDER BY rate DESC, SUM(offers_published) DESC LIMIT 5""").fetchall()
    shown = next(t.value for t in at.table if "Territoire" in t.value.columns)  # the demo table, after the real one
    assert shown["Territoire"].tolist() == [name for name, _, _ in expected]
    assert shown["Métier"].tolist() == [label for _, label, _ in expected]
    assert shown.iloc[0, 2] == formats.percent(expected[0][2])


def test_sources_say_which_are_demo(open_page, con):
    at = open_page("pages/accueil.py", demo="1")
    built = con.execute("SELECT strftime(built_at, '%d/%m/%Y') FROM build_info").fetchone()[0]
    assert any(built in c.value for c in at.caption)
    sources = next(t.value for t in at.table if "Démonstration" in t.value.columns)
    assert set(sources["Démonstration"]) == {"oui", "non"}
    real = next(t.value for t in open_page("pages/accueil.py").table if "Démonstration" in t.value.columns)
    assert set(real["Démonstration"]) == {"non"}  # without demo mode, the real sources only
    assert "Licence Ouverte / Etalab 2.0" in set(sources["Licence"])


def test_router_shows_the_real_and_demo_banner_and_home(db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from observatory import paths
    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(db_path))
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90)
    at.query_params["demo"] = "1"
    at.run()
    assert not at.exception
    # In demo mode the banner marks it and names what is demo (offers, training…) and what is real (BMO).
    banner = " ".join(w.value for w in at.warning)
    assert "Mode démonstration" in banner and "offres d'emploi" in banner and "Chiffres réels" in banner
    assert at.title[0].value == "Observatoire des métiers de l'accompagnement"
    assert {s.key for s in at.selectbox} >= {"f_indicator", "f_area"}


@pytest.mark.parametrize("params, notice", [
    ({"metiers": "inconnu,infirmier"}, "métier « inconnu » inconnu"),
    ({"annees": "2030-2040"}, "années « 2030-2040 » invalides"),
    ({"annees": "abc"}, "années « abc » invalides"),
    ({"indicateur": "'; DROP TABLE canton; --"}, "indicateur « '; DROP TABLE canton; -- » inconnu"),
    ({"canton": "9999"}, "canton « 9999 » inconnu"),
])
def test_malformed_link_falls_back_with_a_notice(open_page, params, notice):
    at = open_page("pages/accueil.py", **params)
    assert any(notice in shown(w.value) for w in at.warning)  # at the top of the page, not in the sidebar
    assert not any(notice in shown(c.value) for c in at.sidebar.caption)


def test_permalink_restores_filters(open_page):
    at = open_page("pages/accueil.py", metiers="infirmier,aide-soignant", annees="2019-2022",
                   indicateur="difficult_share", canton="4005")
    assert at.multiselect(key="f_professions").value == ["infirmier", "aide-soignant"]
    assert at.slider(key="f_years").value == (2019, 2022)
    assert at.selectbox(key="f_indicator").value == "difficult_share"
    assert at.selectbox(key="f_area").value == "4005"
