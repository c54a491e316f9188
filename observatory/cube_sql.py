"""SQL of the masked cube, generated from `MEASURES` (like the indicator views).

`masked_cells` is filled once per build: every year × area × profession cell, masked by
`secrecy.mask` for each threshold, keeping its true value beside its `__secret` flag. Pages never
mask again: they select cells (`cells_sql`) or sum them (`sums_sql`, the SQL twin of
`secrecy.sum_parts`) in DuckDB, and only the small result goes through `secrecy.publish`.
"""
from __future__ import annotations

from observatory.indicators import MEASURES

SOURCE_FLAGS = ["recruitment_projects__source_secret", "difficult_projects__source_secret"]

# Bound parameters of every selection: threshold, years, professions (empty list: all), and the
# territory (NULL: all) down to one area.
SELECTION = """threshold = $threshold AND year BETWEEN $year_from AND $year_to
  AND (len($professions) = 0 OR list_contains($professions, profession_code))
  AND ($region IS NULL OR region_code = $region)
  AND ($departement IS NULL OR departement_code = $departement)
  AND ($area IS NULL OR canton_code = $area)"""


def table_sql() -> str:
    columns = ",\n    ".join(f"{m} DOUBLE, {m}__secret BOOLEAN NOT NULL" for m in MEASURES)
    flags = ", ".join(f"{f} BOOLEAN NOT NULL" for f in SOURCE_FLAGS)
    return f"""CREATE TABLE masked_cells (
    threshold SMALLINT NOT NULL, year SMALLINT NOT NULL, canton_code VARCHAR NOT NULL,
    profession_code VARCHAR NOT NULL, departement_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL,
    {columns},
    {flags}, is_demo BOOLEAN NOT NULL)"""


def view_sql() -> str:
    measures = ",\n    ".join(
        f"CASE WHEN c.{m}__secret THEN NULL ELSE c.{m} END AS {m}, c.{m} AS {m}__raw, c.{m}__secret" for m in MEASURES)
    flags = ", ".join(f"c.{f}" for f in SOURCE_FLAGS)
    return f"""CREATE OR REPLACE VIEW masked_cube AS
SELECT c.threshold, c.year, c.canton_code, a.name AS area_name, a.kind AS area_kind,
    c.departement_code, c.region_code, c.profession_code, p.label AS profession, p.family,
    {measures},
    {flags}, c.is_demo
FROM masked_cells AS c
JOIN canton AS a ON a.code = c.canton_code
JOIN profession AS p ON p.code = c.profession_code"""


def cells_sql() -> str:
    return f"SELECT * EXCLUDE (threshold) FROM masked_cube WHERE {SELECTION} ORDER BY year, canton_code, profession_code"


NAMES = {  # name columns a grouping may ask for, joined after the sums: (table alias, SQL)
    "area_name": ("a", "a.name"), "area_kind": ("a", "a.kind"),
    "profession": ("p", "p.label"), "family": ("p", "p.family"),
}
JOINS = {"a": "JOIN canton AS a ON a.code = s.canton_code", "p": "JOIN profession AS p ON p.code = s.profession_code"}


def sums_sql(keys: list[str]) -> str:
    """Per group of `keys`: the columns `secrecy.sum_parts` gives, summed by DuckDB on the codes
    (names are joined to the few sums, not to the many cells)."""
    codes = [k for k in keys if k not in NAMES]
    listed = ", ".join(codes)
    parts = ",\n    ".join(
        f"SUM({m}) AS {m}, COUNT(*) FILTER (WHERE {m}__secret) AS {m}__n_masked, "
        f"COALESCE(SUM({m}) FILTER (WHERE {m}__secret), 0) AS {m}__masked_sum" for m in MEASURES)
    flags = ", ".join(f"BOOL_OR({f}) AS {f}" for f in SOURCE_FLAGS)
    selected = ", ".join(f"{NAMES[k][1]} AS {k}" if k in NAMES else f"s.{k}" for k in keys)
    joins = "\n".join(JOINS[alias] for alias in sorted({NAMES[k][0] for k in keys if k in NAMES}))
    return f"""WITH s AS (
SELECT {listed},
    {parts},
    {flags}, BOOL_OR(is_demo) AS is_demo
FROM masked_cells WHERE {SELECTION}
GROUP BY {listed})
SELECT {selected}, s.* EXCLUDE ({listed})
FROM s
{joins}
ORDER BY {", ".join(f"s.{k}" for k in codes)}"""
