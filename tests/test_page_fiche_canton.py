"""Fiche canton: canton against département, councillors and communes, from direct SQL."""
import csv

from observatory import paths
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS
from tests.markdown_oracle import rendered, shown


def test_without_a_canton_the_page_asks_for_one(open_page):
    at = open_page("pages/fiche_canton.py")
    assert "Choisissez un canton" in at.info[0].value


def test_portrait_of_a_canton_matches_sql(open_page, con):
    at = open_page("pages/fiche_canton.py", demo="1", canton="4008")
    assert shown(at.title[0].value) == "Fiche canton : Haute Lande Armagnac (2025)"
    portrait = at.table[0].value
    assert list(portrait.index) == [i.label for i in INDICATORS.values()]
    offers, unfilled = con.execute("SELECT SUM(offers_published), SUM(offers_unfilled) FROM vacancies "
                                   "WHERE year = 2025 AND canton_code = '4008'").fetchone()
    dep_offers = con.execute("SELECT SUM(offers_published) FROM vacancies WHERE year = 2025").fetchone()[0]
    assert portrait.loc[INDICATORS["unfilled_rate"].label, "Territoire"] == formats.percent(100 * unfilled / offers)
    assert portrait.loc[INDICATORS["offers_published"].label, "Territoire"] == formats.number(offers)
    assert portrait.loc[INDICATORS["offers_published"].label, "Département"] == formats.number(dep_offers)

    population = con.execute("SELECT population FROM canton WHERE code = '4008'").fetchone()[0]
    assert at.metric[0].value == formats.number(population)
    names = con.execute("SELECT first_name || ' ' || last_name FROM councillor WHERE canton_code = '4008'").fetchall()
    text = " ".join(shown(m.value) for m in at.markdown if not m.value.startswith("<"))
    for (name,) in names:
        first, last = name.split(" ", 1)
        assert f"{first} {last.title()}" in text
    listing = next(m.value for m in at.markdown if m.value.startswith("<ul"))
    expected = con.execute("SELECT name, population FROM commune WHERE canton_code = '4008'").fetchall()
    with open(paths.reference_dir("40") / "communes.csv", encoding="utf-8") as handle:  # the committed reference
        in_reference = sum(row["canton"] == "4008" for row in csv.DictReader(handle))
    assert listing.count("<li>") == len(expected) == in_reference
    assert all(f"<li>{name} ({formats.number(pop)})</li>".replace("'", "&#x27;") in listing for name, pop in expected)


def test_a_shared_town_explains_its_counting_and_lists_both_cantons_councillors(open_page, con):
    at = open_page("pages/fiche_canton.py", canton="4098")
    assert "partagée entre plusieurs cantons" in at.info[0].value
    text = " ".join(rendered(m.value) for m in at.markdown if not m.value.startswith("<"))
    assert "<strong>Dax-1</strong>" in text and "<strong>Dax-2</strong>" in text


def test_canton_change_by_key(open_page):
    at = open_page("pages/fiche_canton.py", canton="4008")
    at.selectbox(key="f_area").set_value("4015").run()
    assert at.title[0].value.startswith("Fiche canton : Seignanx")
    assert "@media print" in " ".join(m.value for m in at.markdown)


def test_locator_map_is_a_static_svg_with_every_area(open_page):
    at = open_page("pages/fiche_canton.py", canton="4003")
    svg = next(m.value for m in at.markdown if m.value.startswith("<svg"))
    assert svg.count("<path") == 17
    assert 'aria-label="Carte de situation : Côte d&#x27;Argent"' in svg
    assert svg.count('fill="#d95f0e"') == 1  # only the selected canton is highlighted
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_a_profession_without_any_real_figure_gives_a_portrait_of_unknowns(open_page, con):
    """Found by the bench: a profession with no published cell made the département's row empty."""
    code = next(c for (c,) in con.execute("SELECT code FROM profession WHERE kind <> 'bmo' ORDER BY code").fetchall()
                if not con.execute("""SELECT COUNT(*) FROM bmo_bassin b JOIN profession p ON list_contains(p.fap_codes,
                        substr(b.bmo_code, 5)) WHERE p.code = ?""", [c]).fetchone()[0])
    at = open_page("pages/fiche_canton.py", canton="4005", metiers=code)
    assert not at.exception
    portrait = at.table[0].value
    assert set(portrait["Département"]) == {formats.MISSING}, portrait
