"""France Travail « Offres d'emploi v2 »: the offers open today in the base's départements for the
observatory's ROME codes, with the data officer's own credentials, as one search response that the
offers importer reads (a dated snapshot: partial coverage, as every offers file).

Credentials come from the environment (FRANCE_TRAVAIL_CLIENT_ID, FRANCE_TRAVAIL_CLIENT_SECRET) or
from `.streamlit/secrets.toml` (same names; the file is never committed), and are never printed.
The search gives 150 offers per call (`range`), answers 206 while more remain and 204 when there is
none, and stops at the 3 150th offer of a query; a token lasts a while and is renewed on a 401; a
429 is waited out (`transfer`).
"""
from __future__ import annotations

import os
import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from observatory import paths
from observatory.fetching import transfer
from observatory.fetching.catalogue import Source

ID_NAME, SECRET_NAME = "FRANCE_TRAVAIL_CLIENT_ID", "FRANCE_TRAVAIL_CLIENT_SECRET"
SECRETS_FILE = paths.ROOT / ".streamlit" / "secrets.toml"
PAGE = 150
LAST_START = 3000  # the API refuses a range starting later
PAUSE = 0.12  # seconds between calls: under the API's rate of about ten calls a second
MAX_DEPARTEMENTS = 13  # a région at most: one query per département and ROME code


@dataclass(frozen=True)
class Credentials:
    client_id: str
    secret: str

    def __repr__(self) -> str:  # never shown, even in a traceback
        return "Credentials(…)"


def credentials(secrets_file: Path = SECRETS_FILE) -> Credentials | None:
    """From the environment first, else from the local secrets file; None when either is missing."""
    found = {name: os.environ.get(name, "").strip() for name in (ID_NAME, SECRET_NAME)}
    if not all(found.values()) and secrets_file.is_file():
        try:
            stored = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            stored = {}
        found = {name: found[name] or str(stored.get(name, "")).strip() for name in found}
    return Credentials(found[ID_NAME], found[SECRET_NAME]) if all(found.values()) else None


MISSING = (f"identifiants de l'API France Travail absents : définissez {ID_NAME} et {SECRET_NAME} dans "
           "l'environnement ou dans le fichier local des secrets de l'application (jamais versé au dépôt).")


class _Session:
    def __init__(self, source: Source, keys: Credentials, settings: transfer.Settings):
        self.source, self.keys, self.settings, self.token = source, keys, settings, None

    def renew(self) -> None:
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.keys.client_id,
                                       "client_secret": self.keys.secret, "scope": self.source.scope}).encode()
        status, answer, _ = transfer.request_json(
            self.source.token_url, self.settings, {"Content-Type": "application/x-www-form-urlencoded"}, form,
            accept_statuses=(200, 400, 401))
        if status != 200 or not answer.get("access_token"):
            raise transfer.FetchError("l'API France Travail refuse les identifiants (vérifiez-les sur votre espace "
                                      "francetravail.io) ; rien n'a été modifié.")
        self.token = answer["access_token"]

    def search(self, query: dict) -> tuple[int, dict, dict]:
        if self.token is None:
            self.renew()
        url = f"{self.source.api}?{urllib.parse.urlencode(query)}"
        for _ in range(2):
            status, answer, headers = transfer.request_json(
                url, self.settings, {"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
                accept_statuses=(200, 206, 401))
            if status != 401:
                return status, answer, headers
            self.renew()  # the token expired meanwhile
        raise transfer.FetchError("l'API France Travail refuse un jeton tout juste renouvelé ; rien n'a été modifié.")


def snapshot(source: Source, departements: list[str], rome_codes: list[str], keys: Credentials,
             settings: transfer.Settings, progress=None) -> tuple[dict, list[str]]:
    """({"resultats": [...]}, French notes) for every (département, ROME code), every page."""
    session, offers, notes = _Session(source, keys, settings), [], []
    asked = [(d, r) for d in departements for r in rome_codes]
    for number, (departement, rome) in enumerate(asked, start=1):
        start = 0
        while start <= LAST_START:
            status, answer, headers = session.search({"departement": departement, "codeROME": rome,
                                                      "range": f"{start}-{start + PAGE - 1}"})
            page = (answer.get("resultats") or []) if status != 204 else []
            if not isinstance(page, list):
                raise transfer.FetchError("réponse inattendue de l'API France Travail (« resultats » n'est pas une "
                                          "liste) ; rien n'a été modifié.")
            offers.extend(page)
            total = _total(headers)
            settings.sleep(PAUSE)
            if status != 206 or not page or (total is not None and start + PAGE >= total):
                break
            start += PAGE
        else:
            notes.append(f"{rome} dans le {departement} : plus de {LAST_START + PAGE} offres, l'API n'en donne pas "
                         "davantage ; l'instantané est incomplet pour ce métier.")
        if progress:
            progress(number, len(asked))
    return {"resultats": offers}, notes


def _total(headers: dict) -> int | None:
    """The total of « offres 0-149/1234 » (Content-Range), when given."""
    value = next((v for k, v in headers.items() if k.lower() == "content-range"), "")
    tail = value.rsplit("/", 1)[-1].strip()
    return int(tail) if tail.isdigit() else None
