"""A partner's figures for one of its sites (the template's `uai` column) replace the open data of that
site and year, shown as the partner's; a wrong number is refused with its line, and the open data of
other sites and years stay."""
import pytest

from observatory import builder, database
from observatory.builder import imported_files
from observatory.ingest import ImportRejected
from observatory.vocabulary import formats
from tests.conftest import csv_bytes, run_page

ROW = {"annee": "2024", "code_canton": "4098", "code_metier": "infirmier", "voie": "initiale", "places": "90",
       "candidats": "5000", "inscrits": "88", "diplomes": "", "stages_offerts": "", "stages_demandes": "",
       "organisme": "IFSI du CH de Dax", "uai": "0400829J"}


@pytest.fixture(scope="module")
def partner_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("partner") / "observatory.duckdb"
    builder.build(db)
    file = db.parent / "ifsi_dax.csv"
    file.write_bytes(csv_bytes([ROW]))
    imported_files.import_files([file], db_path=db)
    return db


def test_the_partner_row_replaces_the_open_data_of_its_site_and_year(partner_db, monkeypatch):
    con = database.connect_readonly(partner_db)
    open_2024 = con.execute("SELECT i.places FROM site_intake i JOIN provider p USING (provider_id) "
                            "WHERE p.uai = '0400829J' AND i.year = 2024").fetchall()
    assert open_2024 == [(84,)]  # still stored (Parcoursup 2024), no longer shown
    shown = con.execute("SELECT kind, places, candidates, pupils FROM site_figure f JOIN provider p USING (provider_id) "
                        "WHERE p.uai = '0400829J' ORDER BY year").fetchall()
    con.close()
    assert shown == [("parcoursup", 73, 7096, None), ("partenaire", 90, 5000, 88)]  # 2019 untouched, 2024 the partner's
    monkeypatch.setenv("OBSERVATORY_DB", str(partner_db))
    at = run_page("pages/fiche_canton.py", canton="4098")
    table = next(t.value for t in at.table if "Admis" in t.value.columns)
    ifsi = table[table["Lieu de formation"] == "IFSI CH de Dax"]
    assert ifsi["Année"].tolist() == ["2024, transmis par le partenaire", "2019, Parcoursup"]
    assert ifsi["Places"].tolist() == [formats.number(90), formats.number(73)]
    # the training-against-needs figure reads the partner's places too: 90 (Dax) + 95 (Mont-de-Marsan)
    at = run_page("pages/tendances.py", metiers="infirmier")
    needs = next(t.value for t in at.table if "Places pour 100 projets" in t.value.columns)
    assert needs["Places d'entrée en formation"].tolist() == [formats.number(90 + 95)]
    assert "DE infirmier : 2024 (Parcoursup et transmis par le partenaire)" in needs["Année des places (diplôme)"].tolist()


def test_a_wrong_establishment_number_is_refused_with_its_line(tmp_path, db_path):
    file = tmp_path / "faux.csv"
    file.write_bytes(csv_bytes([ROW, {**ROW, "annee": "2023", "uai": "12345"}]))
    with pytest.raises(ImportRejected, match="« 12345 » n'est pas un numéro d'établissement") as caught:
        imported_files.import_files([file], db_path=db_path, folder=tmp_path / "imports")
    assert "ligne 3" in str(caught.value) and "uai" in str(caught.value)
