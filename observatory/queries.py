"""Filters → DataFrames. Statistical secrecy is applied here, once, before anything is shown.

Every function takes a DuckDB connection (read-only in the app) and opens its own cursor, so the
app can share one connection across sessions' threads. SQL lives in `observatory/sql/queries/`;
values are always bound, never formatted into the SQL text.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from observatory import paths, secrecy
from observatory.indicators import DEFAULT_INDICATOR, INDICATORS, MEASURES

TENSION_INDICATOR = "unfilled_rate"
MIN_OFFERS_FOR_RANKING = 20  # fewer offers than this make a rate too noisy to rank


@dataclass(frozen=True)
class Filters:
    """What the user selected. Hashable, so Streamlit can cache on it."""

    year_from: int
    year_to: int
    professions: tuple[str, ...] = field(default=())  # empty: every profession
    indicator: str = DEFAULT_INDICATOR
    area: str | None = None
    threshold: int = secrecy.DEFAULT_THRESHOLD


@functools.cache
def _sql(name: str) -> str:
    return (paths.SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run one named query on its own cursor."""
    cursor = con.cursor()
    try:
        return cursor.execute(_sql(name), params or {}).df()
    finally:
        cursor.close()


def professions(con) -> pd.DataFrame:
    return run(con, "professions")


def areas(con) -> pd.DataFrame:
    return run(con, "areas")


def years(con) -> list[int]:
    return run(con, "years")["year"].astype(int).tolist()


def departement(con) -> pd.Series:
    return run(con, "departement").iloc[0]


def area_geometries(con) -> pd.DataFrame:
    return run(con, "area_geometries")


def build_info(con) -> pd.Series:
    return run(con, "build_info").iloc[0]


def sources(con) -> pd.DataFrame:
    return run(con, "sources")


def communes_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "communes_of_area", {"area": area})


def councillors_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "councillors_of_area", {"area": area})


def providers(con, filters: Filters) -> pd.DataFrame:
    return run(con, "providers", {"professions": list(filters.professions)})


def _measures(con, filters: Filters, year_from: int, year_to: int, by_profession: bool = False) -> pd.DataFrame:
    frame = run(con, "measures", {
        "year_from": year_from, "year_to": year_to, "by_profession": by_profession,
        "professions": list(filters.professions),
    })
    return frame.astype({m: "float64" for m in MEASURES})


def _sum_by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum every measure by `keys`; a sum over nothing but missing values stays missing."""
    grouped = frame.groupby(keys, sort=True)
    sums = grouped[list(MEASURES)].sum(min_count=1)
    sums["is_demo"] = grouped["is_demo"].any()
    return sums.reset_index()


def _departement(raw: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The département per year: the sum of every area, then primary secrecy on the totals."""
    return secrecy.with_indicators(secrecy.mask(_sum_by(raw, ["year"]), group_by=None, threshold=threshold))


def area_table(con, filters: Filters, year: int) -> pd.DataFrame:
    """One row per area (canton or shared town) for one year, with the département's value beside.

    Columns: code, name, kind, population, every measure and indicator with its `__secret` flag,
    `departement_value`, `departement_secret` and `rank` (1 = most worrying) for the selected
    indicator, `is_demo`.
    """
    return area_table_and_departement(con, filters, year)[0]


def area_table_and_departement(con, filters: Filters, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """`area_table` and the département's row (every measure and indicator), from one query."""
    indicator = INDICATORS[filters.indicator]
    raw = _measures(con, filters, year, year)
    table = areas(con).merge(raw.drop(columns=["year", "profession_code", "profession", "area_name", "area_kind"]),
                             left_on="code", right_on="canton_code", how="left").drop(columns="canton_code")
    table["is_demo"] = table["is_demo"].astype("boolean").fillna(False).astype(bool)
    # All areas of one year are published together with their total: one secrecy group.
    table = secrecy.with_indicators(secrecy.mask(table.assign(_all=0), ["_all"], filters.threshold)).drop(columns="_all")
    dep = _departement(raw, filters.threshold)
    dep_row = dep.iloc[0] if len(dep) else pd.Series(dtype=object)
    table["departement_value"] = dep_row.get(indicator.key, np.nan)
    table["departement_secret"] = bool(dep_row.get(secrecy.secret_column(indicator.key), False))
    table["rank"] = table[indicator.key].rank(ascending=not indicator.higher_is_worse, method="min")
    return table, dep_row


def departement_series(con, filters: Filters, year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """The département's measures and indicators per year (sum of every area)."""
    raw = _measures(con, filters, year_from or filters.year_from, year_to or filters.year_to)
    return _departement(raw, filters.threshold)


def trends(con, filters: Filters) -> dict[str, pd.DataFrame]:
    """The Tendances page's three series from one query: the département per year, every area per
    year, and every profession per year (in the selected area, or the département)."""
    raw = _measures(con, filters, filters.year_from, filters.year_to, by_profession=True)
    by_area = _sum_by(raw, ["year", "canton_code", "area_name", "area_kind"]).rename(
        columns={"area_name": "name", "area_kind": "kind"})
    in_scope = raw[raw["canton_code"] == filters.area] if filters.area else raw
    by_profession = _sum_by(in_scope, ["year", "profession_code", "profession"])
    mask = lambda frame, group: secrecy.with_indicators(secrecy.mask(frame, group, filters.threshold))  # noqa: E731
    return {
        "departement": mask(_sum_by(raw, ["year"]), None),
        "areas": mask(by_area, ["year"]),
        "professions": mask(by_profession, ["year"]),
    }


def key_figures(con, filters: Filters, year: int) -> pd.DataFrame:
    """Every indicator for the département in `year` and `year - 1`, with the change between."""
    series = departement_series(con, filters, year - 1, year).set_index("year")
    rows = []
    for indicator in INDICATORS.values():
        current = series[indicator.key].get(year, np.nan)
        previous = series[indicator.key].get(year - 1, np.nan)
        secret = bool(series[secrecy.secret_column(indicator.key)].get(year, False))
        if indicator.change_unit == "points":
            delta = current - previous
        else:
            delta = 100 * (current / previous - 1) if previous else np.nan
        rows.append({"indicator": indicator.key, "label": indicator.label, "unit": indicator.unit,
                     "value": current, "previous": previous, "change": delta, "secret": secret,
                     "is_demo": bool(series["is_demo"].get(year, False))})
    return pd.DataFrame(rows)


def top_tension_pairs(con, filters: Filters, year: int, n: int = 5) -> pd.DataFrame:
    """The `n` area × profession pairs with the highest unfilled rate (enough offers to be stable)."""
    raw = _measures(con, filters, year, year, by_profession=True)
    masked = secrecy.with_indicators(secrecy.mask(raw, group_by=["profession_code"], threshold=filters.threshold))
    masked = masked[masked["offers_published"] >= MIN_OFFERS_FOR_RANKING]
    top = masked.sort_values([TENSION_INDICATOR, "offers_published"], ascending=[False, False]).head(n)
    return top.rename(columns={"area_name": "name"})[
        ["name", "canton_code", "profession", "profession_code", TENSION_INDICATOR,
         "offers_published", "offers_unfilled", "is_demo"]].reset_index(drop=True)
