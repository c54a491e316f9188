"""Données page: the password gate, uploads with their report, history, freshness and removal."""
import pytest

from observatory import builder, database
from observatory.ui import admin, session
from observatory.ingest import template
from tests.conftest import run_page

PASSWORD = "correct horse battery staple"


@pytest.fixture()
def private_db(tmp_path, monkeypatch):
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    monkeypatch.setenv(session.DB_ENV, str(db))
    return db


def _page(**params):
    return run_page("pages/donnees.py", **params)


def _sign_in(at, password):
    at.text_input(key="admin_password").input(password)
    at.get("form_submit_button")[0].click() if hasattr(at.get("form_submit_button")[0], "click") else None
    return at.run()


def test_without_a_password_the_page_explains_and_accepts_nothing(private_db, monkeypatch):
    monkeypatch.delenv(admin.PASSWORD_NAME, raising=False)
    at = _page()
    assert any(admin.PASSWORD_NAME in w.value and "secrets.toml" in w.value for w in at.warning)
    assert len(at.get("file_uploader")) == 0 and len(at.text_input) == 0


def test_wrong_passwords_are_refused_then_rate_limited(private_db, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = _page()
    for _ in range(admin.MAX_FAILURES):
        at = _sign_in(at, "mauvais")
        assert any("Mot de passe incorrect" in e.value for e in at.error)
    assert any("Trop d'essais infructueux" in e.value for e in at.run().error)
    assert len(at.get("file_uploader")) == 0


def test_upload_import_history_freshness_and_removal(private_db, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = _sign_in(_page(), PASSWORD)
    uploader = at.get("file_uploader")[0]
    assert sorted(uploader.allowed_type) == [".csv", ".json", ".xlsx", ".xml"]
    uploader.upload("modele_exemple.csv", template.template_file("csv", example=True), "text/csv")
    at.run()
    before = private_db.read_bytes()
    at.button(key="import_check").click().run()
    assert any("modele_exemple.csv (template) : 3 lignes lues, 3 retenues" in i.value for i in at.info)
    assert private_db.read_bytes() == before  # checked, not imported yet
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("1 fichier(s) importé(s) : modele_exemple.csv" in s.value for s in at.success)
    con = database.connect_readonly(private_db)
    assert con.execute("SELECT file_name, imported_by FROM import_log").fetchall() == [("modele_exemple.csv", "page Données")]
    con.close()

    at.run()  # next interaction: the page reads the new database
    history = at.dataframe[0].value
    assert history["Fichier"].tolist() == ["modele_exemple.csv"] and history["Années"].tolist() == ["2025"]
    assert any("Modèle partenaires (formations et stages) : 2025, importé le" in m.value for m in at.markdown)

    at.button(key="remove_go").click().run()
    assert any("modele_exemple.csv retiré" in s.value for s in at.success)
    con = database.connect_readonly(private_db)
    assert con.execute("SELECT COUNT(*) FROM import_log").fetchone() == (0,)
    assert con.execute("SELECT COUNT(*) FROM training JOIN source USING (source_id) WHERE NOT is_demo").fetchone() == (0,)
    con.close()


def test_a_rejected_upload_says_why_and_changes_nothing(private_db, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    before = private_db.read_bytes()
    at = _sign_in(_page(), PASSWORD)
    bad = template.template_file("csv", example=True).decode("utf-8-sig").replace("4099", "4O99").encode()
    at.get("file_uploader")[0].upload("modele.csv", bad, "text/csv")
    at.run()
    at.button(key="import_check").click().run()
    assert any("Fichier refusé, rien n'a été modifié" in e.value and "« 4O99 »" in e.value for e in at.error)
    assert len([b for b in at.button if b.key == "import_go"]) == 0
    assert private_db.read_bytes() == before


def test_a_file_that_kept_no_row_leaves_the_page_readable(private_db):
    """A valid LHEO file with no profession of ours keeps no row: its history line says « – » for
    its years, and the freshness list says « sans année » (the page used to crash)."""
    from observatory.builder import imported_files
    from tests.conftest import sample

    outcome = imported_files.import_files([sample("lheo/formation.xml")], db_path=private_db)
    assert outcome.added and "0 retenues" in outcome.reports[0]
    at = _page()
    assert any("sans année" in item.value for item in at.markdown), [m.value for m in at.markdown]
