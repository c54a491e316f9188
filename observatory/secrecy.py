"""Statistical secrecy, applied once in `queries.py` before any output.

Primary rule: a count of people (see `indicators.MEASURES[...].people_count`) strictly between
0 and the threshold is masked. Secondary rule: within each group of rows that is published with
its total (the cantons of one year, whose sum is the département's value), a lone masked cell
could be recomputed as total minus the visible cells, so the smallest other non-zero cell of that
group is masked too. An indicator computed from a masked count is masked.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.indicators import INDICATORS, MEASURES

DEFAULT_THRESHOLD = 5
THRESHOLDS = (3, 5, 11)
RULE_TEXT = (
    "Secret statistique : les effectifs de personnes (candidats, inscrits, diplômés, apprentis, "
    "stagiaires) inférieurs à {threshold} sont masqués et remplacés par « s », ainsi qu'une "
    "seconde case quand la première pourrait se déduire du total."
)
PEOPLE_MEASURES = [m.key for m in MEASURES.values() if m.people_count]


def secret_column(name: str) -> str:
    return f"{name}__secret"


def mask(frame: pd.DataFrame, group_by: list[str] | None, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Mask people counts in a frame of summed measures; add a `<measure>__secret` flag each."""
    people = frame[PEOPLE_MEASURES].to_numpy(dtype="float64")
    secret = (people > 0) & (people < threshold)
    if group_by and len(frame):
        groups = frame.groupby(group_by, sort=False, dropna=False).ngroup().to_numpy()
        secret = _secondary(people, secret, groups)
    columns = {m: np.where(secret[:, j], np.nan, people[:, j]) for j, m in enumerate(PEOPLE_MEASURES)}
    for measure in MEASURES:
        columns[secret_column(measure)] = (
            secret[:, PEOPLE_MEASURES.index(measure)] if measure in PEOPLE_MEASURES
            else np.zeros(len(frame), dtype=bool)
        )
    return frame.assign(**columns)


def _secondary(values: np.ndarray, secret: np.ndarray, groups: np.ndarray) -> np.ndarray:
    secret = secret.copy()
    n_groups = int(groups.max()) + 1
    for j in range(values.shape[1]):
        lone = np.bincount(groups, weights=secret[:, j], minlength=n_groups) == 1
        rows = np.flatnonzero(lone[groups] & ~secret[:, j] & (values[:, j] > 0))
        if not len(rows):
            continue
        # The smallest candidate of each group: sort by (group, value), keep each group's first.
        ordered = rows[np.lexsort((values[rows, j], groups[rows]))]
        first = np.r_[True, groups[ordered][1:] != groups[ordered][:-1]]
        secret[ordered[first], j] = True
    return secret


def with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every ratio indicator and its `__secret` flag, computed from (masked) measures."""
    columns = {}
    for indicator in INDICATORS.values():
        if indicator.key in MEASURES:  # a count indicator is its measure, already masked
            continue
        inputs = [indicator.numerator] + ([indicator.denominator] if indicator.denominator else [])
        secret = np.logical_or.reduce([frame[secret_column(m)].to_numpy(dtype=bool) for m in inputs])
        columns[indicator.key] = np.where(secret, np.nan, indicator.compute(frame))
        columns[secret_column(indicator.key)] = secret
    return frame.assign(**columns)
