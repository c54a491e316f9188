"""ONISEP « Idéo-Formations initiales en France » CSV → the diplomas leading to each profession."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, Parsed, Report, normalise, read_csv

KIND = "onisep"
LABEL = "ONISEP, formations initiales (Idéo)"
TITLE = "libellé formation principal"
REQUIRED = [TITLE, "libellé type formation", "code RNCP"]


def detect(head: bytes, name: str) -> bool:
    return TITLE.encode() in head[:3000] or "libellé formation principal".encode("cp1252") in head[:3000]


def _patterns(ctx: Context) -> list[tuple[str, re.Pattern]]:
    """A formation leads to a profession when its title names the profession (accents and case aside)."""
    patterns = []
    for row in ctx.professions.itertuples():
        labels = {row.label.split(" / ")[0]} | {d.split("(")[-1].rstrip(")") for d in row.diplomas if "(" in d}
        for label in labels:
            words = normalise(label).replace("diplome d etat d ", "").replace("diplome d etat de ", "")
            if len(words) >= 6:
                patterns.append((row.code, re.compile(r"\b" + re.escape(words))))
    return patterns


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=REQUIRED)
    report = Report(KIND, file, rows_read=len(frame))
    patterns = _patterns(ctx)
    rows = []
    for _, row in frame.iterrows():
        title = normalise(row[TITLE])
        for code in sorted({code for code, pattern in patterns if pattern.search(title)}):
            rows.append({"profession_code": code, "label": row[TITLE].strip(), "kind": row["libellé type formation"].strip(),
                         "rncp": row["code RNCP"].strip() or None,
                         "level": row.get("libellé niveau RNCP", "").strip() or None,
                         "duration": row.get("durée", "").strip() or None,
                         "url": row.get("lien site onisep.fr", "").strip() or None})
    table = pd.DataFrame(rows, columns=["profession_code", "label", "kind", "rncp", "level", "duration", "url"]).drop_duplicates()
    report.rows_kept = table["label"].nunique() if len(table) else 0
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{report.rows_kept} formation(s) rattachée(s) à {table['profession_code'].nunique() if len(table) else 0} "
                        "métier(s) du référentiel d'après leur intitulé ; les autres ne mènent à aucun de ces métiers.")
    return Parsed(KIND, {"formation_catalog": table}, report, publisher="ONISEP",
                  title="Idéo-Formations initiales en France", licence="ODbL (à confirmer pour ce jeu de données)",
                  url="https://opendata.onisep.fr")
