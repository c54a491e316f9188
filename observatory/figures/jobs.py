"""The sector's salaried jobs (URSSAF: health and social work, private employers) per area, and
hiring per job: offers and recruitment projects for 100 salaried jobs, DARES's « intensité
d'embauches » at the canton's grain. Where no URSSAF file was imported, the jobs are demo."""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory import secrecy
from observatory.figures import queries
from observatory.figures.filter_grammar import Filters

SOURCE = "URSSAF, établissements employeurs et effectifs salariés (secteur privé)"
TREND_YEARS = 5
PER_JOBS = {"offers_published": "offers_per_100_jobs", "recruitment_projects": "projects_per_100_jobs"}


def area_jobs(con, territory: str = "") -> pd.DataFrame:
    """code, year, jobs, establishments, is_demo: the sector's jobs per area and year."""
    return queries.run(con, "area_sector_jobs", queries.territory_parameters(territory))


def hiring_intensity(con, filters: Filters, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """Per area, then for the territory: the jobs of the latest year up to `year` (jobs_year), their
    change over the previous five years (%), and the selection's offers and recruitment projects of
    `year` for 100 of those jobs, each flagged as its count is (masked, or only a minimum) under
    the secrecy module's column names. Empty when the database holds no jobs."""
    jobs = area_jobs(con, filters.territory)
    jobs = jobs[jobs["year"] <= year]
    if jobs.empty:
        return pd.DataFrame(), pd.Series(dtype=object)
    last = int(jobs["year"].max())
    wide = jobs.pivot_table(index="code", columns="year", values="jobs", aggfunc="sum")
    demo = bool(jobs.loc[jobs["year"] == last, "is_demo"].any())
    table, territory = queries.area_table_and_territory(con, filters, year)
    latest, earlier = wide.get(last, pd.Series(dtype=float)), wide.get(last - TREND_YEARS, pd.Series(dtype=float))
    areas = table[["code", "name", "kind"] + list(PER_JOBS)].assign(
        jobs=lambda f: f["code"].map(latest), jobs_before=lambda f: f["code"].map(earlier))
    whole = pd.DataFrame([{"code": None, "name": None, "kind": None, "jobs": latest.sum(min_count=1),
                           "jobs_before": earlier.sum(min_count=1), **{k: territory.get(k, np.nan) for k in PER_JOBS}}])
    areas, whole = _per_jobs(areas, table), _per_jobs(whole, territory.to_frame().T)
    for frame in (areas, whole):
        frame["jobs_year"], frame["is_demo"] = last, demo
    return areas, whole.iloc[0]


def _per_jobs(frame: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """The change of jobs over the trend years and each count for 100 jobs, flagged as a minimum
    where the count is (`flags`: the published rows the counts come from, in the same order)."""
    frame = frame.copy()
    jobs = frame["jobs"].astype(float)
    frame["jobs_change"] = 100 * (jobs / frame["jobs_before"].astype(float).where(frame["jobs_before"] > 0) - 1)
    for key, ratio in PER_JOBS.items():
        frame[ratio] = 100 * frame[key].astype(float) / jobs.where(jobs > 0)
        # the ratio carries its count's flags, under the secrecy module's names (`tables.shown_column`)
        frame[secrecy.partial_column(ratio)] = np.asarray(secrecy.lower_bound(flags, key))
        frame[secrecy.secret_column(ratio)] = np.asarray(secrecy.secret_flags(flags, key))
    return frame


def caption(total: pd.Series, year: int) -> str:
    """What the hiring table counts, where from, and whether its jobs are real or demo."""
    nature = ("démonstration (chiffres fictifs, proportionnels aux populations réelles, en attendant le fichier "
              "de l'URSSAF)" if total["is_demo"] else "donnée réelle")
    return (f"Emplois : {SOURCE}, {int(total['jobs_year'])} — {nature}. L'URSSAF ne compte que les employeurs "
            "privés : les hôpitaux et les EHPAD publics n'y sont pas. Ce sont les emplois de tout le secteur "
            "sanitaire et social (codes APE 8610Z, 87 et 88), pas seulement ceux des métiers choisis ; les offres "
            f"et les projets de recrutement sont ceux des métiers choisis, en {year}. C'est, à l'échelle du canton, "
            "la composante « intensité d'embauches » de l'indicateur de la DARES.")
