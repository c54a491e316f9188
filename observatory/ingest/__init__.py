"""Importers of the real public files and the partner template, one module per source.

Each module has `KIND`, `LABEL`, `detect(head, name)` and `parse(data, file, context) -> Parsed`.
`parse` only reads and checks: loading into the database is the builder's job (`builder.replay`), so a rejected file
changes nothing.
"""
from __future__ import annotations

from observatory.ingest import (
    apprentissage, bassins, bmo, cog, contexte, dares_tensions, france_travail, inserjeunes, lheo, onisep,
    population_ages, population_communes, shortage_list, social_housing, template, urssaf,
)
from observatory.ingest.common import Context, ImportRejected, Parsed, Report, decode_text, sha256

# Detection tries the most specific formats first.
IMPORTERS = {module.KIND: module for module in (france_travail, lheo, apprentissage, cog, onisep, population_ages,
                                                population_communes, dares_tensions, shortage_list, social_housing,
                                                inserjeunes, urssaf, bassins, bmo, contexte, template)}


def detect(data: bytes, name: str) -> str | None:
    head = data[:65536]
    for kind, module in IMPORTERS.items():
        if module.detect(head, name):
            return kind
    return None


def parse(data: bytes, name: str, context: Context, kind: str | None = None) -> Parsed:
    """Check and read one file; raise ImportRejected (French message) if it cannot be imported."""
    if not data.startswith((b"PK", population_ages.OLE_MAGIC)):  # not a workbook: it must be text
        decode_text(data, name)
    if kind is None:
        kind = detect(data, name)
        if kind is None:
            raise ImportRejected(name, "type de fichier non reconnu : attendu une des sources "
                                       + ", ".join(f"{k} ({m.LABEL})" for k, m in IMPORTERS.items()) + ".")
    if kind not in IMPORTERS:
        raise ImportRejected(name, f"source « {kind} » inconnue (attendu : {', '.join(IMPORTERS)}).")
    return IMPORTERS[kind].parse(data, name, context)


__all__ = ["IMPORTERS", "Context", "ImportRejected", "Parsed", "Report", "detect", "parse", "sha256"]
