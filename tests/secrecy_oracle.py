"""Rule 3 written in pandas, as the tests' reference for what the product computes in SQL
(`secrecy.cube.sums_sql`) and publishes (`secrecy.publish`). Not used by the product."""
from __future__ import annotations

import pandas as pd

from observatory import secrecy

NAMES = secrecy.NAMES


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


def aggregate(cube: pd.DataFrame, keys: list[str], threshold: int) -> pd.DataFrame:
    """Rule 3: the published sums of a masked cube (with its `__raw` values) by `keys`."""
    return secrecy.publish(sum_parts(cube, keys), threshold)
