"""Deterministic demo figures (fixed seed) on the real geography, flagged `is_demo` everywhere.

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


def generate(areas: pd.DataFrame, professions: list[str], communes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return demo facts and providers. `areas` has columns code, population (cantons and towns)."""
    rng = np.random.default_rng(SEED)
    areas = areas.sort_values("code")
    professions = sorted(professions)
    vacancies, apprentices, internships = [], [], []
    for year in YEARS:
        for area in areas.itertuples():
            for code in professions:
                p = PROFILES.get(code, DEFAULT_PROFILE)
                expected = area.population / 10_000 * p.offers_per_10k * year_factor(year)
                offers = int(rng.poisson(expected))
                rate = np.clip(p.unfilled_rate + AREA_EFFECT.get(area.code, 0.0) + tension_trend(year), 0.02, 0.3)
                unfilled = int(rng.binomial(offers, rate))
                projects = int(rng.poisson(expected * 1.4))
                difficult = int(rng.binomial(projects, min(0.9, 0.35 + 2.2 * rate)))
                vacancies.append((year, area.code, code, offers, unfilled, projects, difficult))
                # Apprenticeship grew fast after the 2018 reform.
                appr_rate = 0.03 + 0.012 * (year - 2018)
                new = int(rng.poisson(expected * appr_rate * (1 + 2 * p.pathway_shares[2])))
                apprentices.append((year, area.code, code, new, int(round(new * 1.7))))
                sought = int(rng.poisson(expected * p.graduates_per_offer * 1.1))
                offered = int(rng.binomial(sought, 0.75)) if sought else 0
                internships.append((year, area.code, code, offered, sought))

    providers, links, training = _training(rng, areas, professions, communes)
    return {
        "vacancies": pd.DataFrame(vacancies, columns=[
            "year", "canton_code", "profession_code", "offers_published", "offers_unfilled",
            "recruitment_projects", "difficult_projects"]),
        "apprentices": pd.DataFrame(apprentices, columns=[
            "year", "canton_code", "profession_code", "new_contracts", "active"]),
        "internships": pd.DataFrame(internships, columns=[
            "year", "canton_code", "profession_code", "placements_offered", "placements_sought"]),
        "training": training,
        "provider": providers,
        "provider_profession": links,
    }


def _training(rng, areas, professions, communes):
    known = set(professions)
    commune_by_code = communes.set_index("code")
    largest = communes.sort_values(["population", "code"], ascending=[False, True])["code"].tolist()
    providers, links = [], []
    for provider_id, (name, commune_code, trains) in enumerate(PROVIDERS, start=1):
        if commune_code not in commune_by_code.index:  # another département: use its largest towns
            commune_code = largest[(provider_id - 1) % len(largest)]
            name = name.split(" – ")[0] + " – " + commune_by_code.loc[commune_code, "nom"]
        commune = commune_by_code.loc[commune_code]
        providers.append((provider_id, name, commune_code, commune["lon"], commune["lat"], None))
        links += [(provider_id, code) for code in trains if code in known]
    links_frame = pd.DataFrame(links, columns=["provider_id", "profession_code"])
    provider_frame = pd.DataFrame(providers, columns=["provider_id", "name", "commune_code", "lon", "lat", "website"])
    canton_of_provider = dict(zip(provider_frame["provider_id"],
                                  provider_frame["commune_code"].map(commune_by_code["canton"])))

    population = float(areas["population"].sum())
    rows = []
    for code in professions:
        p = PROFILES.get(code, DEFAULT_PROFILE)
        places = links_frame.loc[links_frame["profession_code"] == code, "provider_id"].tolist()
        if not places:
            continue
        for year in YEARS:
            need = population / 10_000 * p.offers_per_10k * year_factor(year) * p.graduates_per_offer
            # Fewer applicants per seat every year: the attractiveness problem the plan describes.
            applicants_per_seat = max(0.9, 2.6 - 0.18 * (year - 2018))
            for provider_id in places:
                canton = canton_of_provider[provider_id]
                for pathway, share in zip(PATHWAYS, p.pathway_shares):
                    if share == 0:
                        continue
                    seats = int(rng.poisson(need * share / len(places) * 1.15)) + 1
                    applicants = int(rng.poisson(seats * applicants_per_seat))
                    enrolled = min(seats, int(rng.binomial(applicants, 0.8)))
                    graduates = int(rng.binomial(enrolled, 0.82))
                    rows.append((year, canton, code, pathway, seats, applicants, enrolled, graduates))
    training = pd.DataFrame(rows, columns=[
        "year", "canton_code", "profession_code", "pathway", "seats", "applicants", "enrolled", "graduates"])
    # Several providers of one canton: one row per canton x profession x pathway, as the schema's grain.
    training = training.groupby(["year", "canton_code", "profession_code", "pathway"], as_index=False).sum()
    return provider_frame, links_frame, training
