"""Places de formation pour 100 projets de recrutement: the entry places read by hand in the public
files (Parcoursup, Affelnet, BTS, decoded with the BCN table), the projects by a direct query of the
BMO rows, and the Tendances page and the deck showing their ratio with each side's year."""
import csv
import datetime

from observatory.figures import queries
from observatory.present import deck, maps
from observatory.vocabulary import formats
from observatory.figures.filter_grammar import Filters
from tests.conftest import shared_file


def _csv(relative: str) -> list[dict]:
    with open(shared_file(relative), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _projects(con, bmo_code: str) -> tuple[int, float]:
    """(latest survey year, its published projects) of a métier BMO in the Landes, straight from the rows."""
    return con.execute("SELECT year, SUM(recruitment_projects) FROM bmo_bassin WHERE bmo_code = ? AND departement_code = '40' "
                       "AND year = (SELECT MAX(year) FROM bmo_bassin WHERE bmo_code = ?) GROUP BY year",
                       [bmo_code, bmo_code]).fetchone()


def _row(at, label_start: str):
    table = next(t.value for t in at.table if "Places pour 100 projets" in t.value.columns)
    return table[table["Métier BMO"].str.startswith(label_start)].iloc[0]


def test_nurses_places_for_100_projects_on_the_tendances_page(open_page, con):
    raw = [r for r in _csv("real/parcoursup/parcoursup_2024_11_colonnes.csv")  # the latest session with places
           if r["Département de l’établissement"] == "Landes"
           and (r["Filière de formation"] == "D.E Infirmier" or r["Filière de formation"].startswith("D.E Infirmier - "))]
    places = sum(int(r["Capacité de l’établissement par formation"]) for r in raw)
    year, projects = _projects(con, "BMO-V1X80")
    at = open_page("pages/tendances.py", metiers="infirmier")
    row = _row(at, "Infirmiers et sages-femmes")
    assert row["Places d'entrée en formation"] == formats.number(places) == "179"
    assert row["Année des places (diplôme)"] == "DE infirmier : 2024 (Parcoursup)"
    assert row["Année BMO"] == str(year) and row["Projets de recrutement"] == formats.number(projects)
    assert row["Places pour 100 projets"] == formats.number(100 * places / projects, 1)


def test_a_diploma_of_two_metiers_counts_whole_for_each_and_bts_places_add_up(open_page, con):
    mef = {r["MEF_STAT_11"]: r["FORMATION_DIPLOME"] for r in _csv("real/lycees/bcn_n_mef.csv")}
    seconde = sum(int(r["Capacité carte scolaire"]) for r in _csv("real/lycees/affelnet_capacite_voeux_2021.csv")
                  if r["Etablissement d'accueil"].startswith("040") and r["MEF STAT 11"].startswith("2381")
                  and mef.get(r["MEF STAT 11"]) in {"40033003", "40033004", "40033005", "40033007"})
    bts = sum(int(r["CAPACITEPSUP"]) for r in _csv("real/lycees/bts_capacite_voeux_2024.csv")
              if r["UAI"].startswith("040") and mef.get(r["MEFSTAT11"]) in {"32033001", "32033002", "32033206"})
    at = open_page("pages/tendances.py")
    for label in ("Aides à domicile", "Agents de service hospitaliers"):  # the Bac pro ASSP leads to both
        assert _row(at, label)["Places d'entrée en formation"] == formats.number(seconde)
    social = _row(at, "Professionnels de l'action sociale")
    assert social["Places d'entrée en formation"] == formats.number(bts)
    assert "BTS SP3S : 2024" in social["Année des places (diplôme)"]


def test_the_deck_has_the_real_slide_with_the_same_ratios(con, open_page):
    filters = Filters(year_from=2025, year_to=2025)  # real figures only, as the deck's default
    slides = deck.slides(con, filters, 2025, maps.shapes(queries.area_geometries(con)), datetime.date(2026, 12, 7))
    slide = next(s for s in slides if s.title == "Places de formation pour 100 projets de recrutement")
    assert "démonstration" not in slide.source and "BMO 2025" in slide.source and "DE infirmier 2024" in slide.source
    at = open_page("pages/tendances.py")
    table = next(t.value for t in at.table if "Places pour 100 projets" in t.value.columns)
    assert slide.values == dict(zip(table["Métier BMO"], table["Places pour 100 projets"]))
