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

from observatory import access, paths, secrecy, store
from observatory.indicators import ACCESS_INDICATOR, DEFAULT_INDICATOR, INDICATORS, MEASURES

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
    distance_km: int = 30  # « far from training » beyond this straight-line distance


@functools.cache
def _sql(name: str) -> str:
    return (paths.SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run one named query on its own cursor."""
    cursor = store.cursor(con)
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


def non_localised_offers(con, filters: Filters, year: int) -> int:
    """Offers of the year that name only the département: counted apart, never dropped."""
    return int(run(con, "non_localised_offers", {"year": year, "professions": list(filters.professions)})["offers"].iloc[0])


def departement_context(con) -> pd.DataFrame:
    return run(con, "departement_context")


def import_history(con) -> pd.DataFrame:
    return run(con, "import_history")


def imported_kinds(con) -> list[str]:
    return run(con, "imported_kinds")["kind"].tolist()


def sources(con) -> pd.DataFrame:
    return run(con, "sources")


def communes_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "communes_of_area", {"area": area})


def councillors_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "councillors_of_area", {"area": area})


def providers(con, filters: Filters) -> pd.DataFrame:
    return run(con, "providers", {"professions": list(filters.professions)})


def _cube(con, filters: Filters, year_from: int, year_to: int) -> pd.DataFrame:
    """The masked cube (every profession and area) for a range of years: the one source of every
    published figure, so a cell is masked the same way whatever the view or the selection.
    It depends only on the years and the threshold, so it is computed once for each (a new
    database comes with a new connection, hence a new cache entry). Callers must not modify it."""
    return _masked_cube(con, year_from, year_to, filters.threshold)


@functools.lru_cache(maxsize=16)
def _masked_cube(con, year_from: int, year_to: int, threshold: int) -> pd.DataFrame:
    raw = run(con, "cube", {"year_from": year_from, "year_to": year_to})
    raw = raw.astype({m: "float64" for m in MEASURES})
    return secrecy.mask(secrecy.keep_raw(raw), secrecy.CUBE_GROUPINGS, threshold)


def _selected(cube: pd.DataFrame, filters: Filters, area: bool = False) -> pd.DataFrame:
    rows = cube
    if filters.professions:
        rows = rows[rows["profession_code"].isin(filters.professions)]
    if area and filters.area:
        rows = rows[rows["canton_code"] == filters.area]
    return rows


def _published(cube: pd.DataFrame, keys: list[str], group_by, filters: Filters) -> pd.DataFrame:
    """Sums of cube cells by `keys`, masked (rule 3) and with every indicator."""
    return secrecy.with_indicators(secrecy.aggregate(cube, keys, group_by, filters.threshold))


AREA_KEYS = ["year", "canton_code", "area_name", "area_kind"]
PROFESSION_KEYS = ["year", "profession_code", "profession"]


def area_table(con, filters: Filters, year: int) -> pd.DataFrame:
    """One row per area (canton or shared town) for one year, with the département's value beside.

    Columns: code, name, kind, population, every measure and indicator with its `__secret` flag,
    `departement_value`, `departement_secret` and `rank` (1 = most worrying) for the selected
    indicator, `is_demo`.
    """
    return area_table_and_departement(con, filters, year)[0]


def area_table_and_departement(con, filters: Filters, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """`area_table` and the département's row (every measure and indicator), from one cube."""
    indicator = INDICATORS[filters.indicator]
    cube = _selected(_cube(con, filters, year, year), filters)
    # All areas of one year are published together with their total: one secrecy group.
    by_area = _published(cube, AREA_KEYS, ["year"], filters)
    table = areas(con).merge(by_area.drop(columns=["year", "area_name", "area_kind"]),
                             left_on="code", right_on="canton_code", how="left").drop(columns="canton_code")
    table["is_demo"] = table["is_demo"].astype("boolean").fillna(False).astype(bool)
    flags = [c for c in table.columns if c.endswith("__secret")]
    table[flags] = table[flags].astype("boolean").fillna(False).astype(bool)
    dep = _published(cube, ["year"], None, filters)
    dep_row = dep.iloc[0] if len(dep) else pd.Series(dtype=object)
    table["departement_value"] = dep_row.get(indicator.key, np.nan)
    table["departement_secret"] = bool(dep_row.get(secrecy.secret_column(indicator.key), False))
    table["rank"] = table[indicator.key].rank(ascending=not indicator.higher_is_worse, method="min")
    return table, dep_row


def departement_series(con, filters: Filters, year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """The département's measures and indicators per year (sum of every area)."""
    cube = _selected(_cube(con, filters, year_from or filters.year_from, year_to or filters.year_to), filters)
    return _published(cube, ["year"], None, filters)


def trends(con, filters: Filters) -> dict[str, pd.DataFrame]:
    """The Tendances page's three series from one cube: the département per year, every area per
    year, and every profession per year (in the selected area, or the département)."""
    cube = _selected(_cube(con, filters, filters.year_from, filters.year_to), filters)
    by_area = _published(cube, AREA_KEYS, ["year"], filters)
    in_scope = cube[cube["canton_code"] == filters.area] if filters.area else cube
    return {
        "departement": _published(cube, ["year"], None, filters),
        "areas": by_area.rename(columns={"area_name": "name", "area_kind": "kind"}),
        "professions": _published(in_scope, PROFESSION_KEYS, ["year"], filters),
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
    cells = secrecy.with_indicators(_selected(_cube(con, filters, year, year), filters))
    cells = cells[cells["offers_published"] >= MIN_OFFERS_FOR_RANKING]
    top = cells.sort_values([TENSION_INDICATOR, "offers_published"], ascending=[False, False]).head(n)
    return top.rename(columns={"area_name": "name"})[
        ["name", "canton_code", "profession", "profession_code", TENSION_INDICATOR,
         "offers_published", "offers_unfilled", "is_demo"]].reset_index(drop=True)


def export_rows(con, filters: Filters) -> pd.DataFrame:
    """The detailed rows of the filters (year × area × profession), masked as in every view."""
    cells = _selected(_cube(con, filters, filters.year_from, filters.year_to), filters, area=True)
    return secrecy.with_indicators(cells).reset_index(drop=True)


def access_communes(con, profession: str) -> pd.DataFrame:
    """Every commune with its distance to the nearest place training for `profession`."""
    frame = run(con, "access_communes", {"profession": profession})
    frame["minutes"] = frame["distance_km"].map(access.minutes)
    return frame


def access_table(con, filters: Filters, profession: str) -> pd.DataFrame:
    """Per area: population, population farther than `filters.distance_km` from the nearest place
    training for `profession`, its share (`far_share`), the largest distance; with `rank`."""
    communes = access_communes(con, profession)
    far = communes["distance_km"].isna() | (communes["distance_km"] > filters.distance_km)
    grouped = communes.assign(population_far=communes["population"].where(far, 0)).groupby("canton_code")
    table = areas(con).merge(grouped.agg(population_far=("population_far", "sum"),
                                         max_km=("distance_km", "max")).reset_index(),
                             left_on="code", right_on="canton_code", how="left").drop(columns="canton_code")
    indicator = ACCESS_INDICATOR
    table[indicator.key] = indicator.compute(table)
    table[secrecy.secret_column(indicator.key)] = False  # people counts of the census, not of a survey
    total = table[["population_far", "population"]].sum()
    table["departement_value"] = 100 * total["population_far"] / total["population"]
    table["departement_secret"] = False
    table["rank"] = table[indicator.key].rank(ascending=False, method="min")
    table["is_demo"] = False
    return table


def placement_needs(con, filters: Filters, year: int) -> pd.DataFrame:
    """Per area: internship placements sought and offered, the shortfall and the coverage, masked
    like every count of people; sorted by shortfall (most in need first)."""
    cube = _selected(_cube(con, filters, year, year), filters)
    by_area = _published(cube, AREA_KEYS, ["year"], filters)
    sought, offered = by_area["placements_sought"], by_area["placements_offered"]
    by_area["shortfall"] = sought - offered
    by_area[secrecy.secret_column("shortfall")] = by_area[secrecy.secret_column("placements_sought")] | \
        by_area[secrecy.secret_column("placements_offered")]
    return by_area.sort_values("shortfall", ascending=False, na_position="last").reset_index(drop=True)


def canton_context(con, area: str) -> pd.DataFrame:
    return run(con, "canton_context", {"area": area})
