from datetime import date

from observatory.vocabulary import formats
from tests.conftest import every_cell_filters

NB = "\u00a0"


def test_french_numbers_percentages_and_dates():
    assert formats.number(1234.5, 1) == f"1{NB}234,5"
    assert formats.number(1234567) == f"1{NB}234{NB}567"
    assert formats.percent(12.345) == f"12,3{NB}%"
    assert formats.day(date(2026, 11, 22)) == "22/11/2026"
    assert formats.number(float("nan")) == formats.MISSING


def test_secret_values_read_s_and_changes_are_signed():
    assert formats.value(3.0, "nombre", secret=True) == "s"
    assert formats.change(1.25, "points") == f"+1,2{NB}point"
    assert formats.change(-2.0, "points") == f"−2,0{NB}points"
    assert formats.change(-3.44, "%") == f"−3,4{NB}%"


def test_one_unit_convention_from_the_indicator_definitions(con):
    """« pour 100 » ratios are written « pour 100 », never « % »; a « % » is a share, never above 100."""
    from observatory.figures import queries
    from observatory.vocabulary.indicators import INDICATORS, PER_100

    assert formats.value(133.04, PER_100, 1) == "133,0\u00a0pour\u00a0100"
    assert formats.value(None, PER_100, 1) == formats.MISSING
    for indicator in INDICATORS.values():
        assert ("pour 100" in indicator.label) == (indicator.unit == PER_100), indicator.key
    table = queries.area_table(con, every_cell_filters(2018, 2025), 2025)
    for indicator in INDICATORS.values():
        if indicator.unit == "%":
            assert (table[indicator.key].dropna() <= 100).all(), indicator.key
    assert (table["offers_per_100_graduates"].dropna() > 100).any()  # why a ratio cannot be written as a share
