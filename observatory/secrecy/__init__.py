"""Statistical secrecy: the rules, the flags and their column names, in one place.
May import `vocabulary`, `paths` and `files` only; every reader of figures goes through it.

The cube is masked once at build (`cube.masked_cells`, rules 1 and 2); pages sum the published
values of its cells in SQL (`cube.sums_sql`) and publish the small result (`cube.published`,
rules 3 and 4). No other module spells a flag column: they ask `secret_column`, `is_secret` or
`secret_flags`.

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
3. A published sum of cells never lets a masked value be isolated by comparing two selections
   (one profession more, one area less). An area's sum, or any sum within one area, adds only
   the published values of its cells. A territory's sum (département, région, France) counts a
   masked cell at its true value only when its slice — one year, département and profession — is
   not exposed (`exposed`: its masked cells are at least two and reach the threshold together);
   the masked cells of an exposed slice count for nothing. A sum that left out a masked value is
   a minimum (« au moins … », flagged `<measure>__partial`); one with nothing published but
   zeros is masked. A difference of two published sums thus reveals nothing masked, or the
   masked total of whole unexposed slices: never one cell, never a small count.
4. An indicator computed from a masked count, or from a minimum, is masked (a ratio of the
   source's own published parts excepted, see `Indicator.published_parts`).

Because every view starts from the same masked cube, a cell masked in one export is masked in all.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.vocabulary.indicators import INDICATORS, MEASURES

DEFAULT_THRESHOLD = 5
THRESHOLDS = (3, 5, 11)
NAMES = list(MEASURES)
PEOPLE = np.array([MEASURES[m].people_count for m in NAMES])
CUBE_GROUPINGS = [["year", "profession_code"], ["year", "canton_code"]]


SECRET_SUFFIX = "__secret"
PARTIAL_SUFFIX = "__partial"


def secret_column(name: str) -> str:
    """The column that flags a masked value of `name` (a measure or an indicator)."""
    return f"{name}{SECRET_SUFFIX}"


def _row_flag(row: pd.Series, column: str) -> bool:
    """A flag of one row; absent or missing: not set."""
    value = row.get(column, False)
    return False if pd.isna(value) else bool(value)


def is_secret(row: pd.Series, name: str) -> bool:
    """Whether `name` is masked in one published row (a row without the flag is not)."""
    return _row_flag(row, secret_column(name))


def secret_flags(frame: pd.DataFrame, name: str) -> pd.Series:
    """Whether each value of `name` is masked (missing flags: not masked)."""
    return pd.Series(_column(frame, secret_column(name)), index=frame.index)


def any_secret(frame: pd.DataFrame) -> bool:
    """Whether any value of a published frame is masked, or a minimum that left masked values out."""
    flags = [c for c in frame.columns if c.endswith((SECRET_SUFFIX, PARTIAL_SUFFIX))]
    for name in flags:
        column = frame[name]
        if column.dtype == bool:  # read in place: this runs at every rerun of several pages
            if column.to_numpy().any():
                return True
        elif _column(frame, name).any():
            return True
    return False


def complete_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Flags of rows with nothing published (an area without figures) set to not masked."""
    return _with_columns(frame, {c: _column(frame, c) for c in frame.columns if c.endswith(SECRET_SUFFIX)})


def not_secret(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Flag `name` as never masked (census counts of people, not survey counts)."""
    frame[secret_column(name)] = False
    return frame


def secret_if_any(frame: pd.DataFrame, name: str, inputs: list[str]) -> pd.DataFrame:
    """Flag `name`, computed from `inputs`, as masked wherever one of them is masked or only a
    minimum (rule 4)."""
    secret = np.logical_or.reduce([_column(frame, secret_column(m)) | _column(frame, partial_column(m)) for m in inputs])
    frame[name] = frame[name].where(~secret)
    frame[secret_column(name)] = secret
    return frame


def source_secret_column(name: str) -> str:
    return f"{name}__source_secret"


def exposed_column(name: str) -> str:
    """The column that flags a cell whose slice (one year, département and profession) holds
    masked values that could be isolated: a territory's total that contains it is a minimum."""
    return f"{name}__exposed"


def partial_column(name: str) -> str:
    """The column that flags a sum that left out masked values of `name` (rule 3)."""
    return f"{name}{PARTIAL_SUFFIX}"


Groupings = list[str] | list[list[str]] | None


def mask(frame: pd.DataFrame, group_by: Groupings, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Rules 1 and 2 on a frame of summed measures: masked values become missing, and each
    measure gets a `<measure>__secret` flag. `group_by` is one grouping whose total is published
    (a list of columns) or several (a list of such lists)."""
    values = frame[NAMES].to_numpy(dtype="float64")
    secret = _primary(values, threshold) | _withheld(frame, values)
    secret = _secondary_all(frame, values, secret, group_by, threshold)
    return _apply(frame, values, secret)


SLICE = ["year", "departement_code", "profession_code"]


def exposed(frame: pd.DataFrame, threshold: int) -> np.ndarray:
    """Rule 3's test on the slices a territory's total is made of (one year, département and
    profession), for each cell of masked `frame` (true values, `__secret` flags): whether its
    slice's masked cells could be isolated by comparing two totals — exactly one masked cell that
    hides a value, or masked counts of people adding up to less than the threshold."""
    values = frame[NAMES].to_numpy(dtype="float64")
    hides = _flags(frame, secret_column) & ~np.isnan(values)
    groups = frame.groupby(SLICE, sort=False).ngroup().to_numpy()
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    out = np.zeros(values.shape, dtype=bool)
    for j in range(len(NAMES)):
        count = np.bincount(groups, weights=hides[:, j], minlength=n_groups)
        hidden = np.bincount(groups, weights=np.where(hides[:, j], values[:, j], 0.0), minlength=n_groups)
        isolated = (count == 1) | (PEOPLE[j] & (count >= 2) & (hidden < threshold))
        out[:, j] = isolated[groups]
    return out


def publish(parts: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Rule 3 on sums of the published values of cells (`cube.sums_sql`): a sum that left out
    masked values keeps its `__partial` flag (a minimum); one with no published value (or only
    zeros) is masked, as is a value withheld at source that is a count of people or wholly unknown."""
    values = parts[NAMES].to_numpy(dtype="float64")
    partial = _flags(parts, partial_column)
    # « au moins 0 » would say nothing: a sum whose published part is empty or zero is masked
    secret = (partial & (np.isnan(values) | (values == 0))) | _primary(values, threshold) | _withheld(parts, values)
    return _apply(parts, values, secret)


def _primary(values: np.ndarray, threshold: int) -> np.ndarray:
    return PEOPLE & (values > 0) & (values < threshold)


def _flags(frame: pd.DataFrame, column) -> np.ndarray:
    """Every measure's flag `column(measure)` as a matrix (False where the frame has none)."""
    flags = np.zeros((len(frame), len(NAMES)), dtype=bool)
    for j, measure in enumerate(NAMES):
        if column(measure) in frame.columns:
            flags[:, j] = _column(frame, column(measure))
    return flags


def _withheld(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """Withheld by the source: masked when nothing of it is known, or when it is a count of
    people; otherwise its known part is published as a lower bound (see `lower_bound`)."""
    withheld = _flags(frame, source_secret_column)
    return withheld & (PEOPLE | np.isnan(values))


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    column = frame[name]
    if column.dtype == bool:  # no missing flag to fill: 15 times faster than with `na_value`
        return column.to_numpy(copy=True)
    return column.to_numpy(dtype=bool, na_value=False)  # a missing flag is False (3 times faster than fillna)


def lower_bound(frame: pd.DataFrame, measure: str) -> np.ndarray:
    """Whether each published value of `measure` is only a minimum: the source withheld a part,
    or the sum left out masked values (rule 3)."""
    part = _column(frame, source_secret_column(measure)) | _column(frame, partial_column(measure))
    return part & ~_column(frame, secret_column(measure))


def row_lower_bound(row: pd.Series, measure: str) -> bool:
    """`lower_bound` for one published row."""
    return ((_row_flag(row, source_secret_column(measure)) or _row_flag(row, partial_column(measure)))
            and not is_secret(row, measure))


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
    columns, flags = {}, {}

    def flag(name: str) -> np.ndarray:  # a measure serves several ratios: its flags are read once
        if name not in flags:
            flags[name] = _column(frame, name)
        return flags[name]

    for indicator in INDICATORS.values():
        if indicator.key in MEASURES:  # a count indicator is its measure, already masked
            continue
        # a minimum of the source's own parts may make a ratio of those parts; ours never does
        secret = np.logical_or.reduce([flag(secret_column(m)) | flag(partial_column(m))
                                       | (flag(source_secret_column(m)) & (not indicator.published_parts))
                                       for m in indicator.inputs])
        columns[indicator.key] = np.where(secret, np.nan, indicator.compute(frame))
        columns[secret_column(indicator.key)] = secret
    return _with_columns(frame, columns)
