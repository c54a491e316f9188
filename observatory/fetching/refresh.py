"""Fetch one source from its publisher and import it through the normal path: downloaded into a
temporary folder, its form checked before anything else, then `imported_files.import_files`
(validated against the live base, kept under its SHA-256 with the manifest, base rebuilt beside the
live one and swapped in). Any failure leaves the base as it was, with a French message.
"""
from __future__ import annotations

import json
import tempfile
import urllib.parse
from datetime import date
from pathlib import Path

from observatory import database
from observatory.builder import BuildError, imported_files
from observatory.fetching import editions, offers_api, transfer
from observatory.fetching.catalogue import Source
from observatory.ingest import Context, ImportRejected


def scope(db_path: Path) -> tuple[list[str], list[str]]:
    """(départements, ROME codes of our professions) of the base."""
    con = database.connect_readonly(db_path)
    try:
        context = Context.from_db(con)
    finally:
        con.close()
    return sorted(context.departements), sorted(context.rome_to_profession())


def fetch(source: Source, db_path: Path, year: str | None = None, settings: transfer.Settings | None = None,
          progress=None, today: date | None = None) -> list[str]:
    """Download, check and import one source; the French report. Raises transfer.FetchError (the
    base unchanged) on any failure, ImportBusy when another import holds the lock."""
    settings = settings or transfer.Settings()
    if not source.fetchable:
        raise transfer.FetchError(f"« {source.key} » : pas d'adresse de téléchargement établie ; "
                                  + editions.local_status(source, None).line)
    departements, romes = scope(db_path)
    before = editions.in_base(db_path).get(source.kind)
    with tempfile.TemporaryDirectory(prefix="observatoire-") as folder:
        path, name, origin, notes = _download(source, departements, romes, year, Path(folder), settings, progress,
                                              today or date.today())
        _check_form(source, path, name)
        try:
            outcome = imported_files.import_files(
                [path], kind=source.kind, db_path=db_path, names=[name], origin=origin,
                imported_by=f"téléchargement depuis {urllib.parse.urlparse(origin).netloc}")
        except (ImportRejected, BuildError) as error:
            raise transfer.FetchError(f"fichier téléchargé refusé à l'import, rien n'a été modifié.\n{error}") from None
    if not outcome.added:
        return notes + outcome.already + [f"{source.name} : rien de nouveau (ce fichier est déjà dans la base)."]
    return notes + outcome.reports + [_changes(source, before, editions.in_base(db_path).get(source.kind),
                                               _file_years(db_path, outcome.added[0].sha256))]


def progress_text(done: int, total: int | None, unit: str) -> str:
    """« 1,2 Mo reçus sur 3,4 Mo » or « 12 requêtes sur 30 »."""
    if unit == "requêtes":
        return f"{done} requête(s) sur {total}"
    size = lambda n: f"{n / 1e6:.1f} Mo".replace(".", ",")  # noqa: E731
    return f"{size(done)} reçus" + (f" sur {size(total)}" if total else "")


def _download(source, departements, romes, year, folder: Path, settings, progress, today):
    """(file, its name for the history, the address it came from, notes)."""
    bytes_progress = (lambda done, total: progress(done, total, "octets")) if progress else None
    calls_progress = (lambda done, total: progress(done, total, "requêtes")) if progress else None
    if source.method == "datagouv":
        resources = editions.datagouv_resources(source, settings)
        chosen = [r for r in resources if year is None or str(r[0]) == year]
        if not chosen:
            raise transfer.FetchError(f"« {source.key} » : aucun fichier {year or ''} en ligne ({source.page}) ; "
                                      "rien n'a été modifié.".replace("  ", " "))
        edition, _, url = chosen[0]
        path = folder / f"fichier.{source.format}"
        final = transfer.download(url, path, settings, bytes_progress)
        name = Path(urllib.parse.unquote(urllib.parse.urlparse(final).path)).name
        if not name.lower().endswith(f".{source.format}") or source.key not in name.lower():
            name = f"{source.key}_{edition}_{name}" if name.lower().endswith(f".{source.format}") \
                else f"{source.key}_{edition}.{source.format}"
        return path, name, url, []
    if source.method == "explore":
        url = editions.explore_export_url(source, departements, year)
        where = departements[0] if source.refine and len(departements) == 1 else "france"
        name = f"{editions.explore_dataset(source, year)}_{where}_{today.isoformat()}.csv"
        path = folder / "fichier.csv"
        transfer.download(url, path, settings, bytes_progress)
        return path, name, url, []
    keys = offers_api.credentials()
    if keys is None:
        raise transfer.FetchError(offers_api.MISSING)
    if len(departements) > offers_api.MAX_DEPARTEMENTS:
        raise transfer.FetchError(f"l'instantané des offres se prend pour un territoire de {offers_api.MAX_DEPARTEMENTS} "
                                  f"départements au plus (cette base en a {len(departements)} : plusieurs milliers "
                                  "d'appels à l'API) ; rien n'a été modifié.")
    answer, notes = offers_api.snapshot(source, departements, romes, keys, settings, calls_progress)
    name = f"offres_france_travail_{'-'.join(departements) if len(departements) < 4 else 'france'}_{today.isoformat()}.json"
    path = folder / "offres.json"
    path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    return path, name, source.api, notes


def _check_form(source: Source, path: Path, name: str) -> None:
    """Before anything else: a file at all, and not a web page served in its place (a portal's error
    or login page). Its columns are checked next by the source's importer, which names the missing ones."""
    with open(path, "rb") as stream:
        head = stream.read(4096)
    if not head.strip():
        raise transfer.FetchError(f"{name} : fichier reçu vide ; rien n'a été modifié.")
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").lower().startswith((b"<!doctype html", b"<html")):
        raise transfer.FetchError(f"{name} : le site a renvoyé une page web au lieu du fichier attendu (« {source.name} » ; "
                                  f"maintenance ou adresse changée ? voyez {source.page}) ; rien n'a été modifié.")


def _file_years(db_path: Path, sha256: str) -> set[int]:
    con = database.connect_readonly(db_path)
    try:
        history = con.execute(database.read_sql("queries/import_history")).df()
    finally:
        con.close()
    row = history[history["sha256"] == sha256]
    years = row["years"].iloc[0] if len(row) else None
    return set() if years is None or not hasattr(years, "__len__") else {int(y) for y in years}


def _changes(source: Source, before, after, file_years: set[int]) -> str:
    old = before.years if before else set()
    parts = []
    if file_years - old:
        parts.append(f"années ajoutées : {editions.years_text(file_years - old)}")
    if file_years & old:
        parts.append(f"années remplacées par ce fichier : {editions.years_text(file_years & old)}")
    now = after.span() if after else "sans année"
    return f"{source.name} : " + " ; ".join(parts + [f"la base couvre maintenant {now}"]) + "."
