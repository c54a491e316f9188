"""Offers, job-seekers and tension by bassin d'emploi × ROME fiche (Pôle emploi / DARES 2020-2021):
what the base holds and the Causes des tensions page shows, against the public files read by hand."""
import csv

import pytest

from observatory import ingest, paths
from observatory.figures import bassin_tensions, tensions
from observatory.ingest import Context, ImportRejected
from observatory.vocabulary import formats
from tests.conftest import shared_file

FOLDER = "real/tensions_bassin"


def _rows(name: str, separator: str = ";") -> list[dict]:
    with open(shared_file(f"{FOLDER}/{name}"), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=separator))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _fiches() -> dict[str, list[str]]:
    with open(paths.ROME_V3_CSV, encoding="utf-8") as handle:
        return {row["code_rome_v3"]: row["metiers"].split("|") for row in csv.DictReader(handle)}


def _landes_bassins() -> set[str]:
    return {row["BE19"] for row in _rows("communes_bassins_bmo2019.csv", ",") if row["DEP"] == "40"}


def _landes_share(bassin: str) -> float:
    """The Landes communes' part of a bassin's 2021 population, from the two public files."""
    communes = [row for row in _rows("communes_bassins_bmo2019.csv", ",") if row["BE19"] == bassin]
    with open(shared_file("real/insee/insee-estimation-population-2024.csv"), encoding="utf-8-sig", newline="") as handle:
        population = {row["codgeo"]: int(row["p21_pop"]) for row in csv.DictReader(handle) if row["p21_pop"]}
    inside = sum(population.get(row["CODE_COMMUNE_INSEE"], 0) for row in communes if row["DEP"] == "40")
    return inside / sum(population.get(row["CODE_COMMUNE_INSEE"], 0) for row in communes)


def _raw(year: int, rome: str, bassin: str) -> dict:
    rows = _rows(f"tension_bassin_rome_{year}.csv")
    code = "ROME" if "ROME" in rows[0] else "rome"
    return next(row for row in rows if row[code] == rome and row["cbassin"] == bassin)


def test_dax_aide_soignant_2021_is_the_published_row(con, open_page):
    row, before = _raw(2021, "J1501", "7533"), _raw(2020, "J1501", "7533")
    stored = con.execute("SELECT offers, job_seekers, category FROM bassin_tension "
                         "WHERE year = 2021 AND bassin_code = '7533' AND rome_code = 'J1501'").fetchone()
    assert stored == (pytest.approx(_number(row["oee"])), pytest.approx(_number(row["defm_abc"])), int(row["ind_tension_d"]))
    at = open_page("pages/tensions.py", metiers="aide-soignant")
    table = next(t.value for t in at.table if "Bassin d'emploi" in t.value.columns)
    shown = table.set_index("Bassin d'emploi").loc["Dax (7533)"]
    assert shown["Métier (fiche ROME)"] == "Soins d'hygiène, de confort du patient (ROME J1501 : aide-soignant)"
    assert shown["Offres enregistrées 2021"] == formats.number(_number(row["oee"]))
    assert shown["Demandeurs d'emploi 2021"] == formats.number(_number(row["defm_abc"]))
    assert shown["Demandeurs pour une offre"] == formats.number(_number(row["defm_abc"]) / _number(row["oee"]), 1)
    assert shown["Tension 2021"] == tensions.category_text(int(row["ind_tension_d"]))
    assert shown["Tension 2020"] == tensions.category_text(int(before["ind_tension_d"]))
    # only the bassins of the Landes, one row each for this fiche
    assert sorted(table["Bassin d'emploi"].str.extract(r"\((\d{4})")[0]) == sorted(_landes_bassins())


def test_the_landes_base_keeps_the_rows_of_its_bassins_and_our_fiches(con):
    bassins, fiches = _landes_bassins(), set(_fiches())
    for year in (2020, 2021):
        rows = _rows(f"tension_bassin_rome_{year}.csv")
        code = "ROME" if "ROME" in rows[0] else "rome"
        expected = sum(1 for row in rows if row["cbassin"] in bassins and row[code] in fiches)
        assert con.execute("SELECT COUNT(*) FROM bassin_tension WHERE year = ?", [year]).fetchone()[0] == expected > 20
    # the 2020 file's offers and job-seekers are on another scale: never stored as counts
    assert con.execute("SELECT COUNT(*) FROM bassin_tension WHERE year = 2020 AND (offers IS NOT NULL "
                       "OR job_seekers IS NOT NULL)").fetchone()[0] == 0


def test_pays_basque_counts_in_the_landes_at_its_population_share(con, open_page):
    share = _landes_share("7539")
    assert 0.05 < share < 0.15
    at = open_page("pages/tensions.py", metiers="aide-soignant")
    communes = [row for row in _rows("communes_bassins_bmo2019.csv", ",") if row["BE19"] == "7539"]
    inside = sum(row["DEP"] == "40" for row in communes)
    assert any(f"{inside} de ses {len(communes)} communes" in c.value and formats.percent(100 * share) in c.value
               for c in at.caption)
    # the Landes total of aide-soignant offers: Dax and Mont-de-Marsan whole, Pays Basque at its share
    offers = {b: _number(_raw(2021, "J1501", b)["oee"]) for b in ("7533", "7534", "7539")}
    seekers = {b: _number(_raw(2021, "J1501", b)["defm_abc"]) for b in offers}
    weights = {"7533": _landes_share("7533"), "7534": _landes_share("7534"), "7539": share}
    assert weights["7533"] == weights["7534"] == 1
    totals = bassin_tensions.territory_totals(bassin_tensions.pairs(con, ("aide-soignant",), ""))
    assert totals["offers"] == pytest.approx(sum(offers[b] * weights[b] for b in offers), rel=1e-6)
    assert totals["seekers_per_offer"] == pytest.approx(
        sum(seekers[b] * weights[b] for b in offers) / sum(offers[b] * weights[b] for b in offers), rel=1e-6)


def test_rome_v3_fiches_bear_the_labels_of_the_file_and_lead_to_known_professions():
    labels = {row["rome"]: row["libfap"] for row in _rows("tension_bassin_rome_2020.csv")}
    with open(paths.ROME_V3_CSV, encoding="utf-8") as handle:
        fiches = list(csv.DictReader(handle))
    with open(paths.PROFESSIONS_CSV, encoding="utf-8") as handle:
        ours = {row["code"] for row in csv.DictReader(handle)}
    for fiche in fiches:
        assert labels[fiche["code_rome_v3"]] == fiche["libelle_rome_v3"], fiche["code_rome_v3"]
        assert set(fiche["metiers"].split("|")) <= ours
        # a fiche that groups several professions says so
        assert (len(fiche["metiers"].split("|")) > 1) == (fiche["correspondance"] == "regroupe")


def _file(lines: list[str]) -> bytes:
    header = "annee;ROME;cbassin;oee;defm_abc;ind_tension_d;ind_int_emb_d;ind_main_oeuvre_d;ind_dur_empl_d;" \
             "ind_cond_travail_d;ind_mismatch_geo_d;ind_specif_form_empl_d"
    return ("\n".join([header, *lines]) + "\n").encode()


@pytest.mark.parametrize("line, message", [
    ("2021;J1501;7533;368,6;157;7;3;5;5;4;3;5", "ligne 3, colonne ind_tension_d : « 7 » n'est pas une catégorie de 1 à 5"),
    ("2021;J1501;7533;beaucoup;157;5;3;5;5;4;3;5", "ligne 3, colonne oee : « beaucoup » n'est pas un nombre"),
    ("2021;J1501;75X3;368,6;157;5;3;5;5;4;3;5", "ligne 3, colonne cbassin : « 75X3 » n'est pas un code de bassin"),
    ("2021;J1501;7533;368,6;157;5;3;5;5;4;3;5", "apparaissent deux fois pour 2021"),
])
def test_a_bad_row_is_refused_with_its_line_and_column(con, line, message):
    data = _file(["2021;J1501;7534;10;10;5;3;5;5;4;3;5", line, "2021;J1501;7533;1;1;5;3;5;5;4;3;5"]
                 if "deux fois" in message else ["2021;J1501;7534;10;10;5;3;5;5;4;3;5", line])
    with pytest.raises(ImportRejected) as refused:
        ingest.parse(data, "tension.csv", Context.from_db(con))
    assert message in str(refused.value)


def test_a_file_without_our_bassins_is_refused_as_foreign(con):
    with pytest.raises(ImportRejected, match="aucune ligne pour les métiers de l'observatoire et les bassins"):
        ingest.parse(_file(["2021;J1501;0203;10;10;5;3;5;5;4;3;5"]), "tension.csv", Context.from_db(con))
