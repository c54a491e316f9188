"""What the base has of each source, what its publisher has now, and the French line that compares
them (« BMO 2026 disponible, la base a 2023, 2025 »)."""
from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from observatory import database, paths
from observatory.fetching import offers_api, transfer
from observatory.fetching.catalogue import Source
from observatory.vocabulary import formats

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass
class InBase:
    years: set = field(default_factory=set)
    imported_on: date | None = None  # the latest file the data officer imported; None: a committed extract only

    def span(self) -> str:
        return years_text(self.years) if self.years else "une édition sans année"


def years_text(years) -> str:
    """« 2023, 2025 », « 2018-2050 » (a run of three years or more), « sans année »."""
    ordered = sorted(set(years))
    if not ordered:
        return "sans année"
    runs = [[ordered[0]]]
    for year in ordered[1:]:
        if year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def in_base(db_path: Path) -> dict[str, InBase]:
    """Per importer kind, the years its rows cover in the base, whether committed or imported."""
    extracts = {item["original_sha256"]: item["kind"]
                for item in json.loads((paths.REAL_DIR / "sources.json").read_text(encoding="utf-8"))}
    con = database.connect_readonly(db_path)
    try:
        rows = con.execute(database.read_sql("queries/source_years")).fetchall()
    finally:
        con.close()
    found: dict[str, InBase] = {}
    for _, file_hash, is_demo, kind, imported_at, years in rows:
        kind = kind or extracts.get(file_hash)
        if kind is None or is_demo:
            continue
        entry = found.setdefault(kind, InBase())
        entry.years.update(years or [])
        if imported_at is not None:
            day = imported_at.date() if isinstance(imported_at, datetime) else imported_at
            entry.imported_on = max(filter(None, [entry.imported_on, day]))
    return found


@dataclass
class Status:
    source: Source
    line: str  # French, for the data officer
    newer: bool = False  # worth fetching
    edition: str = ""  # the year (or dataset) the fetch would take
    url: str = ""


def local_status(source: Source, base: InBase | None) -> Status:
    """What can be said without the network."""
    has = f"la base a {base.span()}" if base else "absente de la base"
    if source.method == "manual":
        where = f" depuis {source.page}" if source.page else ""
        note = f" ({source.note})" if source.note else ""
        return Status(source, f"à télécharger à la main{where}, puis à importer{note} ; {has}.")
    if source.method == "partner":
        return Status(source, f"fichier rempli par les partenaires, à importer ; {has}.")
    if source.method == "derived":
        return Status(source, f"calculée à partir d'autres sources, rien à télécharger ; {has}.")
    if source.method == "francetravail":
        keys = offers_api.credentials()
        if keys is None:
            return Status(source, f"{offers_api.MISSING.rstrip('.')} ; {has}.")
        return Status(source, f"instantané des offres en cours possible (identifiants trouvés) ; {has}.", newer=True)
    return Status(source, f"édition en ligne non vérifiée ; {has}.")


def online_status(source: Source, base: InBase | None, settings: transfer.Settings) -> Status:
    """Ask the publisher what it has now; raises transfer.NetworkUnreachable without a network."""
    if source.method == "datagouv":
        return _datagouv(source, base, settings)
    if source.method == "explore":
        return _explore(source, base, settings)
    return local_status(source, base)


def datagouv_resources(source: Source, settings: transfer.Settings) -> list[tuple[int, str, str]]:
    """(year, title, url) of the dataset's resources of the expected format, newest first."""
    _, answer, _ = transfer.request_json(f"{source.api}/datasets/{source.dataset}/", settings)
    found = []
    for resource in answer.get("resources") or []:
        title, url = str(resource.get("title") or ""), str(resource.get("url") or "")
        kind = str(resource.get("format") or "").lower()
        if kind != source.format and not url.lower().endswith(f".{source.format}"):
            continue
        years = [int(y) for y in YEAR.findall(f"{title} {url}")]
        if years:
            found.append((max(years), title, url))
    return sorted(found, reverse=True)


def _datagouv(source: Source, base: InBase | None, settings: transfer.Settings) -> Status:
    resources = datagouv_resources(source, settings)
    if not resources:
        return Status(source, f"aucun fichier {source.format.upper()} daté dans le jeu de données en ligne "
                              f"({source.page}) ; rien à télécharger.")
    year, _, url = resources[0]
    latest = max(base.years) if base and base.years else None
    if latest is not None and year <= latest:
        return Status(source, f"à jour : {year} en ligne, la base a {base.span()}.", edition=str(year), url=url)
    has = f"la base a {base.span()}" if base else "absente de la base"
    return Status(source, f"{year} disponible, {has}.", newer=True, edition=str(year), url=url)


def explore_dataset(source: Source, year: str | None = None) -> str:
    if year and year not in source.datasets_by_year:
        raise transfer.FetchError(f"édition {year} non répertoriée pour « {source.key} » (connues : "
                                  f"{', '.join(sorted(source.datasets_by_year)) or 'la dernière seulement'}).")
    return source.datasets_by_year[year] if year else source.dataset


def explore_export_url(source: Source, departements: list[str], year: str | None = None) -> str:
    """The CSV export with the publisher's column labels, `;`-separated, filtered to the base's
    département when the source has a known field and the base has one département."""
    query = [("delimiter", ";"), ("use_labels", "true")]
    if source.refine and len(departements) == 1:
        query.append(("refine", source.refine.format(departement=departements[0])))
    return (f"{source.api}/catalog/datasets/{explore_dataset(source, year)}/exports/csv?"
            + urllib.parse.urlencode(query))


def _explore(source: Source, base: InBase | None, settings: transfer.Settings) -> Status:
    _, answer, _ = transfer.request_json(f"{source.api}/catalog/datasets/{source.dataset}", settings)
    modified = str(((answer.get("metas") or {}).get("default") or {}).get("modified") or "")[:10]
    try:
        online = date.fromisoformat(modified)
    except ValueError:
        return Status(source, "date de mise à jour en ligne inconnue : à télécharger pour comparer.", newer=True)
    shown = formats.day(online)
    if base is None:
        return Status(source, f"mise à jour en ligne le {shown}, absente de la base.", newer=True, edition=modified)
    if base.imported_on is None:
        return Status(source, f"mise à jour en ligne le {shown} ; la base a {base.span()}, d'une copie intégrée "
                              "à l'observatoire : l'édition officielle la remplacera.", newer=True, edition=modified)
    if online > base.imported_on:
        return Status(source, f"mise à jour en ligne le {shown}, après le dernier import "
                              f"({formats.day(base.imported_on)}) ; la base a {base.span()}.", newer=True,
                      edition=modified)
    return Status(source, f"à jour : mise à jour en ligne le {shown}, importée le {formats.day(base.imported_on)} "
                          f"({base.span()}).", edition=modified)
