"""Filters → DataFrames. Statistical secrecy is applied here, once, before anything is shown.

Every function takes a DuckDB connection (read-only in the app) and opens its own cursor, so the
app can share one connection across sessions' threads. SQL lives in `observatory/sql/queries/`;
values are always bound, never formatted into the SQL text.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import duckdb
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


def sources(con) -> pd.DataFrame:
    return run(con, "sources")


def communes_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "communes_of_area", {"area": area})


def councillors_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "councillors_of_area", {"area": area})


def providers(con, filters: Filters) -> pd.DataFrame:
    return run(con, "providers", {"professions": _profession_codes(con, filters)})


def _profession_codes(con, filters: Filters) -> list[str]:
    return list(filters.professions) or professions(con)["code"].tolist()


def _measures(con, filters: Filters, year_from: int, year_to: int, by_profession: bool = False) -> pd.DataFrame:
    frame = run(con, "measures", {
        "year_from": year_from, "year_to": year_to, "by_profession": by_profession,
        "professions": _profession_codes(con, filters),
    })
    for measure in MEASURES:
        frame[measure] = frame[measure].astype("float64")
    return frame


def area_table(con, filters: Filters, year: int) -> pd.DataFrame:
    """One row per area (canton or shared town) for one year, with the département's value beside.

    Columns: code, name, kind, population, every measure and indicator with its `__secret` flag,
    `departement_value` and `rank` (1 = most worrying) for the selected indicator, `is_demo`.
    """
    indicator = INDICATORS[filters.indicator]
    raw = _measures(con, filters, year, year)
    table = areas(con).merge(raw.drop(columns=["year", "profession_code"]), left_on="code",
                             right_on="canton_code", how="left").drop(columns="canton_code")
    table["is_demo"] = table["is_demo"].fillna(False).astype(bool)
    table = secrecy.with_indicators(_mask_areas(table, filters.threshold))
    dep = departement_series(con, filters, year, year)
    table["departement_value"] = dep[indicator.key].iloc[0] if len(dep) else float("nan")
    table["departement_secret"] = bool(dep[secrecy.secret_column(indicator.key)].iloc[0]) if len(dep) else False
    table["rank"] = table[indicator.key].rank(ascending=not indicator.higher_is_worse, method="min")
    return table


def _mask_areas(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    # All areas of one year are published together with their total: one secrecy group.
    grouped = table.assign(_group=0)
    return secrecy.mask(grouped, group_by=["_group"], threshold=threshold).drop(columns="_group")


def departement_series(con, filters: Filters, year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """The département's measures and indicators per year (sum of every area)."""
    raw = _measures(con, filters, year_from or filters.year_from, year_to or filters.year_to)
    totals = raw.groupby("year", as_index=False).agg(
        {**{m: lambda s: s.sum(min_count=1) for m in MEASURES}, "is_demo": "any"}
    )
    return secrecy.with_indicators(secrecy.mask(totals, group_by=None, threshold=filters.threshold))


def area_series(con, filters: Filters) -> pd.DataFrame:
    """Per year × area measures and indicators over the filter's year range (for trends)."""
    raw = _measures(con, filters, filters.year_from, filters.year_to).drop(columns="profession_code")
    masked = secrecy.mask(raw, group_by=["year"], threshold=filters.threshold)
    named = masked.merge(areas(con)[["code", "name", "kind"]], left_on="canton_code", right_on="code")
    return secrecy.with_indicators(named.drop(columns="code"))


def profession_series(con, filters: Filters) -> pd.DataFrame:
    """Per year × profession measures and indicators for the département (or one area)."""
    raw = _measures(con, filters, filters.year_from, filters.year_to, by_profession=True)
    if filters.area:
        raw = raw[raw["canton_code"] == filters.area]
    totals = raw.groupby(["year", "profession_code"], as_index=False).agg(
        {**{m: lambda s: s.sum(min_count=1) for m in MEASURES}, "is_demo": "any"}
    )
    masked = secrecy.with_indicators(secrecy.mask(totals, group_by=["year"], threshold=filters.threshold))
    labels = professions(con).set_index("code")["label"]
    masked["profession"] = masked["profession_code"].map(labels)
    return masked


def key_figures(con, filters: Filters, year: int) -> pd.DataFrame:
    """Every indicator for the département in `year` and `year - 1`, with the change between."""
    series = departement_series(con, filters, year - 1, year).set_index("year")
    rows = []
    for indicator in INDICATORS.values():
        current = series[indicator.key].get(year, float("nan"))
        previous = series[indicator.key].get(year - 1, float("nan"))
        secret = bool(series[secrecy.secret_column(indicator.key)].get(year, False))
        if indicator.change_unit == "points":
            delta = current - previous
        else:
            delta = 100 * (current / previous - 1) if previous else float("nan")
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
    top = top.merge(areas(con)[["code", "name"]], left_on="canton_code", right_on="code")
    top["profession"] = top["profession_code"].map(professions(con).set_index("code")["label"])
    return top[["name", "canton_code", "profession", "profession_code", TENSION_INDICATOR,
                "offers_published", "offers_unfilled", "is_demo"]].reset_index(drop=True)
