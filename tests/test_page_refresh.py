"""Données page, « Mettre à jour depuis les éditeurs »: behind the password, the check of every
source, and a fetch with its report and its line in the history; no network (an in-process
publisher, or none at all)."""
import dataclasses
import socket
import urllib.parse

import pytest

from observatory import builder, database
from observatory.fetching import catalogue
from observatory.ui import admin, session
from tests.conftest import run_page, shared_file
from tests.markdown_oracle import shown
from tests.publisher_server import Publisher, Reply
from tests.test_fetch import PROXY_NAMES

PASSWORD = "correct horse battery staple"


@pytest.fixture()
def signed_in(tmp_path, monkeypatch):
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    monkeypatch.setenv(session.DB_ENV, str(db))
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = run_page("pages/donnees.py")
    at.text_input(key="admin_password").input(PASSWORD)
    at.get("form_submit_button")[0].click()
    return db, at.run()


def test_the_check_is_behind_the_password(tmp_path, monkeypatch):
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    monkeypatch.setenv(session.DB_ENV, str(db))
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = run_page("pages/donnees.py")
    assert not [b for b in at.button if b.key == "editions_check"]


def test_without_network_the_page_says_so_and_lists_what_the_base_has(signed_in, monkeypatch):
    _, at = signed_in
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real(host, *a, **k) if host == "127.0.0.1"
                        else (_ for _ in ()).throw(socket.gaierror(socket.EAI_NONAME, "Name or service not known")))
    at.button(key="editions_check").click().run()
    assert not at.exception
    assert any("injoignables" in w.value for w in at.warning)
    text = "\n".join(shown(m.value) for m in at.markdown)
    for source in catalogue.load().values():
        assert source.name in text
    assert "Enquête Besoins en main-d'œuvre (BMO) (France Travail) : édition en ligne non vérifiée ; la base a 2023, 2025." in text
    assert "FRANCE_TRAVAIL" not in text  # no technical name on the page
    assert not [b for b in at.button if b.key and b.key.startswith("fetch_")]


def test_a_fetch_from_the_page_imports_and_joins_the_history(signed_in, monkeypatch):
    db, at = signed_in
    file = shared_file("real/inserjeunes/fr-en-inserjeunes-cfa.csv")
    with Publisher() as publisher:
        base = "/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa"
        publisher.route(base, Reply.json({"metas": {"default": {"modified": "2026-03-09T10:12:00+00:00"}}}))
        publisher.route(base + "/exports/csv", Reply(200, file.read_bytes()))
        source = catalogue.load()["inserjeunes"]
        local = dataclasses.replace(source, api=publisher.url + urllib.parse.urlparse(source.api).path)
        monkeypatch.setattr(catalogue, "load", lambda *a, **k: {"inserjeunes": local})
        at.button(key="editions_check").click().run()
        assert any("mise à jour en ligne le 09/03/2026" in shown(m.value) for m in at.markdown)
        at.button(key="fetch_inserjeunes").click().run()
    assert not at.exception and not at.error
    report = "\n".join(shown(s.value) for s in at.success)
    assert "fr-en-inserjeunes-cfa_france_" in report and "lignes lues" in report
    con = database.connect_readonly(db)
    try:
        assert con.execute("SELECT kind, imported_by FROM import_log").fetchall() == \
            [("inserjeunes", f"téléchargement depuis {urllib.parse.urlparse(publisher.url).netloc}")]
    finally:
        con.close()
    at.run()
    history = at.dataframe[0].value
    assert history["Source"].tolist() == ["inserjeunes"] and history["Fichier"].str.startswith("fr-en-inserjeunes-cfa").all()
