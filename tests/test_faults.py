"""Faults a server left alone for years meets: a damaged base, a missing or altered extract, a lost
or altered imported file, a broken list of imports, an unexpected error in a page. None shows a
traceback; each says what happened in French; a sound base is always what is served; once the
fault is repaired, the next build is exactly the normal one (the session base `db_path`)."""
from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from observatory import builder, database, paths
from observatory.builder import imported_files, repair
from observatory.builder.manifest import MANIFEST, read_manifest
from observatory.ingest import contexte
from observatory.ui import session
from tests.base_content import content_digest
from tests.markdown_oracle import shown

CUT_TO = 3_000_000  # bytes: a copy interrupted, a full disk


def _app(db: Path, page: str = "app.py"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(paths.ROOT / page), default_timeout=120)
    at.run()
    return at


def _texts(at) -> str:
    return " ".join(shown(e.value) for kind in ("warning", "error", "info", "markdown", "caption")
                    for e in getattr(at, kind))


@pytest.fixture()
def live(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    monkeypatch.setenv(session.DB_ENV, str(db))
    return db


def _other_schema(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("UPDATE build_info SET schema_version = schema_version + 1")
    con.close()


DAMAGE = {
    "cut": lambda db: os.truncate(db, CUT_TO),
    "zero_bytes": lambda db: os.truncate(db, 0),
    "other_schema": _other_schema,
}


@pytest.mark.parametrize("fault", DAMAGE)
def test_a_damaged_base_without_a_previous_one_is_rebuilt_and_the_pages_say_so(live, db_path, fault):
    DAMAGE[fault](live)
    assert database.health_problem(live) is not None
    assert not builder.previous_path(live).exists()  # a single build: nothing older to fall back on
    at = _app(live)
    assert not at.exception
    text = _texts(at)
    assert "La base de l'observatoire était illisible ; elle a été reconstruite le" in text
    assert "à partir des fichiers de l'observatoire" in text
    assert at.metric, "the home page shows its key figures"
    assert database.health_problem(live) is None
    assert content_digest(live) == content_digest(db_path)  # rebuilt: exactly the normal base
    [incident] = repair.incidents(live)
    assert incident.action == repair.REBUILT and incident.problem
    donnees = _app(live, "pages/donnees.py")
    assert not donnees.exception
    assert "Réparations de la base" in _texts(donnees) and "était illisible" in _texts(donnees)


def test_a_damaged_base_gives_way_to_the_previous_sound_one(live):
    older = content_digest(live)
    builder.build(live)  # the first base is kept beside the new one
    previous = builder.previous_path(live)
    assert previous.exists() and database.health_problem(previous) is None
    os.truncate(live, CUT_TO)
    at = _app(live)
    assert not at.exception
    assert "sa version précédente, intacte, a été remise en service le" in _texts(at)
    assert os.path.samefile(live, previous) and content_digest(live) == older
    [incident] = repair.incidents(live)
    assert incident.action == repair.RESTORED
    again = _app(live)  # sound now: no second repair
    assert not again.exception and len(repair.incidents(live)) == 1


def test_a_repair_waits_for_another_and_does_it_once(live):
    os.truncate(live, 0)
    import threading

    outcomes = []
    workers = [threading.Thread(target=lambda: outcomes.append(repair.ensure_sound(live))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(o is not None for o in outcomes) == 1 and len(repair.incidents(live)) == 1
    assert database.health_problem(live) is None


def test_an_unexpected_error_in_a_page_shows_a_french_message_not_a_traceback(live, monkeypatch):
    from observatory.ui import data

    def broken(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(data, "key_figures", broken)
    at = _app(live)
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert "n'a pas pu s'afficher" in message and "Les données de l'observatoire ne sont pas touchées" in message
    assert "panne simulée" not in _texts(at) and "RuntimeError" not in _texts(at)


def test_streamlit_shows_no_error_details_in_the_shipped_configuration():
    import tomllib

    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


# --- every build input checked first ---------------------------------------------------------------

@pytest.fixture()
def project(tmp_path) -> Path:
    """A copy of the project as deployed (code and committed data), with its base built."""
    copy = tmp_path / "projet"
    shutil.copytree(paths.ROOT / "observatory", copy / "observatory",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("real", "reference/40", "referential"):
        shutil.copytree(paths.DATA_DIR / folder, copy / "data" / folder)
    assert _cli(copy, "build").returncode == 0
    return copy


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "observatory", *args], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(project)})


def _state(db: Path) -> tuple:
    return db.stat().st_ino, db.stat().st_mtime_ns, content_digest(db)


def _altered(path: Path) -> None:
    data = gzip.decompress(path.read_bytes()).replace(b";", b",", 1)
    path.write_bytes(gzip.compress(data, mtime=0))


EXTRACT = "bmo_2023.csv.gz"
EXTRACT_FAULTS = {
    "missing": (lambda real: (real / EXTRACT).unlink(), f"extrait de données réelles absent : data/real/{EXTRACT}"),
    "altered": (lambda real: _altered(real / EXTRACT), f"extrait de données réelles modifié (son empreinte SHA-256 "
                                                       f"n'est plus celle de sources.json) : data/real/{EXTRACT}"),
    "cut": (lambda real: os.truncate(real / EXTRACT, 1000), f"extrait de données réelles illisible (ce n'est plus "
                                                           f"un fichier gzip complet) : data/real/{EXTRACT}"),
    "listing": (lambda real: (real / "sources.json").write_text("[{", encoding="utf-8"),
                "liste des extraits de données réelles illisible"),
}


@pytest.mark.parametrize("fault", EXTRACT_FAULTS)
def test_a_missing_or_altered_extract_stops_the_build_with_a_french_message(project, fault):
    db = project / "data" / "observatory.duckdb"
    before = _state(db)
    real = project / "data" / "real"
    kept = real.parent / "real.kept"
    shutil.copytree(real, kept)
    damage, message = EXTRACT_FAULTS[fault]
    damage(real)
    done = _cli(project, "build")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "extract-real --from" in done.stderr and "Rien n'a été modifié" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert _state(db) == before  # the live base untouched
    shutil.rmtree(real)
    kept.rename(real)  # repaired
    assert _cli(project, "build").returncode == 0
    assert content_digest(db) == before[2]


# --- imported files ---------------------------------------------------------------------------------

@pytest.fixture()
def imported(live, tmp_path) -> tuple[Path, Path]:
    """The live base with one partner file imported; the original file."""
    original = tmp_path / "contraintes.csv"
    original.write_bytes(contexte.template_file(example=True))
    imported_files.import_files([original], db_path=live)
    return live, original


def _stored(db: Path) -> Path:
    folder = paths.imports_dir_for(db)
    [entry] = read_manifest(folder)
    return folder / entry.file


def _lose(path: Path) -> None:
    path.unlink()


def _change(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\r\n")


@pytest.mark.parametrize("damage, what", [(_lose, "absent"), (_change, "modifié depuis son import")])
def test_a_lost_or_altered_imported_file_is_named_reported_and_restored_by_importing_it_again(
        imported, damage, what):
    db, original = imported
    before = _state(db)
    damage(_stored(db))
    with pytest.raises(builder.BuildError) as refused:
        builder.build(db)
    assert "« contraintes.csv »" in str(refused.value) and what in str(refused.value)
    done = _cli(paths.ROOT, "build", "--db", str(db))
    assert done.returncode == 2 and "contraintes.csv" in done.stderr and "Traceback" not in done.stderr
    assert "python -m observatory remove" in done.stderr
    assert _state(db) == before
    page = _app(db, "pages/donnees.py")  # the page still runs on the live base, and names the file
    assert not page.exception
    assert "« contraintes.csv »" in _texts(page) and "ne pourra plus être reconstruite" in _texts(page)
    outcome = imported_files.import_files([original], db_path=db)  # the data officer imports it again
    assert not outcome.added and "rétablie" in " ".join(outcome.already)
    assert content_digest(db) == before[2]
    assert "ne pourra plus être reconstruite" not in _texts(_app(db, "pages/donnees.py"))


def test_an_altered_imported_file_can_be_removed_from_the_command_line(imported, db_path):
    db, _ = imported
    stored = _stored(db)
    _change(stored)
    done = _cli(paths.ROOT, "remove", stored.stem[:12], "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert read_manifest(paths.imports_dir_for(db)) == []
    assert content_digest(db) == content_digest(db_path)


def test_a_broken_list_of_imports_stops_the_build_and_the_page_says_so(imported):
    db, _ = imported
    before = _state(db)
    manifest = paths.imports_dir_for(db) / MANIFEST
    kept = manifest.read_bytes()
    manifest.write_text('[{"kind": "contexte", ', encoding="utf-8")
    done = _cli(paths.ROOT, "build", "--db", str(db))
    assert done.returncode == 2 and "liste des fichiers importés illisible" in done.stderr
    assert "Traceback" not in done.stderr and _state(db) == before
    page = _app(db, "pages/donnees.py")
    assert not page.exception and "La liste des fichiers importés est illisible" in _texts(page)
    manifest.write_bytes(kept)
    builder.build(db)
    assert content_digest(db) == before[2]


def test_commands_on_a_damaged_base_say_so_without_a_traceback(live, tmp_path):
    os.truncate(live, CUT_TO)
    done = _cli(paths.ROOT, "export", "--db", str(live), "-o", str(tmp_path / "x.csv"))
    assert done.returncode == 2, done.stderr
    assert "base illisible" in done.stderr and "python -m observatory build" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.csv").exists()


def test_a_damaged_base_is_served_again_in_a_browser(live, artifacts):
    from tests.browser import offline_browser, require_chromium, settled, streamlit_server

    require_chromium()
    os.truncate(live, CUT_TO)
    with streamlit_server(live) as base, offline_browser() as page:
        page.goto(base + "/")
        page.get_by_role("heading", name="Observatoire des métiers de l'accompagnement").first.wait_for(timeout=120_000)
        settled(page)
        assert page.get_by_text("La base de l'observatoire était illisible", exact=False).count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() >= 3
        page.screenshot(path=str(artifacts / "base_reconstruite_accueil.png"), full_page=True)
    assert database.health_problem(live) is None


def test_an_unexpected_error_in_a_command_is_one_french_sentence(monkeypatch, capsys):
    from observatory import cli

    def broken(args):
        raise ZeroDivisionError("division par zéro simulée")

    monkeypatch.setattr(cli, "_build", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["build"]) == cli.EXIT_UNEXPECTED
    said = capsys.readouterr().err
    assert "Erreur inattendue (ZeroDivisionError) : division par zéro simulée" in said
    assert "Traceback" not in said and f"{cli.DEBUG_ENV}=1" in said
    monkeypatch.setenv(cli.DEBUG_ENV, "1")  # the developer asks for the trace
    with pytest.raises(ZeroDivisionError):
        cli.main(["build"])
