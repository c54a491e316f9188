"""Importers of the real public files and the partner template, one module per source.
May import `vocabulary`, `paths` and `files` only: they read and check, the builder loads.

Each module has `KIND`, `LABEL`, `detect(head, name)` and `parse(data, file, context) -> Parsed`;
one that can read a file piece by piece also has `parse_stream(stream, file, context)`, which
`parse_file` prefers, so a large file is never held whole.
`parse` only reads and checks: loading into the database is the builder's job (`builder.replay`), so a rejected file
changes nothing.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from observatory.ingest import (
    age_projections, apa, apprentissage, bassin_parts, bassins, bmo, cog, contexte, dares_tensions, establishments,
    france_travail, inserjeunes, lheo, lycees, onisep, parcoursup, parcoursup_names, population_ages, population_communes, shortage_list, social_housing,
    social_staff, template, tensions_bassin, urssaf,
)
from observatory.ingest.common import (
    Context, ImportRejected, Parsed, Report, check_length, decode_text, sha256,
)

# Detection tries the most specific formats first.
IMPORTERS = {module.KIND: module for module in (
    france_travail, lheo, lycees, establishments, parcoursup_names, apa, social_staff, age_projections, apprentissage, cog, onisep, population_ages,
    population_communes, dares_tensions, shortage_list, social_housing, inserjeunes, parcoursup, urssaf, tensions_bassin,
    bassin_parts, bassins, bmo, contexte, template,
)}


def detect(data: bytes, name: str) -> str | None:
    head = data[:65536]
    for kind, module in IMPORTERS.items():
        if module.detect(head, name):
            return kind
    return None


def parse(data: bytes, name: str, context: Context, kind: str | None = None) -> Parsed:
    """Check and read one file; raise ImportRejected (French message) if it cannot be imported."""
    if not _is_workbook(data):  # it must be text
        decode_text(data, name)
    return _importer(data, name, kind).parse(data, name, context)


def parse_file(path: Path, name: str, context: Context, kind: str | None = None) -> Parsed:
    """`parse` for a file on disk: its size is checked before it is read, and an importer that
    reads piece by piece gets the open file, not its bytes."""
    check_length(path.stat().st_size, name)
    with open(path, "rb") as stream:
        head = stream.read(65536)
        module = None if _is_workbook(head) else IMPORTERS.get(kind or detect(head, name))
        if hasattr(module, "parse_stream"):  # it checks the text itself, as it reads
            stream.seek(0)
            return module.parse_stream(stream, name, context)
    return parse(path.read_bytes(), name, context, kind)  # the text checked, then the file detected


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _is_workbook(head: bytes) -> bool:
    return head.startswith((b"PK", population_ages.OLE_MAGIC))


def _importer(head: bytes, name: str, kind: str | None):
    if kind is None:
        kind = detect(head, name)
        if kind is None:
            raise ImportRejected(name, "type de fichier non reconnu : attendu une des sources "
                                       + ", ".join(f"{k} ({m.LABEL})" for k, m in IMPORTERS.items()) + ".")
    if kind not in IMPORTERS:
        raise ImportRejected(name, f"source « {kind} » inconnue (attendu : {', '.join(IMPORTERS)}).")
    return IMPORTERS[kind]


__all__ = ["IMPORTERS", "Context", "ImportRejected", "Parsed", "Report", "detect", "file_sha256", "parse", "parse_file",
           "sha256"]
