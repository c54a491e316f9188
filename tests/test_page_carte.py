"""Carte: the ranking beside the map, and the map builder itself (no Streamlit, no network)."""
import hashlib
import json
import re

import pytest

from observatory import paths
from observatory.figures import queries
from observatory.present import maps
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS
from tests.conftest import every_cell_filters


def _rates(con, year, measure_num, measure_den, table="vacancies"):
    return dict(con.execute(f"""SELECT c.name, 100.0 * SUM({measure_num}) / SUM({measure_den})
        FROM {table} v JOIN canton c ON c.code = v.canton_code WHERE year = ? GROUP BY c.name""", [year]).fetchall())


def test_ranking_matches_sql_and_changes_with_the_indicator(open_page, con):
    at = open_page("pages/carte.py", demo="1", indicateur="unfilled_rate")
    table = at.dataframe[0].value
    label = INDICATORS["unfilled_rate"].label
    expected = _rates(con, 2025, "offers_unfilled", "offers_published")
    assert len(table) == 17
    assert {row["Territoire"]: row[label] for _, row in table.iterrows()} == {k: formats.percent(v) for k, v in expected.items()}
    assert table.iloc[0]["Territoire"] == max(expected, key=expected.get)  # rank 1 = highest rate

    at.selectbox(key="f_indicator").set_value("difficult_share").run()
    table = at.dataframe[0].value
    # Over the bassin × métier rows where both BMO figures are published (the difficult share's base).
    expected = _rates(con, 2025, "difficult_projects", "difficult_base")
    label = INDICATORS["difficult_share"].label
    assert {row["Territoire"]: row[label] for _, row in table.iterrows()} == {k: formats.percent(v) for k, v in expected.items()}


def test_map_options_rerun_without_error(open_page):
    at = open_page("pages/carte.py", demo="1")
    at.radio(key="map_scheme").set_value("jenks").run()
    at.checkbox(key="map_providers").check().run()
    assert not at.exception
    assert "Cliquez sur un canton" in at.caption[0].value


@pytest.fixture()
def built_map(con):
    filters = every_cell_filters(2018, 2025, indicator="unfilled_rate")
    table = queries.area_table(con, filters, 2025)
    shapes = maps.shapes(queries.area_geometries(con))
    spec, legend = maps.choropleth(table, shapes, INDICATORS["unfilled_rate"], "quantiles",
                                   providers=queries.providers(con, filters))
    return table, spec, legend, shapes


def test_map_draws_every_area_with_a_value_tooltip(built_map, con):
    _, spec, _, shapes = built_map
    outlines = json.loads(shapes["file"])
    names = {f["properties"]["nom"]: maps.detail(spec, shapes, f["properties"]["code"])["valeur"]
             for f in outlines["features"]}
    assert len(names) == 17 and {"Dax", "Mont-de-Marsan"} <= set(names)
    expected = _rates(con, 2025, "offers_unfilled", "offers_published")
    assert names == {k: formats.percent(v) for k, v in expected.items()}
    # the outlines are the database's, and the file is named after its content
    stored = dict(con.execute("SELECT code, geojson FROM canton").fetchall())
    assert all(f["geometry"] == json.loads(stored[f["properties"]["code"]]) for f in outlines["features"])
    assert shapes["file_name"] == hashlib.sha256(shapes["file"]).hexdigest()[:20] + ".json"


def test_clicked_area_detail_is_its_tooltip(built_map, con):
    _, spec, _, shapes = built_map
    code, name = con.execute("SELECT code, name FROM canton WHERE kind = 'ville' ORDER BY code LIMIT 1").fetchone()
    detail = maps.detail(spec, shapes, code)
    names = dict(con.execute("SELECT code, name FROM canton").fetchall())
    parents = [names[c] for c in con.execute("SELECT parent_cantons FROM canton WHERE code = ?", [code]).fetchone()[0]]
    assert detail["nom"] == name and len(parents) >= 2
    assert detail["type"] == "Ville partagée entre " + " et ".join(parents)
    rates = _rates(con, 2025, "offers_unfilled", "offers_published")  # rank 1 = the highest rate
    rank = 1 + sum(rate > rates[name] for rate in rates.values())
    assert detail["rang"] == f"{rank} sur {len(rates)}"
    assert maps.detail(spec, shapes, "99999") is None  # an area of another territory: no panel


def test_map_needs_no_external_script(built_map):
    _, spec, _, _ = built_map
    frontend = paths.ROOT / "observatory" / "ui" / "area_map_frontend"
    page = (frontend / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "../../app/static/leaflet/leaflet.js" in links
    assert [u for u in links if u.startswith(("http:", "https:", "//"))] == []
    assert "http" not in (frontend / "area_map.js").read_text(encoding="utf-8")
    assert spec["tiles"] is None  # base tiles only when asked for (they need the network)


def test_legend_classes_cover_the_values_dark_is_worse(built_map):
    table, _, legend, _ = built_map
    colours = [c for c, _ in legend.entries]
    assert colours == list(maps.PALETTE)
    first, last = legend.entries[0][1], legend.entries[-1][1]
    assert first.startswith(formats.percent(table["unfilled_rate"].min()))
    assert last.endswith(formats.percent(table["unfilled_rate"].max()))
    assert "<script" not in legend.html()


def test_classes_reverse_when_higher_is_better():
    import pandas as pd

    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    worse, _ = maps.classify(values, "quantiles", higher_is_worse=True)
    better, _ = maps.classify(values, "quantiles", higher_is_worse=False)
    assert worse.iloc[-1] == 4 and better.iloc[-1] == 0


def test_bmo_figures_say_which_metiers_bmo_they_cover(open_page, con):
    at = open_page("pages/carte.py", indicateur="recruitment_projects", metiers="tisf,aide-soignant")
    labels = [r[0] for r in con.execute("""SELECT DISTINCT b.label FROM profession p JOIN profession b
        ON b.kind = 'bmo' AND b.fap_codes[1] = p.fap_codes[1] WHERE p.code IN ('tisf', 'aide-soignant') ORDER BY 1""").fetchall()]
    assert len(labels) == 2
    line = next(c.value for c in at.caption if c.value.startswith("Source :"))
    assert all(label in line for label in labels) and "projets BMO des métiers BMO" in line
    at = open_page("pages/accueil.py")
    assert any("projets BMO de tous les métiers BMO suivis" in c.value for c in at.caption)


def test_tied_values_give_no_empty_or_repeated_class_and_every_value_finds_its_label():
    import pandas as pd

    from observatory.vocabulary.indicators import ACCESS_INDICATOR

    values = pd.Series([0.0] * 7 + [2.5, 5.1, 7.0, 9.3, 12.0, 15.8, 20.4, 31.0])
    classes, bins = maps.classify(values, "quantiles", higher_is_worse=True)
    legend = maps.legend(ACCESS_INDICATOR, bins, values, has_secret=False, has_missing=False)
    labels = [label for _, label in legend.entries]
    assert len(set(labels)) == len(labels) == len(bins)
    assert set(classes.astype(int)) == set(range(len(bins)))  # no class without a value
    assert labels[0] == formats.percent(0) and labels[1].startswith(f"plus de {formats.percent(0)} à ")
    # each value lies in the range its class's label gives
    lows = [float(values.min())] + bins[:-1]
    for value, k in zip(values, classes.astype(int)):
        assert (lows[k] <= value <= bins[k]) and (k == 0 or value > lows[k])
