"""Rule 3 written again, in plain pandas and Python, as the tests' reference for what the product
computes in SQL (`secrecy.cube.sums_sql`) and publishes (`secrecy.publish`). Not used by the
product, and it calls none of its rules: only the column names are shared."""
from __future__ import annotations

import math

import pandas as pd

from observatory import secrecy
from observatory.vocabulary.indicators import MEASURES

NAMES = list(MEASURES)


def keep_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy each measure to `<measure>__raw` before masking, for `aggregate`."""
    return frame.assign(**{f"{m}__raw": frame[m] for m in NAMES})


def sum_parts(cube: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of cells (true values in `<m>__raw`, flags in `<m>__secret`): the sum of the
    values that are published, whether a masked value was left out, and whether any cell was
    withheld at source, or is demo."""
    groups = [cube[k] for k in keys]
    columns = {}
    for m in NAMES:
        raw, secret = cube[f"{m}__raw"], cube[secrecy.secret_column(m)].astype(bool)
        columns[m] = raw.where(~secret).groupby(groups, sort=True).sum(min_count=1)
        columns[secrecy.partial_column(m)] = (secret & raw.notna()).groupby(groups, sort=True).any()
    for flag in [c for c in cube.columns if c.endswith("__source_secret")] + ["is_demo"]:
        columns[flag] = cube[flag].astype(bool).groupby(groups, sort=True).any()
    return pd.DataFrame(columns).reset_index()


def publish(parts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rule 3 on the parts of `sum_parts`, as the Méthodologie page states it, sum by sum: a count of
    people under the threshold (and above zero) is masked; a sum that left out masked cells is a
    minimum, masked when what is left is nothing or zero; a value the source withheld is masked
    when it counts people or when nothing of it is known."""
    out = parts.copy()
    for m in NAMES:
        shown, flags = [], []
        for _, row in parts.iterrows():
            value = row[m]
            unknown = value is None or (isinstance(value, float) and math.isnan(value))
            left_out = bool(row.get(secrecy.partial_column(m), False))
            withheld = bool(row.get(secrecy.source_secret_column(m), False))
            people = MEASURES[m].people_count
            masked = ((left_out and (unknown or value == 0))
                      or (people and not unknown and 0 < value < threshold)
                      or (withheld and (people or unknown)))
            flags.append(masked)
            shown.append(float("nan") if masked or unknown else float(value))
        out[m] = shown
        out[secrecy.secret_column(m)] = flags
    return out


def aggregate(cube: pd.DataFrame, keys: list[str], threshold: int) -> pd.DataFrame:
    """Rule 3: the published sums of a masked cube (with its `__raw` values) by `keys`."""
    return publish(sum_parts(cube, keys), threshold)
