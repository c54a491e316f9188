"""Méthodologie: generated from the indicator definitions, so every indicator is documented."""
from observatory.vocabulary.indicators import INDICATORS


def test_every_indicator_is_documented_with_formula_and_source(open_page):
    at = open_page("pages/methodologie.py")
    table = at.table[0].value.set_index("Indicateur")
    assert set(table.index) == {i.label for i in INDICATORS.values()}
    for indicator in INDICATORS.values():
        row = table.loc[indicator.label]
        assert row["Terme des spécialistes"] == indicator.technical_name
        assert row["Formule"] == indicator.formula and row["Source"] == indicator.source


def test_explains_shared_towns_secrecy_and_sources(open_page):
    at = open_page("pages/methodologie.py")
    text = " ".join(m.value for m in at.markdown)
    assert "4098" in text and "4099" in text
    assert "Secret statistique" in [h.value for h in at.subheader]
    assert "inférieurs à 5 sont masqués" in text and "jamais remplacée par zéro" in text
    assert "Licence Ouverte / Etalab 2.0" in set(at.table[1].value["Licence"])


def test_on_a_phone_each_indicator_is_a_card_with_its_definition(open_page):
    """The same definitions as the table, one card per indicator (shown instead of the table on a phone)."""
    from html import escape

    at = open_page("pages/methodologie.py")
    cards = next(m.value for m in at.markdown if m.value.startswith("<dl>"))
    assert cards.count("<dl>") == len(INDICATORS)
    for indicator in INDICATORS.values():
        card = next(c for c in cards.split("<dl>") if c.startswith(f"<dt><strong>{escape(indicator.label)}</strong>"))
        assert f"<dt>Définition</dt><dd>{escape(indicator.definition)}</dd>" in card
        assert f"<dt>Formule</dt><dd>{escape(indicator.formula)}</dd>" in card


def test_the_documented_formula_gives_the_figure_shown(open_page, con):
    """Read as a person would: the formula the page gives for the unfilled rate, applied by hand to
    the base's counts, yields the home page's key figure."""
    import re

    from observatory.vocabulary import formats

    table = open_page("pages/methodologie.py").table[0].value.set_index("Indicateur")
    formula = table.loc[INDICATORS["unfilled_rate"].label, "Formule"]
    numerator, denominator = re.fullmatch(r"100 × (.+) ÷ (.+)", formula).groups()
    columns = {"offres non pourvues après 3 mois": "offers_unfilled", "offres d'emploi publiées": "offers_published"}
    top, bottom = con.execute(f"SELECT SUM({columns[numerator]}), SUM({columns[denominator]}) FROM vacancies "
                              "WHERE year = 2025").fetchone()
    home = open_page("pages/accueil.py", demo="1")
    shown = next(m for m in home.metric if m.label == INDICATORS["unfilled_rate"].label).value
    assert shown == formats.percent(100 * top / bottom)
