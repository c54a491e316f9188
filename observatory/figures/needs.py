"""The people the professions serve: the territory's population by age (INSEE, 1975-2023) and how
each area's population changed (INSEE municipal populations), beside where recruiting is hardest."""
from __future__ import annotations

import pandas as pd

from observatory.figures import queries

OLDEST = "75+"
SOURCE = "INSEE, estimations de population par grande classe d'âge et populations municipales"


def ages(con, territory: str = "") -> pd.DataFrame:
    """year, age_group, population, departements: the territory's population by age group (a
    région or France: the sum of its départements that have a figure)."""
    return queries.run(con, "population_ages", queries.territory_parameters(territory))


def oldest(frame: pd.DataFrame) -> pd.DataFrame:
    """year, population (75 and over), total, share (%): the ageing series of `ages`."""
    wide = frame.pivot_table(index="year", columns="age_group", values="population", aggfunc="sum")
    if OLDEST not in wide or "total" not in wide:
        return pd.DataFrame(columns=["year", "population", "total", "share"])
    out = pd.DataFrame({"population": wide[OLDEST], "total": wide["total"]}).dropna().reset_index()
    out["share"] = 100 * out["population"] / out["total"]
    return out


def area_change(con, territory: str = "") -> pd.DataFrame:
    """Per area: its population in the first and last year of the INSEE series and the change (%)."""
    frame = queries.run(con, "area_population_change", queries.territory_parameters(territory))
    frame["change"] = 100 * (frame["last_population"] / frame["first_population"] - 1)
    return frame
