"""Imported files: kept in `data/imports/` with a manifest, checked, then replayed by every build.

`python -m observatory import FILE...` parses every file against the live database first; if
any is rejected, nothing is written. Accepted files are copied under their content hash (so the
same file twice adds nothing), the manifest is rewritten atomically, and the store is rebuilt
beside the live one and swapped in (`store.build`), which replays every file in manifest order.
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import getpass
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from observatory import ingest, paths
from observatory.ingest import Context, ImportRejected, Parsed
from observatory.ingest.common import NothingForTerritory

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    kind: str
    file: str  # stored name: <sha256><suffix>
    original_name: str
    sha256: str
    imported_at: str
    imported_by: str = ""


LOCK_FILE = ".lock"
LOCK_WAIT_SECONDS = 30


class ImportBusy(Exception):
    """Another import or removal holds the lock; the message is in French."""


@contextlib.contextmanager
def exclusive(folder: Path, wait: float = LOCK_WAIT_SECONDS):
    """One import or removal at a time. The lock is the kernel's (flock), so a process killed in
    the middle releases it with its file descriptor: no stray lock survives a crash."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "a+")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ImportBusy("Un autre import est en cours ; rien n'a été modifié. "
                                     "Réessayez dans quelques instants.") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()  # releases the lock


def read_manifest(folder: Path) -> list[Entry]:
    path = folder / MANIFEST
    if not path.exists():
        return []
    return [Entry(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def write_manifest(entries: list[Entry], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump([asdict(e) for e in entries], out, ensure_ascii=False, indent=2)
    os.replace(tmp, folder / MANIFEST)


@dataclass
class Outcome:
    reports: list[str]
    added: list[Entry]
    already: list[str]


def import_files(files: list[Path], kind: str | None = None, db_path: Path = paths.DEFAULT_DB,
                 folder: Path | None = None, reference_root: Path = paths.REFERENCE_DIR,
                 imported_by: str | None = None, names: list[str] | None = None,
                 wait: float = LOCK_WAIT_SECONDS) -> Outcome:
    """Check every file, then add the new ones and rebuild. Raises ImportRejected or ImportBusy,
    writing nothing. `names`: the files' original names when `files` are temporary copies."""
    folder = folder or paths.imports_dir_for(db_path)
    with exclusive(folder, wait):
        return _import_files(files, kind, db_path, folder, reference_root,
                             imported_by or getpass.getuser(), names or [f.name for f in files])


@dataclass
class Checked:
    departement: str
    contents: list  # (path, name, sha256, Parsed) of the files not imported yet
    reports: list[str]
    already: list[str]


def check_files(files: list[Path], kind: str | None = None, db_path: Path = paths.DEFAULT_DB,
                folder: Path | None = None, names: list[str] | None = None) -> Checked:
    """Read and check files against the live database, writing nothing: the validation report
    the data officer sees before confirming. Raises ImportRejected on the first bad file."""
    from observatory import store

    folder = folder or paths.imports_dir_for(db_path)
    names = names or [f.name for f in files]
    con = store.connect_readonly(db_path)
    try:
        context = Context.from_db(con)
        known = {e.sha256 for e in read_manifest(folder)}
        contents, reports, already = [], [], []
        for path, name in zip(files, names):
            if not path.is_file():
                raise ImportRejected(str(path), "fichier introuvable.")
            data = path.read_bytes()
            digest = ingest.sha256(data)
            if digest in known or digest in {c[2] for c in contents}:
                already.append(f"{name} : déjà importé (même contenu), rien ajouté.")
                continue
            parsed = ingest.parse(data, name, _context_after(context, contents), kind)
            contents.append((path, name, digest, parsed))
            reports.append(parsed.report.text())
    finally:
        con.close()
    return Checked(context.departement, contents, reports, already)


def _import_files(files, kind, db_path, folder, reference_root, imported_by, names) -> Outcome:
    from observatory import store

    if not db_path.exists():
        store.build(db_path, reference_root=reference_root, imports_dir=folder)
    checked = check_files(files, kind, db_path, folder, names)
    if not checked.contents:
        return Outcome(checked.reports, [], checked.already)

    entries = read_manifest(folder)
    stamp = datetime.now().replace(microsecond=0).isoformat()
    added = [Entry(parsed.kind, digest + Path(name).suffix.lower(), name, digest, stamp, imported_by)
             for _, name, digest, parsed in checked.contents]
    folder.mkdir(parents=True, exist_ok=True)
    for (path, _, _, _), entry in zip(checked.contents, added):
        shutil.copyfile(path, folder / entry.file)
    try:
        write_manifest(entries + added, folder)
        store.build(db_path, reference_root=reference_root, imports_dir=folder, **store.build_options(db_path))
    except BaseException:
        write_manifest(entries, folder)  # the live database was not replaced: forget the new files
        for entry in added:
            (folder / entry.file).unlink(missing_ok=True)
        raise
    return Outcome(checked.reports, added, checked.already)


def _context_after(context: Context, contents: list) -> Context:
    """A bassin table imported in the same command is already usable by a BMO file after it."""
    for *_, parsed in contents:
        if "commune_bassin" in parsed.tables:
            context = dataclasses.replace(context, bassins=parsed.tables["commune_bassin"])
    return context


def remove_import(sha: str, db_path: Path = paths.DEFAULT_DB, folder: Path | None = None,
                  reference_root: Path = paths.REFERENCE_DIR, wait: float = LOCK_WAIT_SECONDS) -> Entry:
    """Take one imported file out: its rows leave, the rest stays (the store is rebuilt without it)."""
    from observatory import store

    folder = folder or paths.imports_dir_for(db_path)
    with exclusive(folder, wait):
        entries = read_manifest(folder)
        removed = next((e for e in entries if e.sha256 == sha), None)
        if removed is None:
            raise ImportRejected(sha[:12], "aucun import avec cette empreinte.")
        options = store.build_options(db_path)
        kept = [e for e in entries if e.sha256 != sha]
        write_manifest(kept, folder)
        try:
            store.build(db_path, reference_root=reference_root, imports_dir=folder, **options)
        except BaseException:
            write_manifest(entries, folder)
            raise
        (folder / removed.file).unlink(missing_ok=True)
        return removed


# ---------------------------------------------------------------- replay, called by store.build


def replay(con: duckdb.DuckDBPyConnection, folder: Path, next_source_id: int, embedded: list | None = None) -> int:
    """Load the committed real extracts (`real_extracts.Embedded`), then every file of the
    manifest in order, into the database being built: both through the same importers."""
    for extract in embedded or []:
        try:
            parsed = ingest.parse(extract.data, extract.name, Context.from_db(con), extract.kind)
        except NothingForTerritory:
            continue  # e.g. the Landes' apprenticeship extract on another département's database
        _insert_source(con, next_source_id, parsed, extract.publisher, extract.licence, extract.url, None,
                       extract.original_sha256)
        _apply(con, parsed, next_source_id)
        next_source_id += 1
    for import_id, entry in enumerate(read_manifest(folder), start=1):
        path = folder / entry.file
        data = path.read_bytes() if path.exists() else b""
        if ingest.sha256(data) != entry.sha256:
            raise ImportRejected(entry.original_name, f"fichier importé absent ou modifié ({path}).")
        parsed = ingest.parse(data, entry.original_name, Context.from_db(con), entry.kind)
        source_id = next_source_id
        next_source_id += 1
        _insert_source(con, source_id, parsed, parsed.publisher, parsed.licence, parsed.url, entry.imported_at[:10],
                       entry.sha256)
        _apply(con, parsed, source_id)
        report = parsed.report
        con.execute("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, entry.kind, entry.original_name, entry.sha256, entry.imported_at, entry.imported_by,
                     report.rows_read, report.rows_kept, report.rows_rejected, report.text(), source_id])
    _derive_vacancies_from_offers(con)
    _prefer_real_over_demo(con)
    return next_source_id


def _insert_source(con, source_id: int, parsed: Parsed, publisher: str, licence: str, url: str | None,
                   retrieved_on: str | None, file_hash: str) -> None:
    con.execute("""INSERT INTO source (source_id, publisher, title, licence, url, retrieved_on, file_hash, is_demo,
                                       partial, coverage) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)""",
                [source_id, publisher, parsed.title, licence, url, retrieved_on, file_hash, parsed.partial,
                 parsed.coverage])


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


# A file's rows replace the rows already loaded with the same key (a later file wins): the data
# officer's BMO 2025 for the Landes replaces the committed extract's, never adds to it.
REPLACED_BY_KEY = {
    "commune_bassin": ["commune_code"],
    "bmo_bassin": ["year", "departement_code"],
    "departement_context": ["departement_code", "year", "indicator"],
    "commune_population": ["year", "commune_code"],
    "departement_population": ["year", "departement_code", "age_group"],
}


def _replace_previous(con, name: str, frame: pd.DataFrame) -> None:
    keys = REPLACED_BY_KEY[name]
    con.register("incoming_keys", frame[keys].drop_duplicates())
    try:
        match = " AND ".join(f"t.{k} = k.{k}" for k in keys)
        if name == "bmo_bassin":  # and the canton estimates of the same years and départements
            con.execute(f"""DELETE FROM vacancies AS v USING incoming_keys AS k, canton AS c
                WHERE c.code = v.canton_code AND v.year = k.year AND c.departement_code = k.departement_code
                  AND v.profession_code IN (SELECT code FROM profession WHERE kind = 'bmo')""")
        con.execute(f"DELETE FROM {name} AS t USING incoming_keys AS k WHERE {match}")
    finally:
        con.unregister("incoming_keys")


def _apply(con, parsed: Parsed, source_id: int) -> None:
    for name in REPLACED_BY_KEY:
        if name in parsed.tables and len(parsed.tables[name]):
            _replace_previous(con, name, parsed.tables[name])
    for name, frame in parsed.tables.items():
        frame = frame.assign(source_id=source_id)
        if name == "commune_bassin":
            _insert(con, name, frame)
        elif name == "commune_canton":
            for row in frame.itertuples():
                con.execute("UPDATE commune SET canton_code = ? WHERE code = ?", [row.canton_code, row.commune_code])
            con.execute("UPDATE canton SET population = (SELECT COALESCE(SUM(population), 0) FROM commune "
                        "WHERE commune.canton_code = canton.code)")
        elif name == "commune_population":
            _insert(con, name, frame)
            _use_latest_populations(con)
        elif name == "provider":
            _insert_providers(con, frame, parsed.tables.get("training_session"), source_id)
        elif name == "training_session":
            continue  # loaded with its providers
        else:
            _insert(con, name, frame)


def _use_latest_populations(con) -> None:
    """Communes, areas and départements take the latest INSEE municipal population (the reference
    geography's is older); a commune without a figure that year keeps its own."""
    con.execute("""UPDATE commune SET population = p.population
        FROM (SELECT commune_code, population FROM commune_population
              WHERE year = (SELECT MAX(year) FROM commune_population)) AS p
        WHERE commune.code = p.commune_code""")
    con.execute("UPDATE canton SET population = (SELECT COALESCE(SUM(population), 0) FROM commune "
                "WHERE commune.canton_code = canton.code)")
    con.execute("""UPDATE departement SET population = (SELECT COALESCE(SUM(c.population), 0) FROM canton AS c
        WHERE c.departement_code = departement.code)""")


def _insert_providers(con, providers: pd.DataFrame, sessions: pd.DataFrame | None, source_id: int) -> None:
    first = con.execute("SELECT COALESCE(MAX(provider_id), 0) + 1 FROM provider").fetchone()[0]
    points = con.execute("SELECT code, lon, lat FROM commune").df().set_index("code")
    providers = providers.reset_index(drop=True).assign(provider_id=lambda f: first + f.index)
    providers["lon"] = providers["lon"].fillna(providers["commune_code"].map(points["lon"]))
    providers["lat"] = providers["lat"].fillna(providers["commune_code"].map(points["lat"]))
    _insert(con, "provider", providers.drop(columns="professions"))
    links = providers[["provider_id", "professions"]].explode("professions").rename(columns={"professions": "profession_code"})
    _insert(con, "provider_profession", links.drop(columns="source_id", errors="ignore"))
    if sessions is not None and len(sessions):
        ids = providers.set_index(["name", "commune_code"])["provider_id"]
        sessions = sessions.assign(provider_id=[ids[(n, c)] for n, c in zip(sessions["provider_name"], sessions["commune_code"])])
        _insert(con, "training_session", sessions.drop(columns=["provider_name", "commune_code"]).assign(source_id=source_id))


def _derive_vacancies_from_offers(con) -> None:
    """Offers per year × canton × profession, each offer counted once (first import wins). The
    unfilled count is known only where every offer of the cell says whether it was filled. Offers
    of a partial import (a search snapshot) are kept in `job_offer` but never counted as a year's."""
    demo = "source_id IN (SELECT source_id FROM source WHERE is_demo)"
    real = "source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial)"
    # Where complete real offers exist for a year, the demo's offers of that year step aside.
    con.execute(f"DELETE FROM job_offer WHERE {demo} AND year IN (SELECT DISTINCT year FROM job_offer WHERE {real})")
    con.execute("""
        INSERT INTO vacancies (year, canton_code, profession_code, offers_published, offers_unfilled, source_id)
        SELECT year, canton_code, profession_code, COUNT(*),
               CASE WHEN COUNT(unfilled_after_3_months) = COUNT(*)
                    THEN COUNT(*) FILTER (WHERE unfilled_after_3_months) END,
               source_id
        FROM (SELECT * FROM job_offer WHERE source_id NOT IN (SELECT source_id FROM source WHERE partial)
              QUALIFY ROW_NUMBER() OVER (PARTITION BY offer_id ORDER BY source_id) = 1)
        WHERE canton_code IS NOT NULL
        GROUP BY ALL""")


def _prefer_real_over_demo(con) -> None:
    """Real figures replace the demo's where they cover the same thing, and only there: complete
    real offers of a year replace that year's demo offers; a partner's figures for some cantons
    and professions replace the demo's for those cantons and professions, not the whole year."""
    demo = "source_id IN (SELECT source_id FROM source WHERE is_demo)"
    real = "source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial)"
    con.execute(f"""UPDATE vacancies SET offers_published = NULL, offers_unfilled = NULL
        WHERE {demo} AND year IN (SELECT DISTINCT year FROM job_offer WHERE {real})""")
    for table in ("training", "internships"):
        con.execute(f"""DELETE FROM {table} AS d WHERE {demo} AND EXISTS (SELECT 1 FROM {table} AS r WHERE r.{real}
            AND r.year = d.year AND r.canton_code = d.canton_code AND r.profession_code = d.profession_code)""")
