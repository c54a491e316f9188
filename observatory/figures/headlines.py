"""The real figures that open the home page and the deck beside the indicators: offers and
job-seekers by bassin d'emploi, tension, apprenticeship contracts, people aged 75 and over. Each
comes from its own source and year (they differ: the card says which)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.figures import bassin_tensions, needs, queries
from observatory.vocabulary import formats


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str  # in French, ready to show
    year: int
    source: str  # publisher and file, short
    help: str  # what it counts, for the card's « ? »
    selection: bool  # follows the selected professions (else: the whole territory, every sector)
    note: str = ""  # e.g. « année incomplète, au 31/10/2022 »


TENSION_SOURCE = "Pôle emploi et DARES, par bassin d'emploi"


def of_selection(pairs: pd.DataFrame, year: int) -> list[Headline]:
    """The real figures that follow the selected professions (offers, job-seekers, tension by
    bassin d'emploi), from `bassin_tensions.pairs`, each at the latest year its source gives up to
    `year` (none after it)."""
    out = []
    totals = bassin_tensions.territory_totals(pairs)
    if totals["offers"] is not None and totals["year"] <= year:
        out.append(Headline(
            "offers_registered", bassin_tensions.OFFERS, formats.number(totals["offers"]), totals["year"], TENSION_SOURCE,
            "Offres d'emploi enregistrées dans l'année pour les métiers sélectionnés, dans les bassins d'emploi du "
            "territoire ; un bassin qui déborde du territoire compte au prorata de sa population.", True))
        out.append(Headline(
            "seekers_per_offer", bassin_tensions.SEEKERS_PER_OFFER, formats.number(totals["seekers_per_offer"], 1),
            totals["year"], TENSION_SOURCE, bassin_tensions.SEEKERS_PER_OFFER_DEFINITION, True))
    latest = bassin_tensions.latest_category_year(pairs, year)
    if latest is not None:
        known = pairs[f"category_{latest}"].dropna()
        out.append(Headline(
            "very_strong_tension", "Métiers en tension très forte", f"{int((known == 5).sum())} sur {len(known)}", latest,
            TENSION_SOURCE, "Couples bassin d'emploi × métier classés en tension très forte (5 sur 5) selon la méthode "
            "de la DARES : difficulté à recruter, manque de candidats, conditions d'emploi.", True))
    return out


def of_territory(context: pd.DataFrame, ages: pd.DataFrame, year: int) -> list[Headline]:
    """The real figures of the whole territory, whatever the professions (apprenticeship contracts,
    people aged 75 and over), each at the latest year its source gives up to `year`."""
    out = []
    contracts = context[(context["indicator"] == "apprenticeship_contracts") & (context["year"] <= year)]
    if len(contracts):
        last = contracts.iloc[-1]
        out.append(Headline(
            "apprenticeship_contracts", "Contrats d'apprentissage, tous secteurs", formats.number(last["value"]),
            int(last["year"]), str(last["publisher"]),
            "Contrats d'apprentissage signés dans l'année dans le département, tous métiers confondus.", False,
            f"année incomplète, au {formats.day(last['period_end'])}" if last["partial"] else ""))
    oldest = needs.oldest(ages)
    oldest = oldest[oldest["year"] <= year]
    if len(oldest):
        last = oldest.iloc[-1]
        out.append(Headline(
            "population_75", "Personnes de 75 ans et plus", formats.number(last["population"]), int(last["year"]),
            "INSEE, estimations de population",
            f"Habitants de 75 ans et plus au 1er janvier ({formats.percent(last['share'])} de la population) : "
            "ceux qui auront le plus besoin d'aide à domicile et en établissement.", False))
    return out


def for_territory(con, territory: str, year: int) -> list[Headline]:
    """`of_territory` read from the database: it does not depend on the professions, so the pages
    cache it apart from the selection."""
    return of_territory(queries.departement_context(con, territory), needs.ages(con, territory), year)

