"""Tendances: the plotted series equal direct SQL; years are whole numbers; French separators."""
import base64
import json

import numpy as np

import pytest


def _figures(at):
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _array(value):
    """Plotly ships numeric arrays either as lists or as {"dtype", "bdata"} (base64)."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def test_departement_line_matches_sql(open_page, con):
    at = open_page("pages/tendances.py", demo="1", indicateur="unfilled_rate")
    first = _figures(at)[0]
    line = first["data"][0]
    expected = con.execute("""SELECT year, 100.0 * SUM(offers_unfilled) / SUM(offers_published)
        FROM vacancies GROUP BY year ORDER BY year""").fetchall()
    assert _array(line["x"]) == [year for year, _ in expected]
    assert _array(line["y"]) == pytest.approx([rate for _, rate in expected])
    layout = first["layout"]
    assert layout["xaxis"]["tickformat"] == "d" and layout["xaxis"]["dtick"] == 1
    assert layout["separators"] == ",\u00a0"
    assert "Source : France Travail" in line["hovertemplate"]


def test_canton_line_and_year_range_follow_the_filters(open_page, con):
    at = open_page("pages/tendances.py", demo="1", indicateur="unfilled_rate", canton="4013", annees="2020-2024", metiers="aide-domicile")
    lines = _figures(at)[0]["data"]
    assert [line["name"] for line in lines] == ["Landes", "Pays morcenais tarusate"]
    expected = con.execute("""SELECT year, 100.0 * SUM(offers_unfilled) / SUM(offers_published) FROM vacancies
        WHERE canton_code = '4013' AND profession_code = 'aide-domicile' AND year BETWEEN 2020 AND 2024
        GROUP BY year ORDER BY year""").fetchall()
    assert _array(lines[1]["x"]) == [y for y, _ in expected]
    assert _array(lines[1]["y"]) == pytest.approx([r for _, r in expected])


def test_profession_chart_has_one_line_per_selected_profession(open_page):
    at = open_page("pages/tendances.py", demo="1", indicateur="unfilled_rate", metiers="infirmier,aide-soignant,ergotherapeute")
    names = sorted(line["name"] for line in _figures(at)[1]["data"])
    assert names == ["Aide-soignant", "Ergothérapeute", "Infirmier"]
    at.selectbox(key="f_indicator").set_value("graduates").run()
    assert not at.exception


def test_bmo_series_across_the_change_of_nomenclature_is_marked(open_page, con):
    at = open_page("pages/tendances.py", metiers="aide-soignant", indicateur="recruitment_projects")
    relation = con.execute("SELECT fap2009_relation FROM profession WHERE code = 'BMO-V0X60'").fetchone()[0]
    assert relation == "approchée"
    assert any("la comparaison n'est qu'approchée pour Aides-soignants (métier BMO V0X60)" in c.value for c in at.caption)
    at = open_page("pages/tendances.py", metiers="psychologue", indicateur="recruitment_projects")
    assert not any("nomenclature des métiers a changé" in c.value for c in at.caption)  # V3X90 = V3Z90


def test_profession_chart_draws_the_eight_that_moved_most_none_in_the_territory_black(open_page, con):
    at = open_page("pages/tendances.py", demo="1", indicateur="unfilled_rate")
    lines = _figures(at)[1]["data"]
    rates = con.execute("""SELECT p.label, v.year, 100.0 * SUM(v.offers_unfilled) / NULLIF(SUM(v.offers_published), 0)
        FROM vacancies AS v JOIN profession AS p ON p.code = v.profession_code
        GROUP BY ALL HAVING SUM(v.offers_published) > 0 ORDER BY p.label, v.year""").fetchall()
    series = {}
    for label, _, rate in rates:
        series.setdefault(label, []).append(rate)
    moved = sorted(((abs(s[-1] - s[0]), label) for label, s in series.items() if len(s) > 1), key=lambda m: (-m[0], m[1]))
    assert [line["name"] for line in lines] == [label for _, label in moved[:8]]
    assert all(line["line"]["color"] != "#000000" for line in lines)
    assert any(f"sur {len(series)} avec un chiffre" in c.value for c in at.caption)
