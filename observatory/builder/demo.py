"""Deterministic demo figures (fixed seed) on the real geography, flagged `is_demo` everywhere.

Only for what no open source gives at canton grain: job offers, training, apprentices by
profession, internships. Recruitment projects (BMO) and populations are real (`real_extracts`).

The figures are invented but plausible: scaled by each area's population, with on average about
15 % of offers unfilled after three months and up to about 20 % for the hardest professions and
the most rural cantons, and far more home-help and care-assistant offers than PMI doctors.
The training providers are fictitious too, placed in real towns; their names say « (démo) ».
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SEED = 20261122
YEARS = tuple(range(2018, 2026))
PATHWAYS = ("initiale", "continue", "apprentissage")


@dataclass(frozen=True)
class DemoProfile:
    offers_per_10k: float  # job offers per 10 000 inhabitants per year
    unfilled_rate: float  # base share of offers unfilled after 3 months
    graduates_per_offer: float  # how well training matches the need (below 1: shortage)
    pathway_shares: tuple[float, float, float]  # initial, continuing, apprenticeship


DEFAULT_PROFILE = DemoProfile(1.0, 0.13, 0.8, (0.6, 0.3, 0.1))
PROFILES: dict[str, DemoProfile] = {
    "aide-domicile": DemoProfile(30.0, 0.175, 0.45, (0.2, 0.6, 0.2)),
    "aide-soignant": DemoProfile(22.0, 0.16, 0.6, (0.45, 0.35, 0.2)),
    "agent-service-hospitalier": DemoProfile(10.0, 0.11, 0.3, (0.3, 0.6, 0.1)),
    "infirmier": DemoProfile(15.0, 0.14, 0.75, (0.85, 0.1, 0.05)),
    "accompagnant-educatif-social": DemoProfile(10.0, 0.165, 0.55, (0.35, 0.4, 0.25)),
    "auxiliaire-puericulture": DemoProfile(4.0, 0.13, 0.7, (0.6, 0.2, 0.2)),
    "educateur-jeunes-enfants": DemoProfile(2.5, 0.14, 0.7, (0.7, 0.1, 0.2)),
    "educateur-specialise": DemoProfile(4.0, 0.15, 0.65, (0.65, 0.15, 0.2)),
    "moniteur-educateur": DemoProfile(3.0, 0.14, 0.7, (0.55, 0.2, 0.25)),
    "assistant-maternel": DemoProfile(5.0, 0.12, 0.5, (0.1, 0.9, 0.0)),
    "assistant-familial": DemoProfile(1.5, 0.18, 0.4, (0.0, 1.0, 0.0)),
    "assistant-service-social": DemoProfile(2.0, 0.13, 0.8, (0.8, 0.1, 0.1)),
    "tisf": DemoProfile(1.0, 0.165, 0.5, (0.5, 0.3, 0.2)),
    "medecin-pmi": DemoProfile(0.15, 0.2, 0.3, (1.0, 0.0, 0.0)),
    "ergotherapeute": DemoProfile(0.8, 0.15, 0.6, (0.9, 0.05, 0.05)),
    "psychomotricien": DemoProfile(0.5, 0.14, 0.6, (0.9, 0.05, 0.05)),
    "conseiller-insertion": DemoProfile(2.0, 0.1, 0.9, (0.3, 0.6, 0.1)),
    "responsable-secteur-domicile": DemoProfile(1.2, 0.15, 0.5, (0.3, 0.5, 0.2)),
}

# Rural cantons recruit harder (in percentage points of unfilled rate); towns a little easier.
AREA_EFFECT = {"4001": 0.02, "4008": 0.025, "4013": 0.015, "4002": 0.01, "4004": 0.01,
               "4098": -0.02, "4099": -0.02, "4010": -0.01, "4011": -0.01}

# Fictitious providers in real towns (INSEE code), each training for some professions.
PROVIDERS = [
    ("Institut de formation aux soins (démo) – Mont-de-Marsan", "40192",
     ["infirmier", "aide-soignant", "auxiliaire-puericulture"]),
    ("Institut de formation aux soins (démo) – Dax", "40088", ["infirmier", "aide-soignant"]),
    ("Institut du travail social (démo) – Mont-de-Marsan", "40192",
     ["educateur-specialise", "moniteur-educateur", "educateur-jeunes-enfants",
      "assistant-service-social", "cesf", "tisf", "accompagnant-educatif-social"]),
    ("Centre de formation des apprentis du sanitaire et social (démo) – Saint-Paul-lès-Dax", "40279",
     ["accompagnant-educatif-social", "aide-soignant", "aide-domicile", "educateur-specialise"]),
    ("Maison familiale rurale (démo) – Hagetmau", "40119", ["aide-domicile", "accompagnant-educatif-social"]),
    ("Maison familiale rurale (démo) – Saint-Vincent-de-Tyrosse", "40284",
     ["aide-domicile", "agent-service-hospitalier"]),
    ("Organisme de formation continue (démo) – Tarnos", "40312",
     ["aide-domicile", "agent-service-hospitalier", "assistant-maternel", "conseiller-insertion"]),
    ("Organisme de formation continue (démo) – Biscarrosse", "40046",
     ["aide-domicile", "assistant-maternel", "mediateur-social"]),
    ("Centre de formation (démo) – Aire-sur-l'Adour", "40001",
     ["aide-domicile", "accompagnant-educatif-social", "encadrant-technique-insertion"]),
    ("Centre de formation (démo) – Morcenx-la-Nouvelle", "40197", ["aide-soignant", "assistant-familial"]),
    ("Institut de formation en rééducation (démo) – Dax", "40088", ["ergotherapeute", "psychomotricien"]),
    ("Centre de formation des cadres (démo) – Mont-de-Marsan", "40192",
     ["responsable-secteur-domicile", "directeur-etablissement"]),
]


def year_factor(year: int) -> float:
    """Demand grows until 2023 and eases a little after."""
    return 1.0 + 0.05 * min(year - 2018, 5) - 0.02 * max(year - 2023, 0)


def tension_trend(year: int) -> float:
    """Unfilled rates rise from 2018 to 2023 (about +2.5 points), then ease slightly."""
    return 0.005 * min(year - 2018, 5) - 0.004 * max(year - 2023, 0) - 0.017


def area_effect(codes: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Unfilled-rate effect per area: the Landes' hand-set values, else by size (small = rural)."""
    by_size = np.select([population < 15_000, population > 60_000], [0.015, -0.01], 0.0)
    return np.array([AREA_EFFECT.get(code, default) for code, default in zip(codes, by_size)])


def generate(areas: pd.DataFrame, professions: list[str], communes: pd.DataFrame,
             years: tuple[int, ...] = YEARS, offers_target: int | None = None) -> dict[str, pd.DataFrame]:
    """Return demo facts and providers, drawn cell by cell with numpy (fast at national scale).

    `areas`: code, population, departement_code (cantons and towns). `communes`: code, nom, canton,
    population, lon, lat. `offers_target`: scale job offers to about this many in all (the national
    demo's 5 million); else offers follow the profiles. Offers come out per cell in `offer_cells`
    (offers, unfilled); the store expands them into individual offers (`job_offer`), which the
    France Travail aggregation then counts like imported offers."""
    rng = np.random.default_rng(SEED)
    areas = areas.sort_values("code").reset_index(drop=True)
    professions = sorted(professions)
    n_years, n_areas, n_prof = len(years), len(areas), len(professions)
    profiles = [PROFILES.get(code, DEFAULT_PROFILE) for code in professions]
    per_10k = np.array([p.offers_per_10k for p in profiles])
    base_rate = np.array([p.unfilled_rate for p in profiles])
    graduates_per_offer = np.array([p.graduates_per_offer for p in profiles])
    apprenticeship_share = np.array([p.pathway_shares[2] for p in profiles])

    # One entry per year x area x profession, in that order.
    year = np.repeat(np.array(years), n_areas * n_prof)
    area = np.tile(np.repeat(np.arange(n_areas), n_prof), n_years)
    prof = np.tile(np.arange(n_prof), n_years * n_areas)
    factor = np.array([year_factor(y) for y in years])[year - years[0]]
    expected = areas["population"].to_numpy(dtype=float)[area] / 10_000 * per_10k[prof] * factor
    scale = offers_target / expected.sum() if offers_target else 1.0
    effect = area_effect(areas["code"].to_numpy(), areas["population"].to_numpy())
    trend = np.array([tension_trend(y) for y in years])[year - years[0]]
    rate = np.clip(base_rate[prof] + effect[area] + trend, 0.02, 0.3)

    offers = rng.poisson(expected * scale)
    unfilled = rng.binomial(offers, rate)
    # Apprenticeship grew fast after the 2018 reform.
    new_contracts = rng.poisson(expected * np.maximum(0.005, 0.03 + 0.012 * (year - 2018)) * (1 + 2 * apprenticeship_share[prof]))
    sought = rng.poisson(expected * graduates_per_offer[prof] * 1.1)
    offered = rng.binomial(sought, 0.75)

    keys = {"year": year, "canton_code": areas["code"].to_numpy()[area], "profession_code": np.array(professions)[prof]}
    providers, links, training = _training(rng, areas, professions, communes, years)
    jobs = sector_jobs(communes, years)
    return {
        "offer_cells": pd.DataFrame({**keys, "offers": offers, "unfilled": unfilled}).query("offers > 0"),
        # A cell without offers says so here (0, not unknown); the others are counted from `job_offer`.
        # No recruitment projects: those are the BMO survey's, real (data/real/), never invented.
        "vacancies": pd.DataFrame({**keys, "offers_published": pd.array(np.where(offers == 0, 0, None), dtype="Int64"),
                                   "offers_unfilled": pd.array(np.where(offers == 0, 0, None), dtype="Int64")}),
        "apprentices": pd.DataFrame({**keys, "new_contracts": new_contracts,
                                     "active": np.round(new_contracts * 1.7).astype(int)}),
        "internships": pd.DataFrame({**keys, "placements_offered": offered, "placements_sought": sought}),
        "training": training,
        "provider": providers,
        "provider_profession": links,
        "sector_jobs": jobs,
    }


SECTOR_JOBS_PER_INHABITANT = 0.028  # private health and social-work jobs per inhabitant in France, roughly
SECTOR_GROWTH = 0.015  # a year: the sector kept hiring through the period


def sector_jobs(communes: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """Demo salaried jobs of the sector per commune and year, until a URSSAF file replaces them:
    proportional to the real municipal populations, gathered in the larger communes (where care
    homes and services are), growing slowly. One APE line, « total »."""
    rng = np.random.default_rng(SEED + 1)
    population = communes["population"].fillna(0).to_numpy(dtype=float)
    weight = population ** 1.15 * rng.lognormal(0.0, 0.4, len(population))
    base = weight / max(weight.sum(), 1.0) * population.sum() * SECTOR_JOBS_PER_INHABITANT
    rows = []
    for year in years:
        jobs = np.round(base * (1 + SECTOR_GROWTH) ** (year - years[0]) * rng.normal(1.0, 0.02, len(base))).astype(int)
        kept = jobs >= 3  # a commune without an employer of the sector has no line, as in URSSAF's file
        rows.append(pd.DataFrame({"year": year, "commune_code": communes["code"].to_numpy()[kept], "ape": "total",
                                  "establishments": np.maximum(1, jobs[kept] // 25), "jobs": jobs[kept]}))
    return pd.concat(rows, ignore_index=True)


def _providers(areas: pd.DataFrame, professions: list[str], communes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fictitious providers of `PROVIDERS` in every département: in their Landes town, or
    elsewhere in the département's largest towns."""
    known = set(professions)
    departement_of = dict(zip(areas["code"], areas["departement_code"]))
    towns = communes.assign(departement_code=communes["canton"].map(departement_of)).dropna(subset=["departement_code"])
    towns = towns.sort_values(["departement_code", "population", "code"], ascending=[True, False, True])
    rows, links = [], []
    for departement, local in towns.groupby("departement_code", sort=True):
        by_code = local.set_index("code")
        largest = local["code"].tolist()
        for index, (name, commune_code, trains) in enumerate(PROVIDERS):
            if commune_code not in by_code.index:
                commune_code = largest[index % len(largest)]
                name = name.split(" – ")[0] + " – " + by_code.loc[commune_code, "nom"]
            commune = by_code.loc[commune_code]
            provider_id = len(rows) + 1
            rows.append((provider_id, name, commune_code, commune["lon"], commune["lat"], None,
                         commune["canton"], departement))
            links += [(provider_id, code) for code in trains if code in known]
    providers = pd.DataFrame(rows, columns=["provider_id", "name", "commune_code", "lon", "lat", "website",
                                            "canton_code", "departement_code"])
    return providers, pd.DataFrame(links, columns=["provider_id", "profession_code"])


def _training(rng, areas, professions, communes, years):
    providers, links = _providers(areas, professions, communes)
    population = areas.groupby("departement_code")["population"].sum()
    places = links.merge(providers[["provider_id", "canton_code", "departement_code"]], on="provider_id")
    places["n_places"] = places.groupby(["departement_code", "profession_code"])["provider_id"].transform("size")
    profile = {code: PROFILES.get(code, DEFAULT_PROFILE) for code in professions}
    pathways = pd.DataFrame([(code, pathway, share) for code, p in profile.items()
                             for pathway, share in zip(PATHWAYS, p.pathway_shares) if share > 0],
                            columns=["profession_code", "pathway", "share"])
    rows = (places.merge(pathways, on="profession_code")
            .merge(pd.DataFrame({"year": list(years)}), how="cross"))
    code = rows["profession_code"]
    year = rows["year"].to_numpy()
    need = (rows["departement_code"].map(population).to_numpy() / 10_000
            * code.map(lambda c: profile[c].offers_per_10k).to_numpy()
            * np.array([year_factor(y) for y in year])
            * code.map(lambda c: profile[c].graduates_per_offer).to_numpy())
    # Fewer applicants per seat every year: the attractiveness problem the plan describes.
    applicants_per_seat = np.maximum(0.9, 2.6 - 0.18 * (year - 2018))
    seats = rng.poisson(need * rows["share"].to_numpy() / rows["n_places"].to_numpy() * 1.15) + 1
    applicants = rng.poisson(seats * applicants_per_seat)
    enrolled = np.minimum(seats, rng.binomial(applicants, 0.8))
    graduates = rng.binomial(enrolled, 0.82)
    training = rows[["year", "canton_code", "profession_code", "pathway"]].assign(
        seats=seats, applicants=applicants, enrolled=enrolled, graduates=graduates)
    # Several providers of one canton: one row per canton x profession x pathway, as the schema's grain.
    training = training.groupby(["year", "canton_code", "profession_code", "pathway"], as_index=False).sum()
    return providers.drop(columns=["canton_code", "departement_code"]), links, training
