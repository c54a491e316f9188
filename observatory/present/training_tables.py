"""The training sites' formations and their sums, as tables people read (pages, phone cards)."""
from __future__ import annotations

import pandas as pd

from observatory.figures import training_sites
from observatory.vocabulary import formats

KIND_LABELS = training_sites.KIND_LABELS
PATHWAY_LABELS = {"scolaire": "scolaire", "apprentissage": "apprentissage", "initiale": "initiale",
                  "continue": "continue"}


def _count(value) -> str:
    """A published figure, or nothing when its source does not give it (a phone's card skips it)."""
    return "" if pd.isna(value) else formats.number(value)


def _ratio(value) -> str:
    return "" if pd.isna(value) else formats.number(value, 1)


def _without_empty_columns(table: pd.DataFrame) -> pd.DataFrame:
    """A figure no row gives (no pupils in Parcoursup's rows) is not a column."""
    return table.loc[:, [c for c in table.columns if table[c].astype(str).str.strip().ne("").any()]]


def site_intakes(intakes: pd.DataFrame) -> pd.DataFrame:
    """The formations of training sites, each year and source, as published (a figure the source does
    not give stays empty; a column none gives is left out)."""
    return _without_empty_columns(pd.DataFrame({  # the place first: a phone's card is titled with it
        "Lieu de formation": [s if placed else f"{s} — lieu inconnu, compté dans le département"
                              for s, placed in zip(intakes["site"], intakes["placed"])],
        "Année": intakes["year"].astype(int).astype(str) + ", " + intakes["kind"].map(KIND_LABELS),
        "Commune": intakes["commune"].fillna(""),
        "Diplôme et formation": [d + (f" — {f}" if f.strip() else "")
                                 for d, f in zip(intakes["diploma_short"], intakes["formation"])],
        "Voie": intakes["pathway"].map(PATHWAY_LABELS).fillna(""),
        "Places": [_count(v) for v in intakes["places"]],
        "Candidats": [_count(v) for v in intakes["candidates"]],
        "Premiers vœux": [_count(v) for v in intakes["first_wishes"]],
        "Élèves": [_count(v) for v in intakes["pupils"]],
        "Admis": [_count(v) for v in intakes["admitted"]],
        "Candidats pour une place": [_ratio(v) for v in training_sites.per_place(intakes, "candidates")],
    }))


def training_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """`training_sites.totals` for reading: one row per département, diploma, year and source (a column
    none gives is left out)."""
    return _without_empty_columns(pd.DataFrame({
        "Diplôme": totals["diploma_short"],
        "Département": totals["departement"],
        "Année": totals["year"].astype(int).astype(str) + ", " + totals["kind"].map(KIND_LABELS),
        "Lieux": [formats.number(s) + (f", dont {formats.number(u)} sans lieu connu" if u else "")
                  for s, u in zip(totals["sites"], totals["unplaced"])],
        "Places": [_count(v) for v in totals["places"]],
        "Candidats": [_count(v) for v in totals["candidates"]],
        "Premiers vœux": [_count(v) for v in totals["first_wishes"]],
        "Élèves": [_count(v) for v in totals["pupils"]],
        "Admis": [_count(v) for v in totals["admitted"]],
        "Candidats pour une place": [_ratio(v) for v in totals["candidates_per_place"]],
        "Premiers vœux pour une place": [_ratio(v) for v in totals["wishes_per_place"]],
    }))
