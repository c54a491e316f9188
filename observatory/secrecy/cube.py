"""The masked cube: made once per build, read by every page.

`masked_cells` is filled at build: every year × area × profession cell, masked by `secrecy.mask`
(rules 1 and 2) for each threshold, keeping its true value beside its flag. Only the view `masked_cube` and the sums leave this module, never a true value of a masked
cell: pages select cells (`cells_sql`) or sum their published values (`sums_sql`) in DuckDB, and
only the small result goes through `published` (rules 3 and 4).
"""
from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from observatory import secrecy
from observatory.vocabulary.indicators import MEASURES

SOURCE_FLAGS = ["recruitment_projects__source_secret", "difficult_projects__source_secret"]

# Bound parameters of every selection: threshold, years, professions (empty list: all), and the
# territory (NULL: all) down to one area.
SELECTION = """threshold = $threshold AND year BETWEEN $year_from AND $year_to
  AND (len($professions) = 0 OR list_contains($professions, profession_code))
  AND ($region IS NULL OR region_code = $region)
  AND ($departement IS NULL OR departement_code = $departement)
  AND ($area IS NULL OR canton_code = $area)
  AND ($demo OR NOT is_demo)"""  # without demo mode, the cells of real sources only


def table_sql() -> str:
    columns = ",\n    ".join(f"{m} DOUBLE, {m}__secret BOOLEAN NOT NULL, {m}__exposed BOOLEAN NOT NULL" for m in MEASURES)
    flags = ", ".join(f"{f} BOOLEAN NOT NULL" for f in SOURCE_FLAGS)
    return f"""CREATE TABLE masked_cells (
    threshold SMALLINT NOT NULL, year SMALLINT NOT NULL, canton_code VARCHAR NOT NULL,
    profession_code VARCHAR NOT NULL, departement_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL,
    {columns},
    {flags}, is_demo BOOLEAN NOT NULL)"""


def masked_cells(cells: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """Rows of `masked_cells` for each threshold, from the true cells (year, canton_code,
    profession_code, departement_code, region_code, every measure, the source flags, is_demo)."""
    cells = cells.astype({m: "float64" for m in MEASURES})
    columns = ["threshold", "year", "canton_code", "profession_code", "departement_code", "region_code"]
    columns += [c for m in MEASURES for c in (m, secrecy.secret_column(m), secrecy.exposed_column(m))]
    columns += SOURCE_FLAGS + ["is_demo"]
    for threshold in secrecy.THRESHOLDS:
        masked = secrecy.mask(cells, secrecy.CUBE_GROUPINGS, threshold)
        # The table keeps each true value beside its flags; the view shows NULL where masked.
        masked = masked.assign(threshold=threshold, **{m: cells[m] for m in MEASURES})
        exposed = secrecy.exposed(masked, threshold)
        masked = masked.assign(**{secrecy.exposed_column(m): exposed[:, j] for j, m in enumerate(MEASURES)})
        yield masked[columns]


def view_sql() -> str:
    """The masked cells with their names: a masked value is NULL; no true value of it is exposed."""
    measures = ",\n    ".join(
        f"CASE WHEN c.{m}__secret THEN NULL ELSE c.{m} END AS {m}, c.{m}__secret" for m in MEASURES)
    flags = ", ".join(f"c.{f}" for f in SOURCE_FLAGS)
    return f"""CREATE OR REPLACE VIEW masked_cube AS
SELECT c.threshold, c.year, c.canton_code, a.name AS area_name, a.kind AS area_kind,
    c.departement_code, c.region_code, c.profession_code, p.label AS profession, p.family,
    {measures},
    {flags}, c.is_demo
FROM masked_cells AS c
JOIN canton AS a ON a.code = c.canton_code
JOIN profession AS p ON p.code = c.profession_code"""


def cells_sql(limit: int | None = None) -> str:
    """The masked cells of a selection, in the export's order (the first `limit` only)."""
    return (f"SELECT * EXCLUDE (threshold) FROM masked_cube WHERE {SELECTION} "
            f"ORDER BY year, canton_code, profession_code{f' LIMIT {int(limit)}' if limit else ''}")


def count_sql() -> str:
    return f"SELECT COUNT(*) FROM masked_cells WHERE {SELECTION}"


def demo_sql() -> str:
    return f"SELECT COALESCE(BOOL_OR(is_demo), FALSE) FROM masked_cells WHERE {SELECTION}"


def top_cells_sql(ranking: str, minimum: str, n: int) -> str:
    """The `n` cells ranked first by the SQL expression `ranking` among those where `minimum`
    holds and no input of the ranking is masked."""
    return (f"SELECT * EXCLUDE (threshold) FROM masked_cube WHERE {SELECTION} AND {minimum} "
            f"ORDER BY {ranking} LIMIT {int(n)}")


NAMES = {  # name columns a grouping may ask for, joined after the sums: (table alias, SQL)
    "area_name": ("a", "a.name"), "area_kind": ("a", "a.kind"),
    "profession": ("p", "p.label"), "family": ("p", "p.family"),
}
JOINS = {"a": "JOIN canton AS a ON a.code = s.canton_code", "p": "JOIN profession AS p ON p.code = s.profession_code"}


def sums_sql(key_sets: list[list[str]]) -> str:
    """Per group of each set of `key_sets`: the sum of the published values of each measure and
    whether a masked value was left out (see `secrecy.publish`), summed by DuckDB on the codes in
    one pass (GROUPING SETS; `grouping_id` tells the sets apart), with the names joined to the few
    sums rather than to the many cells."""
    code_sets = [[k for k in keys if k not in NAMES] for keys in key_sets]
    codes = list(dict.fromkeys(k for keys in code_sets for k in keys))
    names = list(dict.fromkeys(k for keys in key_sets for k in keys if k in NAMES))
    # Rule 3 (see `secrecy`): a sum counts a masked cell at its true value only at territory level
    # and only when its slice (year × département × profession) is not exposed; otherwise the cell
    # counts for nothing and the sum is a minimum (`<m>__partial`). Sums of areas, and any sum
    # within one area, add published values only. CASE rather than FILTER: faster here.
    area_level = ("GROUPING(canton_code) = 0 OR " if "canton_code" in codes else "") + "$area IS NOT NULL"

    def rule(m: str, left_out: str) -> tuple[str, str]:
        return (f"SUM(CASE WHEN {left_out} THEN NULL ELSE {m} END)",
                f"COALESCE(BOOL_OR({left_out} AND {m} IS NOT NULL), FALSE)")

    def part(m: str) -> str:
        if not MEASURES[m].people_count:  # never masked by us (a value withheld at source is NULL)
            return f"SUM({m}) AS {m}, FALSE AS {m}__partial"
        (area_sum, area_partial), (slice_sum, slice_partial) = rule(m, f"{m}__secret"), rule(m, f"{m}__secret AND {m}__exposed")
        return (f"CASE WHEN {area_level} THEN {area_sum} ELSE {slice_sum} END AS {m}, "
                f"CASE WHEN {area_level} THEN {area_partial} ELSE {slice_partial} END AS {m}__partial")

    parts = ",\n    ".join(part(m) for m in MEASURES)
    flags = ", ".join(f"BOOL_OR({f}) AS {f}" for f in SOURCE_FLAGS)
    sets = ", ".join("(" + ", ".join(keys) + ")" for keys in code_sets)
    selected = ", ".join([f"s.{k}" for k in codes] + [f"{NAMES[k][1]} AS {k}" for k in names])
    joins = "\n".join(JOINS[alias].replace("JOIN", "LEFT JOIN", 1)
                      for alias in sorted({NAMES[k][0] for k in names}))
    return f"""WITH s AS (
SELECT {", ".join(codes)}, GROUPING({", ".join(codes)}) AS grouping_id,
    {parts},
    {flags}, BOOL_OR(is_demo) AS is_demo
FROM masked_cells WHERE {SELECTION}
GROUP BY GROUPING SETS ({sets}))
SELECT {selected}, s.* EXCLUDE ({", ".join(codes)})
FROM s
{joins}
ORDER BY s.grouping_id, {", ".join(f"s.{k}" for k in codes)}"""


def grouping_id(keys: list[str], key_sets: list[list[str]]) -> int:
    """The `grouping_id` of `sums_sql(key_sets)` rows that sum by `keys` (a bit set per code left out)."""
    codes = list(dict.fromkeys(k for ks in key_sets for k in ks if k not in NAMES))
    return sum(1 << (len(codes) - 1 - i) for i, code in enumerate(codes) if code not in keys)


KEY_NAMES = {"year", "canton_code", "profession_code", "departement_code", "region_code", "grouping_id", *NAMES}


def published(parts: pd.DataFrame, key_sets: list[list[str]], threshold: int) -> list[pd.DataFrame]:
    """The table of each set of `key_sets` from the rows of `sums_sql(key_sets)`, published by
    rule 3 (`secrecy.publish`), with every indicator (rule 4)."""
    out = []
    for keys in key_sets:
        rows = parts[parts["grouping_id"] == grouping_id(keys, key_sets)]
        rows = rows[keys + [c for c in parts.columns if c not in KEY_NAMES]].reset_index(drop=True)
        out.append(secrecy.with_indicators(secrecy.publish(rows, threshold)))
    return out
