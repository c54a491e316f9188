"""Données page: the password gate, uploads with their report, history, freshness and removal."""
import pytest

from observatory import builder, database
from observatory.ui import admin, session, sign_in_log
from observatory.ingest import template
from tests.conftest import run_page
from tests.markdown_oracle import autolinks, foreign_tags, shown

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


def _form_shown(at) -> bool:
    return any(t.key == "admin_password" for t in at.text_input)


def test_wrong_passwords_are_refused_then_locked_for_every_new_session(private_db, monkeypatch):
    """Fifty fresh sessions (new tabs) each try five wrong passwords: only the first
    MAX_FAILURES are even heard, whatever the session; the others find the form gone."""
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    now = [1_000_000.0]
    monkeypatch.setattr(sign_in_log, "clock", lambda: now[0])
    heard = 0
    for visitor in range(50):
        at = _page()
        for _ in range(5):
            if not _form_shown(at):
                assert any("Trop d'essais infructueux" in e.value for e in at.error)
                break
            at = _sign_in(at, f"mauvais {visitor}")
            heard += any("Mot de passe incorrect" in e.value for e in at.error)
        assert len(at.get("file_uploader")) == 0
    assert heard == sign_in_log.MAX_FAILURES
    log = sign_in_log.log_path(private_db)
    outcomes = [a.outcome for a in sign_in_log.read(log)]
    assert outcomes.count(sign_in_log.FAILURE) == sign_in_log.MAX_FAILURES
    assert "mauvais" not in log.read_text(encoding="utf-8")  # never the password typed

    now[0] += sign_in_log.LOCK_SECONDS - 1  # the wait is not over: still no form
    assert not _form_shown(_page())
    now[0] += 2  # it is over: the right password works, from a new session
    at = _sign_in(_page(), PASSWORD)
    assert len(at.get("file_uploader")) == 1
    history = at.dataframe[-1].value  # the log, for the data officer: newest first
    assert history["Résultat"].tolist()[:2] == [sign_in_log.SUCCESS, sign_in_log.FAILURE]
    assert history["Résultat"].tolist().count(sign_in_log.FAILURE) == sign_in_log.MAX_FAILURES
    assert PASSWORD not in sign_in_log.log_path(private_db).read_text(encoding="utf-8")


def test_a_signed_in_session_signs_out_after_a_while_without_action(private_db, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    now = [2_000_000.0]
    monkeypatch.setattr(sign_in_log, "clock", lambda: now[0])
    at = _sign_in(_page(), PASSWORD)
    now[0] += (admin.IDLE_MINUTES - 1) * 60  # an action within the period keeps it open
    assert len(at.run().get("file_uploader")) == 1
    now[0] += (admin.IDLE_MINUTES - 1) * 60
    assert len(at.run().get("file_uploader")) == 1
    now[0] += admin.IDLE_MINUTES * 60 + 1
    at.run()
    assert len(at.get("file_uploader")) == 0 and _form_shown(at)
    assert any("sans action" in shown(i.value) for i in at.info)


def test_simultaneous_attempts_from_threads_and_processes_cannot_pass_the_count(tmp_path):
    """The count and the log line are one step under a lock on the file: 50 threads × 5 tries at
    once, then 4 processes × 10, are heard MAX_FAILURES times in all, not once more."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    log = tmp_path / "observatory-connexions.jsonl"
    tries = [(log, f"s{i}") for i in range(50) for _ in range(5)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(lambda t: sign_in_log.attempt(t[0], lambda: False, t[1], None)[0], tries))
    assert outcomes.count(sign_in_log.FAILURE) == sign_in_log.MAX_FAILURES
    assert outcomes.count(sign_in_log.LOCKED) == 250 - sign_in_log.MAX_FAILURES

    other = tmp_path / "other-connexions.jsonl"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        counts = pool.starmap(_failures_heard, [(str(other), f"p{i}") for i in range(4)])
    assert sum(counts) == sign_in_log.MAX_FAILURES
    assert len(sign_in_log.read(other)) == 40


def _failures_heard(log: str, session_id: str) -> int:
    return sum(sign_in_log.attempt(log, lambda: False, session_id, None)[0] == sign_in_log.FAILURE for _ in range(10))


def test_the_wait_grows_and_one_address_cannot_lock_out_another_before_the_server_limit():
    at = lambda seconds, outcome, address="1.2.3.4": sign_in_log.Attempt(seconds, outcome, "s", address)  # noqa: E731
    failures = [at(float(i), sign_in_log.FAILURE) for i in range(sign_in_log.MAX_FAILURES)]
    last = failures[-1].at
    assert sign_in_log.wait_seconds(failures, "1.2.3.4", last) == sign_in_log.LOCK_SECONDS
    assert sign_in_log.wait_seconds(failures, "5.6.7.8", last) == 0  # another address: not yet
    one_more = failures + [at(last + 100, sign_in_log.FAILURE)]
    assert sign_in_log.wait_seconds(one_more, "1.2.3.4", last + 100) == 2 * sign_in_log.LOCK_SECONDS
    everyone = [at(float(i), sign_in_log.FAILURE, f"10.0.0.{i}") for i in range(sign_in_log.SERVER_FAILURES)]
    assert sign_in_log.wait_seconds(everyone, "5.6.7.8", everyone[-1].at) == sign_in_log.LOCK_SECONDS
    after_success = failures + [at(last + 1, sign_in_log.SUCCESS)]
    assert sign_in_log.wait_seconds(after_success, "1.2.3.4", last + 1) == 0
    assert sign_in_log.wait_seconds(failures, "1.2.3.4", last + sign_in_log.FORGET_SECONDS) == 0


def test_upload_import_history_freshness_and_removal(private_db, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = _sign_in(_page(), PASSWORD)
    uploader = at.get("file_uploader")[0]
    assert sorted(uploader.allowed_type) == [".csv", ".json", ".xlsx", ".xml"]
    uploader.upload("modele_exemple.csv", template.template_file("csv", example=True), "text/csv")
    at.run()
    before = private_db.read_bytes()
    at.button(key="import_check").click().run()
    assert any("modele_exemple.csv (template) : 3 lignes lues, 3 retenues" in shown(i.value) for i in at.info)
    assert private_db.read_bytes() == before  # checked, not imported yet
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("1 fichier(s) importé(s) : modele_exemple.csv" in shown(s.value) for s in at.success)
    con = database.connect_readonly(private_db)
    assert con.execute("SELECT file_name, imported_by FROM import_log").fetchall() == [("modele_exemple.csv", "page Données")]
    con.close()

    at.run()  # next interaction: the page reads the new database
    history = at.dataframe[0].value
    assert history["Fichier"].tolist() == ["modele_exemple.csv"] and history["Années"].tolist() == ["2025"]
    assert any("Modèle partenaires (formations et stages) : 2025, importé le" in m.value for m in at.markdown)

    at.button(key="remove_go").click().run()
    assert any("modele_exemple.csv retiré" in shown(s.value) for s in at.success)
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
    assert any("Fichier refusé, rien n'a été modifié" in shown(e.value) and "« 4O99 »" in shown(e.value) for e in at.error)
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


def test_markdown_in_a_file_name_and_in_its_values_is_shown_as_text(private_db, monkeypatch):
    """A partner's template whose name and organisation carry Markdown, then one whose canton code
    does: the report, the success line, the history and the refusal show the characters."""
    monkeypatch.setenv(admin.PASSWORD_NAME, PASSWORD)
    at = _sign_in(_page(), PASSWORD)
    name = "[Cliquez](https://evil.example) # titre.csv"
    good = template.template_file("csv", example=True).decode("utf-8-sig")
    good = good.replace("IFAS de Mont-de-Marsan (exemple)", "**IFAS** ![x](https://evil.example/x.png)")
    at.get("file_uploader")[0].upload(name, good.encode("utf-8"), "text/csv")
    at.run()
    at.button(key="import_check").click().run()
    reports = [i.value for i in at.info if "lignes lues" in i.value]
    at.button(key="import_go").click().run()
    successes = [s.value for s in at.success]
    assert len(reports) == 1 and f"{name} (template) : 3 lignes lues" in shown(reports[0])
    assert len(successes) == 1 and shown(successes[0]).endswith(f": {name}")
    texts = reports + successes + [e.value for kind in ("error", "caption", "markdown") for e in getattr(at, kind)
                                   if not e.value.startswith("<")]
    assert all(foreign_tags(t) == set() and not any("evil" in a for a in autolinks(t)) for t in texts)
    at.run()
    assert at.dataframe[0].value["Fichier"].tolist() == [name]  # a table shows it literally already

    bad = good.replace("4099", "[4099](https://evil.example)")
    at.get("file_uploader")[0].upload("refus.csv", bad.encode("utf-8"), "text/csv")
    at.run()
    at.button(key="import_check").click().run()
    refusals = [e.value for e in at.error if "Fichier refusé" in e.value]
    assert refusals and "[4099](https://evil.example)" in shown(refusals[0])
    assert foreign_tags(refusals[0]) == set() and not any("evil" in a for a in autolinks(refusals[0]))
