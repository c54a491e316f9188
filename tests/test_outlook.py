"""Besoins à venir: APA beneficiaries (DREES) and the projected population aged 75 and over (DREES,
central scenario), checked against the public files read by hand and direct SQL."""
import csv
import io
import shutil

import duckdb
import numpy as np
import pytest

from observatory import ingest
from observatory.figures import outlook
from observatory.ingest import Context, ImportRejected
from observatory.present import export
from observatory.ui.keys import Keys
from observatory.vocabulary import formats
from tests.conftest import shared_file

APA_FILE = "real/autonomie/beneficiaires_aide_sociale_departementale_1997_2022.csv"
PROJECTION_FILE = "real/autonomie/projections_personnes_agees_60_74_75plus_2018_2050.csv"


def _apa_rows(code: str = "40") -> dict[int, dict]:
    """The département's rows of the DREES file, by year, where the APA is filled in."""
    with open(shared_file(APA_FILE), encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";")
                if r["Code.departement"] == code and r["TypeTerritoire"] == "Département" and r["NbBenefAPA"]]
    return {int(float(r["Annee"])): {k: int(float(r[k])) for k in ("NbBenefAPA", "NbBenefAPADomicile", "NbBenefAPAEtab")}
            for r in rows}


def _projected(year: int, band: str = "Group 2: 75+", code: str = "40") -> int:
    """Men + women of the DREES projection for one département, age band and year."""
    with open(shared_file(PROJECTION_FILE), encoding="latin-1", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["DEPNUM"] == str(int(code)) and r["FormulaCol2"] == band]
    assert sorted(r["SEXE"] for r in rows) == ["1", "2"]
    return sum(int(r[str(year)]) for r in rows)


def _insee_75(con, year: int) -> int:
    return con.execute("SELECT population FROM departement_population WHERE year = ? AND age_group = '75+' "
                       "AND departement_code = '40'", [year]).fetchone()[0]


def test_observed_apa_series_is_the_drees_file(con):
    raw = _apa_rows()
    stored = con.execute("SELECT year, total, at_home, in_institution FROM apa_beneficiaries "
                         "WHERE departement_code = '40' ORDER BY year").fetchall()
    assert [r[0] for r in stored] == sorted(raw) and raw[2022]["NbBenefAPA"] == 10817  # PROVENANCE's figure
    for year, total, home, institution in stored:
        assert (total, home, institution) == (raw[year]["NbBenefAPA"], raw[year]["NbBenefAPADomicile"],
                                              raw[year]["NbBenefAPAEtab"])


def test_projection_is_stored_as_the_sum_of_both_sexes(con):
    stored = dict(con.execute("SELECT year, population FROM age_projection WHERE departement_code = '40' "
                              "AND age_group = '75+'").fetchall())
    assert stored[2050] == _projected(2050) == 98680  # PROVENANCE: 98 680 in 2050
    assert stored[2030] == _projected(2030) and stored[2018] == _projected(2018)
    assert con.execute("SELECT population FROM age_projection WHERE departement_code = '40' AND age_group = '60-74' "
                       "AND year = 2040").fetchone()[0] == _projected(2040, "Group 1: 60-75")


def test_page_gives_the_constant_rate_figures_of_a_hand_computation(con, open_page):
    raw = _apa_rows()[2022]
    rate_home = raw["NbBenefAPADomicile"] / _insee_75(con, 2022)
    rate_institution = raw["NbBenefAPAEtab"] / _insee_75(con, 2022)
    home_2030 = rate_home * _projected(2030)
    extra_home = home_2030 - raw["NbBenefAPADomicile"]
    extra_institution = rate_institution * _projected(2030) - raw["NbBenefAPAEtab"]
    at = open_page("pages/besoins.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Bénéficiaires à domicile en plus d'ici 2030 (projection)"] == formats.number(round(extra_home, -1))
    assert metrics["Bénéficiaires en établissement en plus d'ici 2030 (projection)"] == \
        formats.number(round(extra_institution, -1))
    # the defaults: 31 hours a month at home (DREES), 1 607 / 12 hours per FTE, 57 FTE per 100 places (DREES)
    assert metrics["Équivalents temps plein d'aide à domicile en plus (projection)"] == \
        formats.number(round(extra_home * 31 * 12 / 1607, -1))
    assert metrics["Équivalents temps plein en établissement en plus (projection)"] == \
        formats.number(round(extra_institution * 57 / 100, -1))
    summary = next(m.value for m in at.markdown if m.value.startswith("**À retenir**"))
    change = formats.change(100 * (home_2030 / raw["NbBenefAPADomicile"] - 1), "percent")
    assert f"environ {formats.number(round(home_2030, -1))} bénéficiaires de l'APA à domicile en 2030 ({change}" in summary
    assert "si le taux de 2022 se maintient" in summary and "projection" in summary
    shown = " ".join(c.value for c in at.caption)
    assert f"{formats.number(100 * raw['NbBenefAPA'] / _insee_75(con, 2022), 1)} bénéficiaires de l'APA pour 100" in shown


def test_changing_a_parameter_moves_the_workers_by_its_ratio(con, open_page):
    at = open_page("pages/besoins.py")
    before = at.metric[1].value
    at.number_input(key=Keys.outlook_parameter("home_hours")).set_value(62).run()
    assert not at.exception
    extra = _apa_rows()[2022]["NbBenefAPADomicile"] / _insee_75(con, 2022) * _projected(2030) \
        - _apa_rows()[2022]["NbBenefAPADomicile"]
    assert at.metric[1].value == formats.number(round(extra * 62 * 12 / 1607, -1)) != before
    at.selectbox(key=Keys.outlook_horizon).set_value(2050).run()
    extra_2050 = _apa_rows()[2022]["NbBenefAPADomicile"] / _insee_75(con, 2022) * _projected(2050) \
        - _apa_rows()[2022]["NbBenefAPADomicile"]
    assert at.metric[1].value == formats.number(round(extra_2050 * 62 * 12 / 1607, -1))


def test_trend_scenario_follows_the_least_squares_slope_of_ten_years(con):
    raw = _apa_rows()
    years = list(range(2013, 2023))
    rates = [100 * raw[y]["NbBenefAPADomicile"] / _insee_75(con, y) for y in years]
    slope = sum((x - np.mean(years)) * (r - np.mean(rates)) for x, r in zip(years, rates)) / \
        sum((x - np.mean(years)) ** 2 for x in years)
    result = outlook.for_territory(con)
    trend_2030 = outlook.at(result, 2030, "trend")["at_home"]
    last = rates[-1]
    expected_rate = min(max(last + slope * 8, 0.75 * last), 1.25 * last)
    assert trend_2030 == pytest.approx(expected_rate * _projected(2030) / 100, rel=1e-9)


def test_trend_is_bounded_to_a_quarter_of_the_last_rate():
    """A rate that doubled in ten years is not extended to 2050 at that pace."""
    import pandas as pd

    years = list(range(2013, 2023))
    apa = pd.DataFrame({"year": years, "departement_code": "99", "at_home": [1000 + 100 * i for i in range(10)],
                        "in_institution": [1000 - 50 * i for i in range(10)]})
    apa["total"] = apa["at_home"] + apa["in_institution"]
    population = pd.concat([
        pd.DataFrame({"year": years, "departement_code": "99", "kind": "observed", "age_group": "75+",
                      "population": 10_000}),
        pd.DataFrame({"year": [2022, 2050] * 2, "departement_code": "99", "kind": "projected",
                      "age_group": ["75+", "75+", "60-74", "60-74"], "population": [10_000, 20_000, 5, 5]})])
    result = outlook.compute(apa, population, pd.DataFrame({"code": ["99"], "name": ["Test"]}))
    row = outlook.at(result, 2050, "trend")
    assert row["at_home"] == pytest.approx(1900 / 10_000 * 1.25 * 20_000)
    assert row["in_institution"] == pytest.approx(550 / 10_000 * 0.75 * 20_000)
    assert outlook.at(result, 2050, "constant")["at_home"] == pytest.approx(1900 * 2)


def test_a_base_without_projection_says_so_and_shows_no_figure(db_path, tmp_path, monkeypatch):
    from devtools import apptest
    from observatory.ui import session

    copy = tmp_path / "observatory.duckdb"
    shutil.copy(db_path, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute("DELETE FROM age_projection")
    monkeypatch.setenv(session.DB_ENV, str(copy))
    at = apptest.run_page("pages/besoins.py")
    assert any("pas de projection possible" in i.value for i in at.info)
    assert not at.metric and not at.get("plotly_chart")


def test_export_holds_the_series_and_the_method(con):
    result = outlook.for_territory(con)
    table = export.outlook_file(result, "Landes", outlook.DEFAULTS, __import__("datetime").date(2026, 12, 6))
    rows = list(csv.reader(io.StringIO(export.render_plain(table, "csv-fr").decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], {(r[0], r[1]): r for r in rows[1:]}
    assert body[("2022", "observé")][header.index("Bénéficiaires de l'APA à domicile")] == "6124"
    projected = body[("2050", "projection")]
    assert projected[header.index("Personnes de 75 ans et plus")] == str(_projected(2050))
    constant = 6124 / _insee_75(con, 2022) * _projected(2050)
    assert projected[header.index("APA à domicile, taux constant (projection)")] == str(round(constant))
    notes = export.render_notes(table.notes).decode("utf-8-sig")
    assert "Scénario « taux constant »" in notes and "31 heures par mois" in notes and "scénario central" in notes


APA_HEAD = "Code.departement;TypeTerritoire;Annee;NbBenefAPA;NbBenefAPADomicile;NbBenefAPAEtab\n"
PROJECTION_HEAD = "ZONE;DEPNUM;CA;SEXE;FormulaCol2;2030;2040\n"


@pytest.mark.parametrize("data, message", [
    (APA_HEAD + "40;Département;2022.0;10817;6124;4693\n40;Département;2021;beaucoup;6000;4000\n",
     "ligne 3, colonne NbBenefAPA : « beaucoup » n'est pas un nombre"),
    (APA_HEAD + "40;Département;2022;10817;6124;4000\n", "6124 à domicile et 4000 en établissement ne font pas 10817"),
    (APA_HEAD + "40;Département;deux mille;10817;6124;4693\n", "année « deux mille » invalide"),
    (APA_HEAD + "33;Département;2022;20000;12000;8000\n", "aucun nombre de bénéficiaires de l'APA pour le(s) département(s)"),
    (PROJECTION_HEAD + "Landes;40;BORDEAUX;1;Group 3: 90+;10;20\n", "tranche d'âge « Group 3: 90+ » inconnue"),
    (PROJECTION_HEAD + "Landes;40;BORDEAUX;1;Group 2: 75+;10;20\n",
     "département 40, tranche « Group 2: 75+ » : il faut une ligne par sexe"),
    (PROJECTION_HEAD + "Landes;40;BORDEAUX;1;Group 2: 75+;10;vingt\nLandes;40;BORDEAUX;2;Group 2: 75+;10;20\n",
     "colonne 2040 : « vingt » n'est pas un nombre"),
])
def test_a_bad_file_is_refused_in_french_naming_what_and_where(con, data, message):
    with pytest.raises(ImportRejected) as refused:
        ingest.parse(data.encode(), "fichier.csv", Context.from_db(con))
    assert message in str(refused.value)


def test_a_refused_file_leaves_the_base_as_it_was(db_path, tmp_path):
    import subprocess
    import sys

    copy = tmp_path / "observatory.duckdb"
    shutil.copy(db_path, copy)
    bad = tmp_path / "apa.csv"
    bad.write_text(APA_HEAD + "40;Département;2022;10817;6124;4000\n", encoding="utf-8")
    before = duckdb.connect(str(copy), read_only=True).execute("SELECT * FROM apa_beneficiaries ORDER BY ALL").fetchall()
    done = subprocess.run([sys.executable, "-m", "observatory", "import", str(bad), "--db", str(copy)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "ne font pas 10817" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    after = duckdb.connect(str(copy), read_only=True).execute("SELECT * FROM apa_beneficiaries ORDER BY ALL").fetchall()
    assert after == before and len(before) > 20


STAFF_FILE = "real/autonomie/personnel_action_sociale_departementale_2014_2020.csv"


def test_the_departements_own_staff_is_the_drees_file_as_context(con, open_page):
    with open(shared_file(STAFF_FILE), encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["Code.departement"] == "40"]
    last = max(rows, key=lambda r: float(r["Annee"]))
    year = int(float(last["Annee"]))
    at = open_page("pages/besoins.py")
    sentence = next(m.value for m in at.markdown if m.value.startswith("Pour mémoire"))
    assert f"fin {year}, le Département employait {formats.number(int(float(last['efftotalgeneralhorsAF'])))} agents" \
        in sentence
    assert f"({formats.number(float(last['etptotalgeneralhorsAF']), 1)} équivalents temps plein)" in sentence
    assert f"et {formats.number(int(float(last['effpersassfam'])))} assistants familiaux" in sentence
    assert "pas les salariés des services d'aide à domicile" in sentence


def test_an_unpublished_staff_cell_stays_unknown_and_a_bad_fte_is_refused(con):
    head = ("Code.departement;TypeTerritoire;Annee;effpersmedical;etppersmedical;effpsychologues;etppsychologues;"
            "effpersparamed;etppersparamed;effperssocialeteducatif;etpperssocialeteducatif;effpersmedicotech;"
            "etppersmedicotech;effpersadminettech;etppersadminettech;effpersassfam;efftotalgeneralhorsAF;"
            "etptotalgeneralhorsAF\n")
    parsed = ingest.parse((head + "40;Département;2021.0;;;1;1;2;2;3;2,5;0;0;4;4;;10;9,5\n").encode(), "perso.csv",
                          Context.from_db(con))
    table = parsed.tables["departement_staff"].set_index("category")
    assert "medical" not in table.index and "foster_carers" not in table.index  # « ND »: unknown, never zero
    assert table.loc["social_educational", "fte"] == 2.5 and table.loc["total_without_foster_carers", "headcount"] == 10
    with pytest.raises(ImportRejected) as refused:
        ingest.parse((head + "40;Département;2021;1;un;1;1;2;2;3;3;0;0;4;4;5;10;9\n").encode(), "perso.csv",
                     Context.from_db(con))
    assert "ligne 2, colonne etppersmedical : « un » n'est pas un nombre d'équivalents temps plein" in str(refused.value)
