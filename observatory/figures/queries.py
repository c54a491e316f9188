"""Filters → DataFrames: everything pages, exports and the deck read from the database.

Every function takes a DuckDB connection (read-only in the app) and opens its own cursor, so the
app can share one connection across sessions' threads. SQL lives in `observatory/sql/queries/`;
values are always bound, never formatted into the SQL text. Figures come from the masked cube
(`secrecy.cube`): no result of this module holds the true value of a masked cell.
"""
from __future__ import annotations

import functools

import duckdb
import numpy as np
import pandas as pd

from observatory import database, secrecy
from observatory.figures import access
from observatory.figures.filter_grammar import Filters  # noqa: F401 (the selection every query takes)
from observatory.vocabulary.indicators import ACCESS_INDICATOR, INDICATORS
from observatory.secrecy import cube

TENSION_INDICATOR = "unfilled_rate"
MIN_OFFERS_FOR_RANKING = 20  # fewer offers than this make a rate too noisy to rank


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run one named query on its own cursor."""
    cursor = database.cursor(con)
    try:
        return cursor.execute(database.read_sql(f"queries/{name}"), params or {}).df()
    finally:
        cursor.close()


@functools.lru_cache(maxsize=256)
def _fixed(con, name: str, params: tuple) -> pd.DataFrame:
    return run(con, name, dict(params))


def fixed(con, name: str, **params) -> pd.DataFrame:
    """`run` for what a database version never changes (professions, areas, years, sources…):
    read once per connection (a rebuilt database comes with a new one). A copy: callers may modify it."""
    return _fixed(con, name, tuple(sorted(params.items()))).copy()


def professions(con) -> pd.DataFrame:
    return fixed(con, "professions")


def profession_labels(con) -> dict[str, str]:
    """code → « Aide-soignant »."""
    frame = professions(con)
    return dict(zip(frame["code"], frame["label"]))


def profession_bmo(con) -> pd.DataFrame:
    """profession_code → bmo_code (`BMO-<FAP 2021>`), bmo_label, fap2009_codes."""
    return fixed(con, "profession_bmo")


def bmo_metiers_of(con, professions: tuple[str, ...]) -> list[str]:
    """The métiers BMO that contain the selected professions (all of them for an empty selection)."""
    links = profession_bmo(con)
    if professions:
        links = links[links["profession_code"].isin(professions)]
    return sorted(set(links["bmo_code"]))


def bmo_approximate_comparisons(con, professions: tuple[str, ...]) -> pd.DataFrame:
    """The selection's métiers BMO whose 2023 (FAP 2009) and 2025 (FAP 2021) figures compare only
    approximately: bmo_label, fap2009_relation, fap2009_note."""
    links = profession_bmo(con)
    chosen = links[links["bmo_code"].isin(bmo_metiers_of(con, professions))]
    return chosen[chosen["fap2009_relation"] != "identique"].drop_duplicates("bmo_code")[
        ["bmo_label", "fap2009_relation", "fap2009_note"]].reset_index(drop=True)


def territory_parameters(territory: str = "") -> dict:
    """"R:75" → the région 75; "D:40" → the département 40; "" → everything in the database."""
    kind, _, code = territory.partition(":")
    return {"region": code if kind == "R" else None, "departement": code if kind == "D" else None}


def areas(con, territory: str = "") -> pd.DataFrame:
    return fixed(con, "areas", **territory_parameters(territory))


def years(con) -> list[int]:
    return fixed(con, "years")["year"].astype(int).tolist()


def whole_territory(con) -> pd.Series:
    """The whole territory of the database: its département, or France (code FR) at national scale."""
    deps = fixed(con, "departement")
    if len(deps) == 1:
        return deps.iloc[0]
    return pd.Series({"code": database.NATIONAL, "name": "France", "population": int(deps["population"].sum())})


def territories(con) -> dict[str, str]:
    """Territories one can choose when the database holds several départements: "" (all), every
    région ("R:<code>") and every département ("D:<code>"), with their French labels."""
    deps = fixed(con, "departement")
    if len(deps) < 2:
        return {}
    regions = deps.drop_duplicates("region_code").sort_values("region_name")
    return {"": "France entière (toutes les régions)",
            **{f"R:{r.region_code}": f"Région {r.region_name}" for r in regions.itertuples()},
            **{f"D:{d.code}": f"{d.name} ({d.code})" for d in deps.sort_values("code").itertuples()}}


def map_levels(con, territory: str, area: str | None) -> dict[str, str]:
    """The levels a national map can switch to from `territory` (and the selected area):
    {"Département": "D:…", "Région": "R:…", "France": ""}, as far as they are known."""
    deps = fixed(con, "departement").set_index("code")
    if len(deps) < 2:
        return {}
    kind, _, code = territory.partition(":")
    departement = code if kind == "D" else None
    if departement is None and area:
        found = areas(con).set_index("code")
        departement = found.loc[area, "departement_code"] if area in found.index else None
    region = code if kind == "R" else (deps.loc[departement, "region_code"] if departement in deps.index else None)
    levels = {}
    if departement:
        levels["Département"] = f"D:{departement}"
    if region:
        levels["Région"] = f"R:{region}"
    levels["France"] = ""
    return levels


def _of_area(con, code: str, column: str):
    """One column of one area of the database (None when the area is unknown)."""
    found = _fixed(con, "areas", (("departement", None), ("region", None)))  # shared: read, never modified
    match = found.loc[found["code"] == code, column]
    return str(match.iloc[0]) if len(match) else None


def area_name(con, code: str) -> str:
    """An area's name (its code when unknown)."""
    return _of_area(con, code, "name") or code


def area_departement(con, code: str) -> str | None:
    """The département of an area (None when unknown)."""
    return _of_area(con, code, "departement_code")


def territory_name(con, territory: str) -> str:
    if not territory:
        return str(whole_territory(con)["name"])
    deps = fixed(con, "departement")
    kind, _, code = territory.partition(":")
    column = "region_code" if kind == "R" else "code"
    found = deps[deps[column] == code]
    if found.empty:
        return territory
    return str(found["region_name" if kind == "R" else "name"].iloc[0])


def area_geometries(con, territory: str = "") -> pd.DataFrame:
    return run(con, "area_geometries", {"level": map_level(territory), **territory_parameters(territory)})


def map_level(territory: str) -> str:
    """Which outlines a territory's map draws: France's and a région's are coarser."""
    return {"": "france", "R": "region"}.get(territory.partition(":")[0], "departement")


def build_info(con) -> pd.Series:
    return run(con, "build_info").iloc[0]


def non_localised_offers(con, filters: Filters, year: int) -> int:
    """Offers of the year that name only the département: counted apart, never dropped."""
    return int(run(con, "non_localised_offers", {"year": year, "professions": list(filters.professions)})["offers"].iloc[0])


def partial_offers(con, filters: Filters, year: int) -> pd.DataFrame:
    """Real offers of search snapshots in `year` (source_id, title, coverage, offers, non_localised),
    for the selection: shown apart, never counted as the year's offers."""
    return run(con, "partial_offers", {"year": year, "professions": list(filters.professions),
                                       **territory_parameters(filters.territory), "area": filters.area})


def departement_context(con, territory: str = "") -> pd.DataFrame:
    """Département-wide figures (apprenticeship contracts…) of the territory when it is one
    département (the database's own, or "D:<code>"); none for a région or France."""
    deps = fixed(con, "departement")
    kind, _, code = territory.partition(":")
    departement = code if kind == "D" else (deps["code"].iloc[0] if len(deps) == 1 and not territory else None)
    return run(con, "departement_context", {"departement": departement})


def figure_sources(con, year_from: int, year_to: int) -> pd.DataFrame:
    """measure, is_demo, label (source), first_year, last_year: where the figures of the span come from."""
    return fixed(con, "figure_sources", year_from=year_from, year_to=year_to)


def import_history(con) -> pd.DataFrame:
    return run(con, "import_history")


def sources(con) -> pd.DataFrame:
    return fixed(con, "sources")


def providers(con, filters: Filters) -> pd.DataFrame:
    return run(con, "providers", {"professions": list(filters.professions), "demo": filters.demo,
                                  **territory_parameters(filters.territory)})


def _selection(con, filters: Filters, year_from: int, year_to: int, area: bool) -> dict:
    """Bound parameters of `cube.SELECTION` for the filters: the selected professions and the
    métiers BMO that contain them (an empty list: everything)."""
    chosen = list(filters.professions) + (bmo_metiers_of(con, filters.professions) if filters.professions else [])
    return {"threshold": filters.threshold, "year_from": year_from, "year_to": year_to,
            "professions": chosen, **territory_parameters(filters.territory),
            "area": filters.area if area and filters.area else None, "demo": filters.demo}


def _on_cube(con, sql: str, filters: Filters, year_from: int, year_to: int, area: bool = False,
             scalar: bool = False):
    """Run SQL of `secrecy.cube` on the selection of the filters: a DataFrame, or one value (`scalar`)."""
    cursor = database.cursor(con)
    try:
        result = cursor.execute(sql, _selection(con, filters, year_from, year_to, area))
        return result.fetchone()[0] if scalar else result.df()
    finally:
        cursor.close()


def _cells(con, filters: Filters, year_from: int, year_to: int, area: bool = False) -> pd.DataFrame:
    """Masked cells (year × area × profession) of the filters, from the cube masked at build time:
    a cell is masked the same way whatever the view or the selection."""
    return _on_cube(con, cube.cells_sql(), filters, year_from, year_to, area)


def _published(con, filters: Filters, keys: list[str], year_from: int, year_to: int,
               area: bool = False) -> pd.DataFrame:
    """Sums of the published values of the masked cells by `keys` (rule 3), with every indicator."""
    return _published_sets(con, filters, [keys], year_from, year_to, area)[0]


def _published_sets(con, filters: Filters, key_sets: list[list[str]], year_from: int, year_to: int,
                    area: bool = False) -> list[pd.DataFrame]:
    """`_published` for several sets of keys at once: DuckDB sums every set in one pass."""
    parts = _on_cube(con, cube.sums_sql(key_sets), filters, year_from, year_to, area)
    return cube.published(parts, key_sets, filters.threshold)


AREA_KEYS = ["year", "canton_code", "area_name", "area_kind"]
PROFESSION_KEYS = ["year", "profession_code", "profession"]


def area_table(con, filters: Filters, year: int) -> pd.DataFrame:
    """One row per area (canton or shared town) for one year, with the whole territory's value beside.

    Columns: code, name, kind, population, every measure and indicator with its secrecy flag,
    `territory_value`, `territory_secret` and `rank` (1 = most worrying) for the selected
    indicator, `is_demo`.
    """
    return area_table_and_territory(con, filters, year)[0]


def area_table_and_territory(con, filters: Filters, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """`area_table` and the whole territory's row (every measure and indicator), from one cube."""
    indicator = INDICATORS[filters.indicator]
    by_area, dep = _published_sets(con, filters, [AREA_KEYS, ["year"]], year, year)
    table = areas(con, filters.territory).merge(by_area.drop(columns=["year", "area_name", "area_kind"]),
                             left_on="code", right_on="canton_code", how="left").drop(columns="canton_code")
    table["is_demo"] = table["is_demo"].astype("boolean").fillna(False).astype(bool)
    table = secrecy.complete_flags(table)
    # no published cell for the selection (e.g. a profession with no real figure): every measure unknown
    dep_row = dep.iloc[0] if len(dep) else pd.Series(np.nan, index=dep.columns, dtype=object)
    table["territory_value"] = dep_row.get(indicator.key, np.nan)
    table["territory_secret"] = secrecy.is_secret(dep_row, indicator.key)
    table["rank"] = table[indicator.key].rank(ascending=not indicator.higher_is_worse, method="min")
    return table, dep_row


def territory_series(con, filters: Filters, year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """The territory's measures and indicators per year (sum of every area)."""
    return _published(con, filters, ["year"], year_from or filters.year_from, year_to or filters.year_to)


def trends(con, filters: Filters) -> dict[str, pd.DataFrame]:
    """The Tendances page's series: the territory per year, the selected area per year (among
    every area of the year, which share one secrecy group; empty without an area), and every
    profession per year (in the selected area, or the territory)."""
    span = (filters.year_from, filters.year_to)
    if not filters.area:  # one pass; the many areas of a région or of France are not needed
        total, professions = _published_sets(con, filters, [["year"], PROFESSION_KEYS], *span)
        by_area = pd.DataFrame(columns=AREA_KEYS)
    else:
        by_area, total = _published_sets(con, filters, [AREA_KEYS, ["year"]], *span)
        professions = _published(con, filters, PROFESSION_KEYS, *span, area=True)
    return {"territory": total, "areas": by_area.rename(columns={"area_name": "name", "area_kind": "kind"}),
            "professions": professions}


def key_figures(con, filters: Filters, year: int) -> pd.DataFrame:
    """Every indicator for the département in `year` and `year - 1`, with the change between."""
    series = territory_series(con, filters, year - 1, year).set_index("year")
    rows = []
    for indicator in INDICATORS.values():
        current = series[indicator.key].get(year, np.nan)
        previous = series[indicator.key].get(year - 1, np.nan)
        secret = year in series.index and secrecy.is_secret(series.loc[year], indicator.key)
        lower = {y: secrecy.row_lower_bound(series.loc[y], indicator.key)
                 for y in (year - 1, year) if y in series.index}
        if lower.get(year) or lower.get(year - 1):  # a change between lower bounds means nothing
            previous = np.nan
        if indicator.change_unit == "points":
            delta = current - previous
        else:
            delta = 100 * (current / previous - 1) if previous else np.nan
        rows.append({"indicator": indicator.key, "label": indicator.label, "unit": indicator.unit,
                     "value": current, "previous": previous, "change": delta, "secret": secret,
                     "lower_bound": bool(lower.get(year, False)), "is_demo": bool(series["is_demo"].get(year, False))})
    return pd.DataFrame(rows)


def top_tension_pairs(con, filters: Filters, year: int, n: int = 5) -> pd.DataFrame:
    """The `n` area × profession pairs with the highest unfilled rate (enough offers to be stable;
    a masked rate is not ranked). DuckDB ranks the cells: a national year has 90 000 of them."""
    rate = INDICATORS[TENSION_INDICATOR].sql()
    sql = cube.top_cells_sql(f"{rate} DESC, offers_published DESC, year, canton_code, profession_code",
                                 f"offers_published >= {MIN_OFFERS_FOR_RANKING} AND ({rate}) IS NOT NULL", n)
    top = secrecy.with_indicators(_on_cube(con, sql, filters, year, year))
    return top.rename(columns={"area_name": "name"})[
        ["name", "canton_code", "profession", "profession_code", TENSION_INDICATOR,
         "offers_published", "offers_unfilled", "is_demo"]].reset_index(drop=True)


def export_count(con, filters: Filters) -> int:
    """How many rows `export_rows` gives, without fetching them."""
    return int(_on_cube(con, cube.count_sql(), filters, filters.year_from, filters.year_to, area=True, scalar=True))


def export_is_demo(con, filters: Filters) -> bool:
    """Whether any row of `export_rows` holds demo figures."""
    return bool(_on_cube(con, cube.demo_sql(), filters, filters.year_from, filters.year_to, area=True, scalar=True))


def export_preview(con, filters: Filters, n: int = 50) -> pd.DataFrame:
    """The first `n` rows of `export_rows`."""
    return secrecy.with_indicators(_on_cube(con, cube.cells_sql(n), filters, filters.year_from, filters.year_to,
                                            area=True))


def export_rows(con, filters: Filters) -> pd.DataFrame:
    """The detailed rows of the filters (year × area × profession), masked as in every view."""
    cells = _cells(con, filters, filters.year_from, filters.year_to, area=True)
    return secrecy.with_indicators(cells).reset_index(drop=True)


def access_communes(con, profession: str, territory: str = "", limit: int | None = None) -> pd.DataFrame:
    """The territory's communes with their distance to the nearest place training for `profession`,
    the farthest first: every one, or the first `limit` (`communes_in_territory` counts them all)."""
    frame = run(con, "access_communes", {"profession": profession, "limit": limit, **territory_parameters(territory)})
    frame["minutes"] = frame["distance_km"].map(access.minutes)
    return frame


def access_table(con, filters: Filters, profession: str) -> pd.DataFrame:
    """Per area: population, population farther than `filters.distance_km` from the nearest place
    training for `profession`, its share (`far_share`), the largest distance; with `rank`."""
    grouped = run(con, "access_areas", {"profession": profession, "km": filters.distance_km,
                                        **territory_parameters(filters.territory)})
    table = areas(con, filters.territory).merge(grouped, left_on="code", right_on="canton_code",
                                                how="left").drop(columns="canton_code")
    indicator = ACCESS_INDICATOR
    table[indicator.key] = indicator.compute(table)
    secrecy.not_secret(table, indicator.key)  # people counts of the census, not of a survey
    total = table[["population_far", "population"]].sum()
    table["territory_value"] = 100 * total["population_far"] / total["population"]
    table["territory_secret"] = False
    table["rank"] = table[indicator.key].rank(ascending=False, method="min")
    table["is_demo"] = False
    return table


def placement_needs(con, filters: Filters, year: int) -> pd.DataFrame:
    """Per area: internship placements sought and offered, the shortfall and the coverage, masked
    like every count of people; sorted by shortfall (most in need first)."""
    by_area = _published(con, filters, AREA_KEYS, year, year)
    sought, offered = by_area["placements_sought"], by_area["placements_offered"]
    by_area["shortfall"] = sought - offered
    secrecy.secret_if_any(by_area, "shortfall", ["placements_sought", "placements_offered"])
    return by_area.sort_values("shortfall", ascending=False, na_position="last").reset_index(drop=True)
