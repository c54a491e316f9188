"""Rule 3 written in pandas, as the tests' reference for what the product computes in SQL
(`secrecy.cube.sums_sql`) and publishes (`secrecy.publish`). Not used by the product."""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory import secrecy

NAMES = secrecy.NAMES


def keep_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy each measure to `<measure>__raw` before masking, for `aggregate`."""
    return frame.assign(**{f"{m}__raw": frame[m] for m in NAMES})


def sum_parts(cube: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """What rule 3 needs of each group of cells (true values in `<m>__raw`), per measure: the sum
    of the true values, how many cells hide a value and their true sum; and whether any cell was
    withheld at source, or is demo."""
    raw = cube[[f"{m}__raw" for m in NAMES]].to_numpy(dtype="float64")
    flags = cube[[secrecy.secret_column(m) for m in NAMES]].to_numpy(dtype=bool) & ~np.isnan(raw)
    parts = pd.DataFrame(np.hstack([raw, flags, np.where(flags, np.nan_to_num(raw), 0.0)]), index=cube.index)
    grouped = parts.groupby([cube[k] for k in keys], sort=True)
    totals = grouped.sum(min_count=1)
    n = len(NAMES)
    out = totals.index.to_frame(index=False)
    out[NAMES] = totals.iloc[:, :n].to_numpy(dtype="float64")
    out[[f"{m}__n_masked" for m in NAMES]] = totals.iloc[:, n:2 * n].fillna(0).to_numpy()
    out[[f"{m}__masked_sum" for m in NAMES]] = totals.iloc[:, 2 * n:].fillna(0).to_numpy()
    extra = [c for c in cube.columns if c.endswith("__source_secret")] + ["is_demo"]
    any_flags = cube[extra].groupby([cube[k] for k in keys], sort=True).any().reset_index(drop=True)
    out[extra] = any_flags.to_numpy()
    return out


def aggregate(cube: pd.DataFrame, keys: list[str], group_by, threshold: int) -> pd.DataFrame:
    """Rule 3 then 2: sum a masked cube (with its `__raw` values) by `keys`, mask what would give
    a masked cell away."""
    return secrecy.publish(sum_parts(cube, keys), group_by, threshold)
