from datetime import date

from observatory import formats

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
