"""What the canton portrait reads of one area, beside its figures: its communes and councillors,
its population series, the constraints partners sent, and the exact BMO figures of its bassins."""
from __future__ import annotations

import pandas as pd

from observatory.figures.filter_grammar import Filters
from observatory.figures.queries import bmo_metiers_of, run


def communes_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "communes_of_area", {"area": area})


def councillors_of_area(con, area: str) -> pd.DataFrame:
    return run(con, "councillors_of_area", {"area": area})


def area_population(con, area: str) -> pd.DataFrame:
    """year, population, communes: the area's INSEE municipal population series."""
    return run(con, "area_population", {"area": area})


def canton_context(con, area: str) -> pd.DataFrame:
    return run(con, "canton_context", {"area": area})


def bmo_of_area(con, filters: Filters, area: str, year: int) -> pd.DataFrame:
    """The exact BMO figures of the bassins `area` takes a share of, for the selected professions'
    métiers BMO, with the area's share. Not secret beyond the source's own `*`: published as is."""
    chosen = bmo_metiers_of(con, filters.professions) if filters.professions else []
    return run(con, "bmo_of_area", {"area": area, "year": year, "bmo": chosen})
