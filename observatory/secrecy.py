"""Statistical secrecy, applied once in `queries.py` before any output.

Primary rule: a count of people (see `indicators.MEASURES[...].people_count`) strictly between
0 and the threshold is masked. Secondary rule: within each group of rows that is published with
its total (the cantons of one year, whose sum is the département's value), a lone masked cell
could be recomputed as total minus the visible cells, so the smallest other non-zero cell of that
group is masked too. An indicator computed from a masked count is masked.
"""
from __future__ import annotations

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
    out = frame.copy()
    for measure in PEOPLE_MEASURES:
        values = out[measure].astype("float64")
        secret = values.gt(0) & values.lt(threshold)
        if group_by:
            secret = _secondary(values, secret, out[group_by])
        out[secret_column(measure)] = secret
        out[measure] = values.mask(secret)
    for measure in MEASURES:
        if measure not in PEOPLE_MEASURES:
            out[secret_column(measure)] = False
    return out


def _secondary(values: pd.Series, secret: pd.Series, groups: pd.DataFrame) -> pd.Series:
    secret = secret.copy()
    for _, index in groups.groupby(list(groups.columns), dropna=False).groups.items():
        if secret.loc[index].sum() != 1:
            continue
        candidates = values.loc[index][~secret.loc[index] & values.loc[index].gt(0)]
        if not candidates.empty:
            secret.loc[candidates.idxmin()] = True
    return secret


def with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every indicator column and its `__secret` flag from (masked) measures."""
    out = frame.copy()
    for indicator in INDICATORS.values():
        inputs = [indicator.numerator] + ([indicator.denominator] if indicator.denominator else [])
        secret = out[[secret_column(m) for m in inputs]].any(axis=1)
        if indicator.key not in MEASURES:
            out[indicator.key] = indicator.compute(out).mask(secret)
            out[secret_column(indicator.key)] = secret
    return out
