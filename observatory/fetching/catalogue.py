"""The catalogue of sources (`data/referential/catalogue_sources.json`): for each source, its
publisher, page, licence, how to fetch it, the format it comes in and the importer that reads it
(`kind`), and where its identifiers were found (`evidence`).

Methods: `datagouv` (a data.gouv.fr dataset whose resources carry the year), `explore` (an
OpenDataSoft « explore » v2.1 dataset, exported as CSV, filtered by département where a field is
known), `francetravail` (the offers API, with the data officer's credentials), `manual` (no address
established: downloaded by hand from its page), `partner` and `derived` (nothing to download).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from observatory import paths

FETCHABLE = ("datagouv", "explore", "francetravail")


@dataclass(frozen=True)
class Source:
    key: str
    kind: str
    name: str
    publisher: str
    licence: str
    page: str
    method: str
    format: str  # what the publisher serves and the importer `kind` reads: csv, xlsx, json…
    evidence: str
    api: str = ""
    dataset: str = ""
    datasets_by_year: dict = field(default_factory=dict)
    refine: str = ""
    token_url: str = ""
    scope: str = ""
    note: str = ""

    @property
    def fetchable(self) -> bool:
        return self.method in FETCHABLE


def load(path: Path = paths.SOURCES_CATALOGUE) -> dict[str, Source]:
    """Every source by its key, in the catalogue's order."""
    items = json.loads(path.read_text(encoding="utf-8"))
    return {item["key"]: Source(**item) for item in items}


class UnknownSource(ValueError):
    """A key the catalogue does not hold; the message (French) lists the known ones."""


def pick(catalogue: dict[str, Source], keys: list[str]) -> list[Source]:
    unknown = [k for k in keys if k not in catalogue]
    if unknown:
        raise UnknownSource(f"source(s) inconnue(s) : {', '.join(unknown)} (connues : {', '.join(catalogue)}).")
    return [catalogue[k] for k in keys]
