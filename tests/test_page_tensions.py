"""Causes des tensions page: DARES's tension indicator and its components, from the committed
extract, equal to the original file read by hand; the shortage list; the national series."""
import dataclasses

import pandas as pd

from observatory import paths
from observatory.figures import tensions
from observatory.vocabulary import formats
from observatory.ingest import Context, shortage_list
from tests.conftest import shared_file

ORIGINAL = "real/dares_tensions"
COLUMNS = ["Intensité d'embauches", "Lien formation-emploi", "Manque de main-d'œuvre disponible",
           "Non-durabilité de l'emploi", "Conditions de travail contraignantes", "Inadéquation géographique"]


def _original(name: str) -> pd.DataFrame:
    return pd.read_csv(shared_file(f"{ORIGINAL}/{name}"), dtype=str, keep_default_na=False)


def test_landes_home_help_reads_its_dares_figures(open_page):
    raw = _original("tensions.csv")
    landes = raw[(raw["fap"] == "T2A60") & (raw["dep"] == "40")].iloc[0]
    region = raw[(raw["fap"] == "T2A60") & (raw["niveau_geo"] == "reg") & (raw["reg"] == "75.0")].iloc[0]
    assert formats.number(float(landes["Tension "]), 2) == "1,51" and landes["Catégorie Tension"] == "5.0"
    at = open_page("pages/tensions.py", metiers="aide-domicile")
    row = at.dataframe[0].value.set_index("Métier (FAP 2009)").loc["Aides à domicile et auxiliaires de vie (FAP 2009 T2A60)"]
    assert row["Landes"] == "1,51 (5 sur 5, très forte)"
    assert row["Nouvelle-Aquitaine"] == (f"{formats.number(float(region['Tension ']), 2)} "
                                                  f"({int(float(region['Catégorie Tension']))} sur 5, "
                                                  f"{tensions.CATEGORIES[int(float(region['Catégorie Tension']))]})")
    # the strongest component, named in the sentence and the table, is the file's highest category
    categories = {c: float(landes[c]) for c in COLUMNS}
    top = [tensions.COMPONENTS[key] for key, c in zip(tensions.COMPONENTS, COLUMNS) if categories[c] == max(categories.values())]
    assert row["Composante la plus marquée"] == ", ".join(top)
    assert any(m.value.startswith("Landes, Aides à domicile") and "1,51" in m.value and top[0].lower() in m.value
               for m in at.markdown)
    components = at.dataframe[1].value.set_index("Composante")
    assert [components.loc[name, "Landes"] for name in tensions.COMPONENTS.values()] == \
        [formats.number(float(landes[c])) for c in COLUMNS]
    assert any("édition 2019" in c.value and "FAP 2009" in c.value for c in at.caption)


def test_the_national_series_is_the_dares_one(open_page):
    raw = _original("evol_tensions.csv")
    raw = raw[raw["fap"] == "V0Z60"].sort_values("Année")
    at = open_page("pages/tensions.py", metiers="aide-soignant")
    shown = at.dataframe[2].value
    assert shown["Année"].tolist() == raw["Année"].tolist()
    assert shown["Indicateur de tension (France)"].tolist() == [formats.number(float(v), 2) for v in raw["Tension "]]


def test_none_of_ours_is_on_the_2024_list_of_nouvelle_aquitaine_but_some_are_elsewhere(open_page, con):
    listing = pd.read_csv(paths.REAL_DIR / "metiers_en_tension_2024.csv.gz", sep=";", dtype=str)
    assert not (listing["Region"] == "Nouvelle-Aquitaine").any()  # the committed extract keeps our families only
    at = open_page("pages/tensions.py")
    assert (at.dataframe[0].value["Liste des métiers en tension 2024"] == "non").all()
    assert any(c.value.startswith("Aucun de ces métiers ne figure sur la liste officielle") for c in at.caption)
    # the importer keeps a région's rows when the database holds that région
    context = dataclasses.replace(Context.from_db(con), regions=(("52", "Pays de la Loire"),))
    data = "Region,Famille Professionnelle,Code FAP\n" + "\n".join(
        f"{r.Region},{r._2},{r._3}" for r in listing.itertuples())
    parsed = shortage_list.parse(data.encode(), "liste.csv", context)
    expected = sorted(listing.loc[listing["Region"] == "Pays de la Loire", "Code FAP"])
    assert sorted(parsed.tables["shortage_list"]["fap2009"]) == expected and len(expected) >= 3
    assert set(parsed.tables["shortage_list"]["place"]) == {"R:52"}


def test_needs_show_the_ageing_and_the_areas_growth_of_the_insee_files(open_page, con):
    at = open_page("pages/tensions.py")
    metrics = {m.label: m.value for m in at.metric}
    last, oldest, total = con.execute("""SELECT year, SUM(population) FILTER (WHERE age_group = '75+'),
            SUM(population) FILTER (WHERE age_group = 'total')
        FROM departement_population GROUP BY year ORDER BY year DESC LIMIT 1""").fetchone()
    assert (last, oldest) == (2023, 54631)  # INSEE's figure for the Landes, as PROVENANCE.md gives it
    assert metrics["Personnes de 75 ans et plus (2023)"] == formats.number(oldest)
    assert metrics["Part de la population"] == formats.percent(100 * oldest / total)
    growth = con.execute("""SELECT c.name, SUM(p.population) FILTER (WHERE p.year = 2021),
            SUM(p.population) FILTER (WHERE p.year = 2013)
        FROM commune_population p JOIN commune m ON m.code = p.commune_code JOIN canton c ON c.code = m.canton_code
        WHERE p.commune_code IN (SELECT commune_code FROM commune_population GROUP BY 1 HAVING COUNT(*) FILTER (
            WHERE year IN (2013, 2021)) = 2)
        GROUP BY c.name ORDER BY SUM(p.population) FILTER (WHERE p.year = 2021) * 1.0
                                 / SUM(p.population) FILTER (WHERE p.year = 2013) DESC""").fetchall()
    table = at.dataframe[-1].value
    assert table["Territoire"].tolist() == [name for name, _, _ in growth]
    assert table["Population 2021"].tolist() == [formats.number(v) for _, v, _ in growth]
    assert table["Évolution"].iloc[0] == formats.change(100 * (growth[0][1] / growth[0][2] - 1), "percent")
