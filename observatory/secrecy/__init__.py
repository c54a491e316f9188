"""Statistical secrecy: the rules, the flags and their column names, in one place.

The cube is masked once at build (`cube.masked_cells`, rules 1 and 2); pages sum the masked cells
in SQL (`cube.sums_sql`) and publish the small result (`cube.published`, rules 3, 2 and 4). No
other module spells a flag column: they ask `secret_column`, `is_secret` or `secret_flags`.

Everything published is built from one detailed cube (year × area × profession), masked once:

1. Primary rule: a count of people (see `indicators.MEASURES[...].people_count`) strictly between
   0 and the threshold is masked. A value its publisher already withheld (BMO's `*`, flagged in
   the store as `<measure>__source_secret`) is unknown, never zero: a cell or a sum that contains
   one shows only the sum of its published parts, as a lower bound (« au moins … »), or « s »
   when no part is published. We never knew the withheld value, so no comparison can reveal it.
2. Secondary rule: in the cube, the row totals (all areas of a year and profession) and the column
   totals (all professions of a year and area) can be added up by anyone, so a lone masked cell
   in such a group would be total minus the visible cells, and two small masked counts would give
   away their small sum: the smallest other non-zero cell of the group is masked too, over both
   groupings until nothing changes.
3. A published sum of cube cells (a canton over several professions, the département) is masked
   when it is itself a small count, when it contains exactly one masked cell (it would give that
   cell away), or when its masked cells add up to a small count. Its table then gets rule 2 again
   (e.g. the cantons of one year, published with the département's total).
4. An indicator computed from a masked count, or from a lower bound, is masked.

Because every view starts from the same masked cube, a cell masked in one export is masked in all.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.indicators import INDICATORS, MEASURES

DEFAULT_THRESHOLD = 5
THRESHOLDS = (3, 5, 11)
NAMES = list(MEASURES)
PEOPLE = np.array([MEASURES[m].people_count for m in NAMES])
CUBE_GROUPINGS = [["year", "profession_code"], ["year", "canton_code"]]


SECRET_SUFFIX = "__secret"


def secret_column(name: str) -> str:
    """The column that flags a masked value of `name` (a measure or an indicator)."""
    return f"{name}{SECRET_SUFFIX}"


def is_secret(row: pd.Series, name: str) -> bool:
    """Whether `name` is masked in one published row (a row without the flag is not)."""
    value = row.get(secret_column(name), False)
    return False if pd.isna(value) else bool(value)


def secret_flags(frame: pd.DataFrame, name: str) -> pd.Series:
    """Whether each value of `name` is masked (missing flags: not masked)."""
    return frame[secret_column(name)].astype("boolean").fillna(False).astype(bool)


def any_secret(frame: pd.DataFrame) -> bool:
    """Whether any value of a published frame is masked."""
    flags = [c for c in frame.columns if c.endswith(SECRET_SUFFIX)]
    return bool(frame[flags].fillna(False).to_numpy(dtype=bool).any()) if flags else False


def complete_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Flags of rows with nothing published (an area without figures) set to not masked."""
    flags = [c for c in frame.columns if c.endswith(SECRET_SUFFIX)]
    frame[flags] = frame[flags].astype("boolean").fillna(False).astype(bool)
    return frame


def not_secret(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Flag `name` as never masked (census counts of people, not survey counts)."""
    frame[secret_column(name)] = False
    return frame


def secret_if_any(frame: pd.DataFrame, name: str, inputs: list[str]) -> pd.DataFrame:
    """Flag `name`, computed from `inputs`, as masked wherever one of them is (rule 4)."""
    frame[secret_column(name)] = np.logical_or.reduce([secret_flags(frame, m).to_numpy() for m in inputs])
    return frame


def source_secret_column(name: str) -> str:
    return f"{name}__source_secret"


Groupings = list[str] | list[list[str]] | None


def mask(frame: pd.DataFrame, group_by: Groupings, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Rules 1 and 2 on a frame of summed measures: masked values become missing, and each
    measure gets a `<measure>__secret` flag. `group_by` is one grouping whose total is published
    (a list of columns) or several (a list of such lists)."""
    values = frame[NAMES].to_numpy(dtype="float64")
    secret = _primary(values, threshold) | _withheld(frame, values)
    secret = _secondary_all(frame, values, secret, group_by, threshold)
    return _apply(frame, values, secret)


def publish(parts: pd.DataFrame, group_by: Groupings, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Rules 3 then 2 on sums of cells: per measure its sum (`<m>`), how many masked cells hold a
    value (`<m>__n_masked`) and their true sum (`<m>__masked_sum`), as `cube.sums_sql` gives them."""
    values = parts[NAMES].to_numpy(dtype="float64")
    n_masked = parts[[f"{m}__n_masked" for m in NAMES]].to_numpy(dtype="float64")
    masked_sum = parts[[f"{m}__masked_sum" for m in NAMES]].to_numpy(dtype="float64")
    out = parts.drop(columns=[f"{m}__{part}" for m in NAMES for part in ("n_masked", "masked_sum")])
    secret = (_primary(values, threshold) | _withheld(out, values) | (n_masked == 1)
              | ((n_masked >= 2) & (masked_sum < threshold) & PEOPLE))
    secret = _secondary_all(out, values, secret, group_by, threshold)
    return _apply(out, values, secret)


def _primary(values: np.ndarray, threshold: int) -> np.ndarray:
    return PEOPLE & (values > 0) & (values < threshold)


def _source_secret(frame: pd.DataFrame) -> np.ndarray:
    secret = np.zeros((len(frame), len(NAMES)), dtype=bool)
    for j, measure in enumerate(NAMES):
        flag = source_secret_column(measure)
        if flag in frame.columns:
            secret[:, j] = frame[flag].fillna(False).to_numpy(dtype=bool)
    return secret


def _withheld(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """Withheld by the source: masked when nothing of it is known, or when it is a count of
    people; otherwise its known part is published as a lower bound (see `lower_bound`)."""
    withheld = _source_secret(frame)
    return withheld & (PEOPLE | np.isnan(values))


def lower_bound(frame: pd.DataFrame, measure: str) -> np.ndarray:
    """Whether each published value of `measure` is only a lower bound (the source withheld a part)."""
    flag = source_secret_column(measure)
    if flag not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[flag].fillna(False).to_numpy(dtype=bool) & ~frame[secret_column(measure)].fillna(False).to_numpy(dtype=bool)


def row_lower_bound(row: pd.Series, measure: str) -> bool:
    """`lower_bound` for one published row."""
    flag = source_secret_column(measure)
    return bool(row.get(flag, False)) and not bool(row.get(secret_column(measure), False))


def _secondary_all(frame: pd.DataFrame, values: np.ndarray, secret: np.ndarray, group_by: Groupings,
                   threshold: int) -> np.ndarray:
    groupings = [] if not group_by else ([group_by] if isinstance(group_by[0], str) else group_by)
    if not groupings or not len(frame):
        return secret
    codes = [frame.groupby(g, sort=False, dropna=False).ngroup().to_numpy() for g in groupings]
    while True:  # masking for one grouping can leave a lone secret in another
        before = secret.copy()
        for groups in codes:
            secret = _secondary(values, secret, groups, threshold)
        if (secret == before).all():
            return secret


def _secondary(values: np.ndarray, secret: np.ndarray, groups: np.ndarray, threshold: int) -> np.ndarray:
    """Mask one more cell in every group whose masked cells could be recovered from its total:
    a lone masked cell, or (for counts of people) masked cells adding up to a small count."""
    secret = secret.copy()
    n_groups = int(groups.max()) + 1
    known = np.nan_to_num(values)
    hides = secret & ~np.isnan(values)  # a value withheld by the source is unknown: nothing to protect
    for j in range(values.shape[1]):
        count = np.bincount(groups, weights=hides[:, j], minlength=n_groups)
        hidden = np.bincount(groups, weights=np.where(secret[:, j], known[:, j], 0.0), minlength=n_groups)
        exposed = (count == 1) | (PEOPLE[j] & (count >= 2) & (hidden < threshold))
        rows = np.flatnonzero(exposed[groups] & ~secret[:, j] & (values[:, j] > 0))
        if not len(rows):
            continue
        # The smallest candidate of each group: sort by (group, value), keep each group's first.
        ordered = rows[np.lexsort((values[rows, j], groups[rows]))]
        first = np.r_[True, groups[ordered][1:] != groups[ordered][:-1]]
        secret[ordered[first], j] = True
    return secret


def _apply(frame: pd.DataFrame, values: np.ndarray, secret: np.ndarray) -> pd.DataFrame:
    columns = {m: np.where(secret[:, j], np.nan, values[:, j]) for j, m in enumerate(NAMES)}
    columns.update({secret_column(m): secret[:, j] for j, m in enumerate(NAMES)})
    return _with_columns(frame, columns)


def _with_columns(frame: pd.DataFrame, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """`frame.assign(**columns)` in one block (assign inserts column by column: slow per rerun)."""
    kept = frame.drop(columns=[c for c in columns if c in frame.columns])
    return pd.concat([kept, pd.DataFrame(columns, index=frame.index)], axis=1)


def with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Rule 4: add every ratio indicator and its `__secret` flag, computed from masked measures."""
    columns = {}
    for indicator in INDICATORS.values():
        if indicator.key in MEASURES:  # a count indicator is its measure, already masked
            continue
        secret = np.logical_or.reduce([frame[secret_column(m)].to_numpy(dtype=bool)
                                       | (lower_bound(frame, m) & (not indicator.published_parts))
                                       for m in indicator.inputs])
        columns[indicator.key] = np.where(secret, np.nan, indicator.compute(frame))
        columns[secret_column(indicator.key)] = secret
    return _with_columns(frame, columns)
