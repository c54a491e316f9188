"""What imported data changes on screen: non-localised offers, the BMO approximation note, the
département-wide apprenticeship figure, and the partner template downloads."""
import json

import pytest

from observatory import builder, database
from observatory.builder import imported_files
from observatory.vocabulary import formats
from observatory.ui import session
from tests.conftest import run_page, sample

OFFERS = {"resultats": [
    {"id": "LANDES1", "romeCode": "J1501", "dateCreation": "2025-03-02T10:00:00.000Z",
     "lieuTravail": {"libelle": "40 - DAX", "commune": "40088", "codePostal": "40100"}},
    {"id": "LANDES2", "romeCode": "J1501", "dateCreation": "2025-03-05T10:00:00.000Z",
     "lieuTravail": {"libelle": "40 - Landes"}},
    {"id": "LANDES3", "romeCode": "K1302", "dateCreation": "2025-04-01T10:00:00.000Z",
     "lieuTravail": {"libelle": "40 - Landes", "latitude": 43.89, "longitude": -0.49}},
    {"id": "AILLEURS", "romeCode": "J1501", "dateCreation": "2025-04-01T10:00:00.000Z",
     "lieuTravail": {"libelle": "64 - PAU", "commune": "64445"}},
]}


@pytest.fixture(scope="module")
def imported_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported")
    db = folder / "observatory.duckdb"
    builder.build(db, imports_dir=folder / "imports")
    offers = folder / "offres.json"
    offers.write_text(json.dumps(OFFERS), encoding="utf-8")
    outcome = imported_files.import_files(
        [sample("bmo/lexique-bassins_dep40.csv"), sample("bmo/Base_open_data_BMO_2025_extrait_dept40_2A_971.xlsx"),
         sample("apprentissage/barometre-resultats-detail-departement-40.csv"), offers],
        db_path=db, folder=folder / "imports")
    assert "4 lignes lues, 3 retenues" in outcome.reports[3] and "1 non localisées" in outcome.reports[3]
    return db


def _page(db, monkeypatch, script, **params):
    monkeypatch.setenv(session.DB_ENV, str(db))
    return run_page(script, **params)


def test_a_search_snapshot_is_shown_apart_as_partial(imported_db, monkeypatch):
    at = _page(imported_db, monkeypatch, "pages/accueil.py", metiers="aide-soignant", demo="1")
    # The Dax offer and the one naming only « 40 - Landes »; the Pau offer is outside the Landes.
    snapshot = [i.value for i in at.info if i.value.startswith("Offres d'emploi réelles France Travail de 2025")]
    assert len(snapshot) == 1
    assert "créées du 02/03/2025 au 01/04/2025 : 2 pour la sélection, dont 1 ne précisant que le département" in snapshot[0]
    # The year's offers stay the demo's full year, labelled so, never replaced by the snapshot.
    con = database.connect_readonly(imported_db)
    try:
        demo = con.execute("SELECT SUM(offers_published) FROM vacancies JOIN source USING (source_id) "
                           "WHERE is_demo AND year = 2025 AND profession_code = 'aide-soignant'").fetchone()[0]
    finally:
        con.close()
    published = next(m for m in at.metric if m.label == "Offres d'emploi publiées")
    assert published.value == formats.number(demo) and demo > 2


def test_apprenticeship_contracts_of_the_departement(imported_db, monkeypatch):
    at = _page(imported_db, monkeypatch, "pages/accueil.py", annees="2018-2021")
    card = next(m for m in at.metric if m.label == "Contrats d'apprentissage, tous secteurs")
    assert card.value == "3\u00a0154"  # the synthesis file's value for 2021 (BAROMETRE_SYNTHESIS)
    assert any(c.value.startswith("donnée réelle · DARES") and "2021" in c.value for c in at.caption)


def test_bmo_figures_carry_the_approximation_note(imported_db, monkeypatch):
    at = _page(imported_db, monkeypatch, "pages/carte.py", indicateur="difficult_share")
    assert any("estimation par canton" in c.value and "au prorata de la population" in c.value for c in at.caption)
    at = _page(imported_db, monkeypatch, "pages/carte.py", indicateur="graduates", demo="1")
    assert not any("prorata" in c.value for c in at.caption)


def test_partner_template_downloads_are_offered(open_page):
    at = open_page("pages/export.py")
    labels = [b.label for b in at.get("download_button")]
    assert {"Modèle vide (CSV)", "Modèle vide (XLSX)", "Exemple rempli (CSV)", "Exemple rempli (XLSX)"} <= set(labels)


def test_a_postcode_alone_places_an_offer_when_it_names_one_canton(tmp_path):
    db, folder = tmp_path / "p.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    offers = {"resultats": [
        {"id": "CP1", "romeCode": "J1501", "dateCreation": "2025-01-10T00:00:00Z",
         "lieuTravail": {"libelle": "40 - AIRE SUR L ADOUR", "codePostal": "40800"}},  # Aire-sur-l'Adour: 4001 only
        {"id": "CP2", "romeCode": "J1501", "dateCreation": "2025-01-10T00:00:00Z",
         "lieuTravail": {"libelle": "64 - PAU", "codePostal": "64000"}},
    ]}
    path = tmp_path / "cp.json"
    path.write_text(json.dumps(offers), encoding="utf-8")
    outcome = imported_files.import_files([path], db_path=db, folder=folder)
    assert "2 lignes lues, 1 retenues" in outcome.reports[0] and "1 offre(s) situées hors du département" in outcome.reports[0]
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT canton_code FROM job_offer JOIN source USING (source_id) WHERE NOT is_demo").fetchall() == [("4001",)]
    con.close()
