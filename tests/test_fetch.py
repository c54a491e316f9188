"""`observatory fetch` without a network: an in-process server plays each publisher with recorded
responses in the shapes of the real endpoints (data.gouv.fr's dataset API, OpenDataSoft's explore
exports, the France Travail token and search), made from the real files of ../shared. Every
scenario ends with the base updated exactly as an upload of the same file would, or unchanged with
a French message."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
import urllib.parse
from pathlib import Path

import duckdb
import pytest

from observatory import builder, cli, ingest
from observatory.builder import imported_files
from observatory.fetching import catalogue, editions, offers_api, refresh, transfer
from observatory.ingest import parcoursup
from tests.conftest import sample, shared_file
from tests.publisher_server import Publisher, Reply

PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def publisher():
    with Publisher() as server:
        yield server


@pytest.fixture()
def live(tmp_path):
    """A fresh Landes base with its own imports folder, as the data officer has it."""
    db = tmp_path / "live" / "observatory.duckdb"
    db.parent.mkdir()
    builder.build(db)
    return db


def _twin(tmp_path, files: list[Path], kind: str) -> Path:
    """The same base, updated by an upload of `files` (the Données page's path)."""
    db = tmp_path / "twin" / "observatory.duckdb"
    db.parent.mkdir()
    builder.build(db)
    imported_files.import_files(files, kind=kind, db_path=db)
    return db


def _rows(db: Path, sql: str) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _fingerprint(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def _quick(**changes) -> transfer.Settings:
    waits = []
    settings = transfer.Settings(**{"timeout": 3, "attempts": 3, "backoff": 0.01, "sleep": waits.append, **changes})
    settings.waits = waits
    return settings


def _source(key: str, publisher: Publisher, **changes) -> catalogue.Source:
    source = catalogue.load()[key]
    api = urllib.parse.urlparse(source.api)
    return dataclasses.replace(source, api=publisher.url + api.path, **changes)


BMO_SAMPLE = "bmo/Base_open_data_BMO_2025_extrait_dept40_2A_971.xlsx"


def _bmo_dataset(publisher: Publisher, file_path: str) -> dict:
    """The data.gouv.fr dataset answer: resources with title, url and format (a PDF, an older year)."""
    return {"id": "bmo", "resources": [
        {"title": "Base open data BMO 2023", "url": f"{publisher.url}/files/bmo_2023.xlsx", "format": "xlsx"},
        {"title": "Base open data BMO 2025", "url": f"{publisher.url}{file_path}", "format": "xlsx"},
        {"title": "Guide de lecture 2026", "url": f"{publisher.url}/files/guide_2026.pdf", "format": "pdf"},
    ]}


def test_bmo_through_a_redirect_is_imported_as_its_upload_would_be(live, tmp_path, publisher):
    file = sample(BMO_SAMPLE)
    publisher.route("/api/1/datasets/enquete-besoins-en-main-doeuvre-bmo/", Reply.json(_bmo_dataset(publisher, "/r/5f3a")))
    publisher.route("/r/5f3a", Reply.redirect(f"{publisher.url}/static/Base_open_data_BMO_2025.xlsx"))
    publisher.route("/static/Base_open_data_BMO_2025.xlsx", Reply(200, file.read_bytes()))
    source = _source("bmo", publisher)
    status = editions.online_status(source, editions.in_base(live).get("bmo"), _quick())
    # the newest xlsx is 2025 (the PDF of 2026 is not a BMO file); the base has 2023 and 2025
    assert (status.newer, status.edition, status.line) == (False, "2025", "à jour : 2025 en ligne, la base a 2023, 2025.")
    lines = refresh.fetch(source, live, settings=_quick())
    assert "années remplacées par ce fichier : 2025" in lines[-1] and "la base couvre maintenant 2023, 2025" in lines[-1]
    assert "/static/Base_open_data_BMO_2025.xlsx" in publisher.paths()  # the redirect was followed
    twin = _twin(tmp_path, [file], "bmo")
    every = "SELECT * EXCLUDE (source_id) FROM vacancies ORDER BY ALL"
    assert _rows(live, every) == _rows(twin, every) and len(_rows(live, every)) > 0
    fetched, = imported_files.read_manifest(live.parent / "imports")
    uploaded, = imported_files.read_manifest(twin.parent / "imports")
    assert fetched.sha256 == uploaded.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    assert fetched.original_name == "Base_open_data_BMO_2025.xlsx" and fetched.origin.endswith("/r/5f3a")
    assert fetched.imported_by == f"téléchargement depuis {urllib.parse.urlparse(publisher.url).netloc}"


def test_explore_export_after_a_503_is_imported_as_its_upload_would_be(live, tmp_path, publisher):
    file = shared_file("real/inserjeunes/fr-en-inserjeunes-cfa.csv")
    base = "/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa"
    publisher.route(base, Reply.json({"dataset_id": "fr-en-inserjeunes-cfa",
                                      "metas": {"default": {"modified": "2026-03-09T10:12:00+00:00"}}}))
    publisher.route(base + "/exports/csv", Reply(503, b"maintenance", {"Retry-After": "7"}),
                    Reply(200, file.read_bytes(), {"Content-Type": "text/csv; charset=utf-8"}))
    source, settings = _source("inserjeunes", publisher), _quick()
    status = editions.online_status(source, editions.in_base(live).get("inserjeunes"), settings)
    assert status.newer and status.line.startswith("mise à jour en ligne le 09/03/2026 ;")
    refresh.fetch(source, live, settings=settings)
    exports = [p for p in publisher.paths() if "/exports/csv" in p]
    assert len(exports) == 2 and settings.waits[0] >= 7  # the server's Retry-After was honoured
    query = urllib.parse.parse_qs(urllib.parse.urlparse(exports[0]).query)
    assert query == {"delimiter": [";"], "use_labels": ["true"]}  # no département field known: the whole file
    twin = _twin(tmp_path, [file], "inserjeunes")
    every = "SELECT * EXCLUDE (source_id) FROM cfa_outcome ORDER BY ALL"
    assert _rows(live, every) == _rows(twin, every) and len(_rows(live, every)) > 0
    # the import date now answers « up to date » for the same online edition
    again = editions.online_status(source, editions.in_base(live).get("inserjeunes"), settings)
    assert not again.newer and again.line.startswith("à jour : mise à jour en ligne le 09/03/2026")


def test_urssaf_export_asks_for_the_base_departement_and_a_file_of_another_is_refused(live, publisher):
    file = shared_file("real/urssaf/etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last_dep76_sante-social.csv")
    publisher.route("/api/explore/v2.1/catalog/datasets/etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last"
                    "/exports/csv", Reply(200, file.read_bytes()))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match="refusé à l'import, rien n'a été modifié") as refused:
        refresh.fetch(_source("urssaf", publisher), live, settings=_quick())
    assert "Traceback" not in str(refused.value)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(publisher.paths()[-1]).query)
    assert query["refine"] == ["code_departement:40"]
    assert _fingerprint(live) == before and not (live.parent / "imports" / "manifest.json").exists()


def test_a_404_leaves_the_base_unchanged(live, publisher):
    publisher.route("/api/1/datasets/enquete-besoins-en-main-doeuvre-bmo/", Reply.json(_bmo_dataset(publisher, "/gone.xlsx")))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match=r"adresse introuvable \(404\)"):
        refresh.fetch(_source("bmo", publisher), live, settings=_quick())
    assert publisher.paths().count("/gone.xlsx") == 1  # a 404 is not retried
    assert _fingerprint(live) == before


def test_a_file_whose_columns_changed_is_refused_before_the_import(live, publisher):
    text = shared_file("real/inserjeunes/fr-en-inserjeunes-cfa.csv").read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    changed = header.replace("Taux emploi 6 mois", "Taux d'emploi à 6 mois") + "\n" + rest
    publisher.route("/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa/exports/csv", Reply(200, changed.encode()))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match=r"refusé à l'import, rien n'a été modifié.\n.*colonne\(s\) "
                                                  r"manquante\(s\) : Taux emploi 6 mois"):
        refresh.fetch(_source("inserjeunes", publisher), live, settings=_quick())
    assert _fingerprint(live) == before


def test_a_web_page_served_instead_of_the_file_is_refused(live, publisher):
    page = b"<!DOCTYPE html><html><body>Maintenance en cours</body></html>"
    publisher.route("/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa/exports/csv", Reply(200, page))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match="page web au lieu du fichier attendu"):
        refresh.fetch(_source("inserjeunes", publisher), live, settings=_quick())
    assert _fingerprint(live) == before


def test_a_cut_download_resumes_where_it_stopped_then_imports_as_an_upload(live, tmp_path, publisher):
    file = sample(BMO_SAMPLE)
    body = file.read_bytes()
    publisher.route("/api/1/datasets/enquete-besoins-en-main-doeuvre-bmo/",
                    Reply.json(_bmo_dataset(publisher, "/files/Base_open_data_BMO_2025.xlsx")))
    publisher.route("/files/Base_open_data_BMO_2025.xlsx", Reply(200, body, cut_after=len(body) // 3), Reply(200, body))
    refresh.fetch(_source("bmo", publisher), live, settings=_quick())
    downloads = [r for r in publisher.requests if r[1] == "/files/Base_open_data_BMO_2025.xlsx"]
    assert len(downloads) == 2 and downloads[1][2].get("Range") == f"bytes={len(body) // 3}-"
    fetched, = imported_files.read_manifest(live.parent / "imports")
    assert fetched.sha256 == hashlib.sha256(body).hexdigest()  # the resumed file is the whole file
    twin = _twin(tmp_path, [file], "bmo")
    every = "SELECT * EXCLUDE (source_id) FROM bmo_bassin ORDER BY ALL"
    assert _rows(live, every) == _rows(twin, every) and len(_rows(live, every)) > 0


def test_a_download_cut_every_time_fails_and_changes_nothing(live, publisher):
    body = sample(BMO_SAMPLE).read_bytes()
    publisher.route("/api/1/datasets/enquete-besoins-en-main-doeuvre-bmo/", Reply.json(_bmo_dataset(publisher, "/cut.xlsx")))
    publisher.route("/cut.xlsx", Reply(200, body, cut_after=100))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match="échec après 3 essais .*transfert coupé"):
        refresh.fetch(_source("bmo", publisher), live, settings=_quick())
    assert _fingerprint(live) == before


EXPORT = "/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa/exports/csv"


def test_a_server_slower_than_the_timeout_changes_nothing(live, publisher):
    publisher.route(EXPORT, Reply(200, b"a;b\n1;2\n", delay=1.5))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match=r"échec après 2 essais \(aucune réponse en 0,4 s\)"):
        refresh.fetch(_source("inserjeunes", publisher), live, settings=_quick(timeout=0.4, attempts=2))
    assert len(publisher.requests) == 2 and _fingerprint(live) == before


@pytest.mark.parametrize("length", [True, False], ids=["size-announced", "size-unknown"])
def test_a_file_past_the_cap_is_refused_at_once_and_changes_nothing(live, publisher, length):
    publisher.route(EXPORT, Reply(200, b"x" * 300_000, length=length))
    before = _fingerprint(live)
    with pytest.raises(transfer.FetchError, match="fichier trop gros"):
        refresh.fetch(_source("inserjeunes", publisher), live, settings=_quick(cap_bytes=100_000))
    assert len(publisher.requests) == 1 and _fingerprint(live) == before  # not retried


def _landes_offers() -> list[dict]:
    """The real offers sample (Haute-Savoie), each moved to Dax (commune 40088) so that a Landes
    base keeps it: the shape of an API page, with a Landes workplace."""
    offers = json.loads(sample("francetravail_offres_v2/offres_sante_social_74_2025-08-06_subset.json").read_text("utf-8"))
    for offer in offers["resultats"]:
        offer["lieuTravail"] = {"libelle": "40 - DAX", "codePostal": "40100", "commune": "40088"}
    return offers["resultats"]


def test_france_travail_token_renewed_after_expiry_and_pages_followed(live, tmp_path, publisher, monkeypatch, capsys):
    monkeypatch.setenv(offers_api.ID_NAME, "PAR_observatoire_test")
    monkeypatch.setenv(offers_api.SECRET_NAME, "secret-qui-ne-doit-pas-paraitre")
    offers = _landes_offers()
    publisher.route("/token", Reply.json({"access_token": "jeton-1", "expires_in": 1499}),
                    Reply.json({"access_token": "jeton-2", "expires_in": 1499}))
    publisher.route("/search", Reply.json({"message": "token expired"}, status=401),
                    Reply.json({"message": "too many requests"}, status=429, **{"Retry-After": "2"}),
                    Reply.json({"resultats": offers[:40]}, status=206, **{"Content-Range": "offres 0-149/200"}),
                    Reply.json({"resultats": offers[40:]}, status=200))
    source = dataclasses.replace(catalogue.load()["france-travail"], api=f"{publisher.url}/search",
                                 token_url=f"{publisher.url}/token")
    settings = _quick()
    lines = refresh.fetch(source, live, settings=settings)
    tokens = [r for r in publisher.requests if r[1] == "/token"]
    searches = [r for r in publisher.requests if r[1].startswith("/search")]
    assert len(tokens) == 2 and b"grant_type=client_credentials" in tokens[0][3]
    # expired → renewed; « slow down » (429) → waited as asked, then the same page again
    assert [r[2]["Authorization"] for r in searches[:4]] == ["Bearer jeton-1"] + ["Bearer jeton-2"] * 3
    assert searches[1][1] == searches[2][1] and 2 in settings.waits
    first, second = (urllib.parse.parse_qs(urllib.parse.urlparse(r[1]).query) for r in searches[2:4])
    assert first["range"] == ["0-149"] and second["range"] == ["150-299"] and first["departement"] == ["40"]
    assert first["codeROME"] == second["codeROME"]  # the second page of the same query
    snapshot = tmp_path / "offres.json"
    snapshot.write_text(json.dumps({"resultats": offers}), encoding="utf-8")
    twin = _twin(tmp_path, [snapshot], "france-travail")
    every = ("SELECT o.* EXCLUDE (source_id) FROM job_offer AS o JOIN source AS s ON s.source_id = o.source_id "
             "WHERE NOT s.is_demo ORDER BY ALL")
    assert _rows(live, every) == _rows(twin, every) and len(_rows(live, every)) > 0
    labelled = "SELECT partial, coverage FROM source WHERE NOT is_demo AND title LIKE 'Offres d''emploi (API%'"
    assert _rows(live, labelled) == _rows(twin, labelled) == [(True, "instantané de recherche : offres en ligne créées "
                                                                      "le 05/08/2025")]
    assert "secret-qui-ne-doit-pas-paraitre" not in "\n".join(lines) + capsys.readouterr().out
    assert "secret" not in repr(offers_api.credentials())


def test_france_travail_without_credentials_says_what_to_set(live, monkeypatch, tmp_path):
    monkeypatch.delenv(offers_api.ID_NAME, raising=False)
    monkeypatch.delenv(offers_api.SECRET_NAME, raising=False)
    monkeypatch.setattr(offers_api, "SECRETS_FILE", tmp_path / "absent.toml")
    with pytest.raises(transfer.FetchError, match=offers_api.ID_NAME):
        refresh.fetch(catalogue.load()["france-travail"], live, settings=_quick())


def test_france_travail_credentials_from_the_local_secrets_file(tmp_path, monkeypatch):
    monkeypatch.delenv(offers_api.ID_NAME, raising=False)
    monkeypatch.delenv(offers_api.SECRET_NAME, raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'{offers_api.ID_NAME} = "PAR_x"\n{offers_api.SECRET_NAME} = "y"\n', encoding="utf-8")
    assert offers_api.credentials(secrets) == offers_api.Credentials("PAR_x", "y")
    assert offers_api.credentials(tmp_path / "absent.toml") is None


def _no_dns(monkeypatch):
    """A machine without a network: every name lookup fails, as it does with no resolver."""
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        if host in ("127.0.0.1", "localhost"):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", lookup)


def test_the_proxy_of_the_environment_is_used_unless_no_proxy_names_the_host(publisher, monkeypatch):
    _no_dns(monkeypatch)
    publisher.route("http://donnees.exemple/api/1/datasets/x/", Reply.json({"resources": []}))
    monkeypatch.setenv("HTTP_PROXY", publisher.url)
    status, answer, _ = transfer.request_json("http://donnees.exemple/api/1/datasets/x/", _quick())
    assert (status, answer) == (200, {"resources": []})
    assert publisher.paths() == ["http://donnees.exemple/api/1/datasets/x/"]  # asked of the proxy
    monkeypatch.setenv("NO_PROXY", "donnees.exemple")
    with pytest.raises(transfer.NetworkUnreachable) as direct:
        transfer.request_json("http://donnees.exemple/api/1/datasets/x/", _quick())
    assert len(publisher.requests) == 1 and "proxy" not in str(direct.value)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.injoignable:3128")  # a proxy whose name cannot be found
    with pytest.raises(transfer.NetworkUnreachable, match="ne répond pas par le proxy proxy.injoignable:3128"):
        transfer.request_json("http://autre.exemple/", _quick())


def test_dry_run_without_network_lists_every_source_and_says_so_once(live, monkeypatch, capsys):
    _no_dns(monkeypatch)
    assert cli.main(["fetch", "--dry-run", "--all", "--db", str(live)]) == 0
    out = capsys.readouterr().out
    assert out.count("Réseau injoignable") == 1 and out.startswith("Réseau injoignable : www.data.gouv.fr ne répond pas")
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed == list(catalogue.load())
    assert "bmo " in out and "la base a 2023, 2025." in out
    assert cli.main(["fetch", "bmo", "--db", str(live)]) == 1
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err and "Réseau injoignable" in printed.out


def test_unknown_source_and_missing_choice_are_refused_in_french(live, capsys):
    assert cli.main(["fetch", "bmoo", "--db", str(live)]) == cli.EXIT_BAD_INPUT
    assert "source(s) inconnue(s) : bmoo" in capsys.readouterr().err
    assert cli.main(["fetch", "--db", str(live)]) == cli.EXIT_BAD_INPUT
    assert "nommez une ou plusieurs sources, ou --all" in capsys.readouterr().err


def test_the_catalogue_covers_every_importer_and_each_fetch_has_its_address():
    known = catalogue.load()
    assert sorted(s.kind for s in known.values()) == sorted(ingest.IMPORTERS)
    for source in known.values():
        assert source.evidence and source.publisher and source.licence
        if source.method in ("datagouv", "explore"):
            assert source.api.startswith("https://") and source.dataset and source.page.startswith("https://")
        if source.method == "francetravail":
            assert source.token_url.startswith("https://") and source.scope
        assert source.method in ("datagouv", "explore", "francetravail", "manual", "partner", "derived")
        assert set(source.format.split(" ou ")) <= {"csv", "xlsx", "xls", "json", "xml"}


# The publisher's column labels of the Parcoursup export (fr-esr-parcoursup, « use_labels »), for the
# columns the importer reads; the R copy of ../shared writes them with dots (R's make.names).
OFFICIAL_LABELS = {
    "Code.UAI.de.l.établissement": "Code UAI de l’établissement",
    "Code.départemental.de.l.établissement": "Code départemental de l’établissement",
    "Filière.de.formation.détaillée": "Filière de formation détaillée",
    "Filière.de.formation.très.détaillée": "Filière de formation très détaillée",
    "Coordonnées.GPS.de.la.formation": "Coordonnées GPS de la formation",
    "Capacité.de.l.établissement.par.formation": "Capacité de l’établissement par formation",
    "Effectif.total.des.candidats.pour.une.formation": "Effectif total des candidats pour une formation",
    "Effectif.total.des.candidats.ayant.reçu.une.proposition.d.admission.de.la.part.de.l.établissement":
        "Effectif total des candidats ayant reçu une proposition d’admission de la part de l’établissement",
    "Effectif.total.des.candidats.ayant.accepté.la.proposition.de.l.établissement..admis.":
        "Effectif total des candidats ayant accepté la proposition de l’établissement (admis)",
}


def test_parcoursup_export_with_the_publisher_labels_reads_like_the_r_copy(db_path):
    from observatory.database import connect_readonly
    text = shared_file("real/parcoursup/parcoursup_2018_2019.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0]
    for dotted, label in OFFICIAL_LABELS.items():
        assert dotted in header
        header = header.replace(dotted, label)
    r_copy = "\n".join(lines[:3000]).encode()
    official = "\n".join([header, *lines[1:3000]]).encode()
    assert ingest.detect(official, "fr-esr-parcoursup.csv") == "parcoursup"
    con = connect_readonly(db_path)
    try:
        context = ingest.Context.from_db(con)
    finally:
        con.close()
    ours, theirs = parcoursup.parse(r_copy, "r.csv", context), parcoursup.parse(official, "o.csv", context)
    assert theirs.tables["site_intake"].equals(ours.tables["site_intake"]) and len(ours.tables["site_intake"]) > 0


def test_dry_run_before_the_base_is_built(tmp_path, monkeypatch, capsys):
    _no_dns(monkeypatch)
    assert cli.main(["fetch", "--dry-run", "--all", "--db", str(tmp_path / "absente.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Base pas encore construite") and "Réseau injoignable" in out
    assert out.count("absente de la base.") == len(catalogue.load())  # every source, said once each
    assert not (tmp_path / "absente.duckdb").exists()


def test_france_travail_snapshot_of_a_national_base_is_refused_before_any_call(live, publisher, monkeypatch):
    monkeypatch.setenv(offers_api.ID_NAME, "PAR_x")
    monkeypatch.setenv(offers_api.SECRET_NAME, "y")
    monkeypatch.setattr(refresh, "scope", lambda db: ([f"{n:02d}" for n in range(1, 96) if n != 20], ["J1501"]))
    source = dataclasses.replace(catalogue.load()["france-travail"], api=f"{publisher.url}/search",
                                 token_url=f"{publisher.url}/token")
    with pytest.raises(transfer.FetchError, match="13 départements au plus \\(cette base en a 94"):
        refresh.fetch(source, live, settings=_quick())
    assert publisher.requests == []


def test_the_command_fetches_a_named_source_and_prints_the_report(live, publisher, monkeypatch, capsys):
    file = shared_file("real/inserjeunes/fr-en-inserjeunes-cfa.csv")
    base = "/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa"
    publisher.route(base, Reply.json({"metas": {"default": {"modified": "2026-03-09T10:12:00+00:00"}}}))
    publisher.route(base + "/exports/csv", Reply(200, file.read_bytes()))
    local = _source("inserjeunes", publisher)
    monkeypatch.setattr(catalogue, "load", lambda *a, **k: {"inserjeunes": local})
    assert cli.main(["fetch", "inserjeunes", "--db", str(live)]) == 0
    printed = capsys.readouterr()
    assert "mise à jour en ligne le 09/03/2026" in printed.out and "lignes lues" in printed.out
    assert "Mo reçus" in printed.err  # the progress line
    assert _rows(live, "SELECT kind FROM import_log") == [("inserjeunes",)]


def test_a_session_fetched_again_replaces_its_rows_instead_of_adding_to_them(live, tmp_path):
    """The base holds Parcoursup 2018 and 2019 (the R copy, committed); the publisher's export of the
    same sessions, fetched later, must replace them, not double every place."""
    lines = shared_file("real/parcoursup/parcoursup_2018_2019.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0]
    for dotted, label in OFFICIAL_LABELS.items():
        header = header.replace(dotted, label)
    official = tmp_path / "fr-esr-parcoursup_2019.csv"
    official.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    places = ("SELECT year, SUM(places) FROM site_intake WHERE kind = 'parcoursup' AND year IN (2018, 2019) "
              "GROUP BY year ORDER BY year")
    before = _rows(live, places)
    imported_files.import_files([official], kind="parcoursup", db_path=live)
    assert _rows(live, places) == before and before[0][1] > 0
