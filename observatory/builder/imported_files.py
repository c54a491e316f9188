"""The data officer's imports: check files against the live database, add them to the manifest
and rebuild, or take one out.

`import_files` parses every file against the live database first; if any is rejected, nothing is
written. Accepted files are copied under their content hash (so the same file twice adds nothing),
the manifest is rewritten atomically, and the database is rebuilt beside the live one and swapped
in (`builder.build`), which replays every file in manifest order (`builder.replay`).
"""
from __future__ import annotations

import dataclasses
import getpass
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from observatory import builder, database, ingest, paths
from observatory.ingest import Context, ImportRejected
from observatory.ingest.common import check_length
from observatory.builder.manifest import (LOCK_WAIT_SECONDS, Entry, ImportBusy, exclusive, read_manifest,
                                         stored_problems, write_manifest)
from observatory.files import write_atomically

__all__ = ["ImportBusy", "Outcome", "Checked", "import_files", "check_files", "remove_import", "read_manifest",
           "exclusive"]


@dataclass
class Outcome:
    reports: list[str]
    added: list[Entry]
    already: list[str]


def import_files(files: list[Path], kind: str | None = None, db_path: Path = paths.DEFAULT_DB,
                 folder: Path | None = None, reference_root: Path = paths.REFERENCE_DIR,
                 imported_by: str | None = None, names: list[str] | None = None,
                 wait: float = LOCK_WAIT_SECONDS, origin: str = "") -> Outcome:
    """Check every file, then add the new ones and rebuild. Raises ImportRejected or ImportBusy,
    writing nothing. `names`: the files' original names when `files` are temporary copies;
    `origin`: the address they were fetched from, kept in the manifest."""
    folder = folder or paths.imports_dir_for(db_path)
    with exclusive(folder, wait):
        return _import_files(files, kind, db_path, folder, reference_root,
                             imported_by or getpass.getuser(), names or [f.name for f in files], origin)


@dataclass
class Checked:
    departement: str
    contents: list  # (path, name, sha256, Parsed) of the files not imported yet
    reports: list[str]
    already: list[str]
    restores: list = dataclasses.field(default_factory=list)  # (path, Entry): a lost or altered stored copy


def check_files(files: list[Path], kind: str | None = None, db_path: Path = paths.DEFAULT_DB,
                folder: Path | None = None, names: list[str] | None = None) -> Checked:
    """Read and check files against the live database, writing nothing: the validation report
    the data officer sees before confirming. Raises ImportRejected on the first bad file."""
    folder = folder or paths.imports_dir_for(db_path)
    names = names or [f.name for f in files]
    con = database.connect_readonly(db_path)
    try:
        context = Context.from_db(con)
        entries = read_manifest(folder)
        damaged = {entry.sha256: entry for entry, _ in stored_problems(folder, entries)}
        known = {e.sha256 for e in entries}
        contents, reports, already, restores = [], [], [], []
        for path, name in zip(files, names):
            if not path.is_file():
                raise ImportRejected(str(path), "fichier introuvable.")
            check_length(path.stat().st_size, name)  # before reading it: a huge file costs nothing
            digest = ingest.file_sha256(path)
            if digest in damaged:
                restores.append((path, damaged.pop(digest)))
                already.append(f"{name} : déjà importé ; sa copie conservée, perdue ou modifiée, est rétablie.")
                continue
            if digest in known or digest in {c[2] for c in contents}:
                already.append(f"{name} : déjà importé (même contenu), rien ajouté.")
                continue
            parsed = ingest.parse_file(path, name, _context_after(context, contents), kind)
            contents.append((path, name, digest, parsed))
            reports.append(parsed.report.text())
    finally:
        con.close()
    return Checked(context.departement, contents, reports, already, restores)


def _import_files(files, kind, db_path, folder, reference_root, imported_by, names, origin) -> Outcome:
    if not db_path.exists():
        builder.build(db_path, reference_root=reference_root, imports_dir=folder)
    checked = check_files(files, kind, db_path, folder, names)
    for path, entry in checked.restores:  # the same bytes as imported: the manifest is unchanged
        write_atomically(folder / entry.file, path.read_bytes())
    if not checked.contents and not checked.restores:
        return Outcome(checked.reports, [], checked.already)

    entries = read_manifest(folder)
    stamp = datetime.now().replace(microsecond=0).isoformat()
    added = [Entry(parsed.kind, digest + Path(name).suffix.lower(), name, digest, stamp, imported_by, origin)
             for _, name, digest, parsed in checked.contents]
    folder.mkdir(parents=True, exist_ok=True)
    for (path, _, _, _), entry in zip(checked.contents, added):
        shutil.copyfile(path, folder / entry.file)
    try:
        write_manifest(entries + added, folder)
        builder.build(db_path, reference_root=reference_root, imports_dir=folder, **builder.build_options(db_path))
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
    folder = folder or paths.imports_dir_for(db_path)
    with exclusive(folder, wait):
        entries = read_manifest(folder)
        removed = next((e for e in entries if e.sha256 == sha), None)
        if removed is None:
            raise ImportRejected(sha[:12], "aucun import avec cette empreinte.")
        options = builder.build_options(db_path)
        kept = [e for e in entries if e.sha256 != sha]
        write_manifest(kept, folder)
        try:
            builder.build(db_path, reference_root=reference_root, imports_dir=folder, **options)
        except BaseException:
            write_manifest(entries, folder)
            raise
        (folder / removed.file).unlink(missing_ok=True)
        return removed
