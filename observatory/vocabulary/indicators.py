"""Measures and indicators, declared once as data.

Every output (map, charts, tables, exports, the Méthodologie page, the SQL indicator views) reads
these definitions. A ratio indicator is always computed as a ratio of sums over the selection
(never an average of ratios), so a canton's value and the département's value are comparable.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    table: str
    people_count: bool  # counts of people fall under statistical secrecy
    group: str  # what a reader calls this family of figures (banner, export notes)
    estimate: bool = False  # placed in cantons by population shares (BMO): decimals, rounded for display
    helper: bool = False  # a base of an indicator, not a figure of its own (left out of the banner)


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure("seats", "Places en formation", "training", False, "formation par canton et métier"),
        Measure("applicants", "Candidats", "training", True, "formation par canton et métier"),
        Measure("enrolled", "Inscrits en formation", "training", True, "formation par canton et métier"),
        Measure("enrolled_apprenticeship", "Inscrits par apprentissage", "training", True, "formation par canton et métier"),
        Measure("graduates", "Diplômés", "training", True, "formation par canton et métier"),
        Measure("apprentices_new", "Nouveaux contrats d'apprentissage", "apprentices", True, "apprentis par métier"),
        Measure("apprentices_active", "Apprentis en contrat", "apprentices", True, "apprentis par métier"),
        Measure("offers_published", "Offres d'emploi publiées", "vacancies", False, "offres d'emploi"),
        Measure("offers_unfilled", "Offres non pourvues après 3 mois", "vacancies", False, "offres d'emploi"),
        Measure("recruitment_projects", "Projets de recrutement", "vacancies", False, "projets de recrutement", estimate=True),
        Measure("difficult_projects", "Projets de recrutement jugés difficiles", "vacancies", False, "projets de recrutement", estimate=True),
        # the projects of the bassin × métier rows whose difficult count is published: the share of
        # difficult projects is computed on the rows where both figures are known
        Measure("difficult_base", "Projets de recrutement dont la difficulté est publiée", "vacancies", False, "projets de recrutement",
                estimate=True, helper=True),
        Measure("placements_offered", "Places de stage offertes", "internships", False, "stages"),
        Measure("placements_sought", "Stagiaires cherchant une place", "internships", True, "stages"),
    ]
}


# Measures placed in cantons by population shares (the BMO's): decimals, a source's `*`, BMO notes.
ESTIMATES = [m.key for m in MEASURES.values() if m.estimate]


PER_100 = "pour 100"  # the unit of a ratio per 100 (« 133,0 pour 100 »), never written « % »


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # plain French for a non-specialist
    technical_name: str  # the term specialists use, shown on the Méthodologie page
    unit: str  # "%" (a share of a whole), "pour 100" (a ratio per 100, may pass 100) or "nombre"
    numerator: str
    denominator: str | None  # None: the indicator is the numerator's sum
    scale: float
    higher_is_worse: bool
    source: str
    definition: str
    decimals: int = 1
    # numerator and denominator summed over the same published rows: a part the source withheld is
    # left out of both, so the ratio stays exact where the counts are only lower bounds
    published_parts: bool = False

    @property
    def formula(self) -> str:
        num = MEASURES[self.numerator].label.lower()
        if self.denominator is None:
            return f"somme des {num}"
        den = MEASURES[self.denominator].label.lower()
        factor = "" if self.scale == 1 else f"{self.scale:g} × "
        return f"{factor}{num} ÷ {den}"

    @property
    def inputs(self) -> list[str]:
        """The measures the indicator is computed from."""
        return [self.numerator] + ([self.denominator] if self.denominator else [])

    @property
    def change_unit(self) -> str:
        """Year-over-year change: points for a rate, per cent for a count or a ratio."""
        return "points" if self.unit in ("%", PER_100) else "%"

    def tone(self, delta) -> str:
        """« worse », « better » or « same »: how a change of this indicator reads (colours follow it)."""
        if delta is None or delta != delta or delta == 0:
            return "same"
        return "worse" if (delta > 0) == self.higher_is_worse else "better"

    def compute(self, frame: pd.DataFrame) -> np.ndarray:
        """The indicator for each row; missing where the denominator is 0 or missing."""
        num = frame[self.numerator].to_numpy(dtype="float64")
        if self.denominator is None:
            return num
        den = frame[self.denominator].to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den != 0, self.scale * num / den, np.nan)

    def sql(self) -> str:
        """The same formula as `compute`, for the SQL indicator views (identifiers from MEASURES)."""
        if self.denominator is None:
            return f"{self.numerator}::DOUBLE"
        return f"{self.scale!r} * {self.numerator} / NULLIF({self.denominator}, 0)"


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in [
        Indicator(
            "unfilled_rate", "Offres d'emploi non pourvues après 3 mois", "Taux d'offres non pourvues à 3 mois",
            "%", "offers_unfilled", "offers_published", 100, True,
            "France Travail, offres d'emploi",
            "Part des offres publiées dans l'année qui n'étaient toujours pas pourvues trois mois après leur publication.",
        ),
        Indicator(
            "difficult_share", "Recrutements jugés difficiles par les employeurs", "Part des projets de recrutement difficiles (BMO)",
            "%", "difficult_projects", "difficult_base", 100, True,
            "France Travail, enquête Besoins en main-d'œuvre (BMO)",
            "Part des projets de recrutement que les employeurs déclarent difficiles, selon l'enquête BMO, ramenée aux cantons au prorata de la population des bassins d'emploi ; calculée sur les bassins et métiers BMO dont les deux chiffres sont publiés.",
            published_parts=True,
        ),
        Indicator(
            "offers_per_100_graduates", "Offres d'emploi pour 100 nouveaux diplômés", "Offres pour 100 diplômés",
            PER_100, "offers_published", "graduates", 100, True,
            "France Travail (offres) ; organismes de formation (diplômés)",
            "Nombre d'offres publiées dans l'année pour 100 personnes diplômées la même année. Au-delà de 100, il y a plus d'offres que de nouveaux diplômés.",
        ),
        Indicator(
            "training_coverage", "Nouveaux diplômés pour 100 recrutements prévus", "Couverture des besoins par la formation",
            PER_100, "graduates", "recruitment_projects", 100, False,
            "Organismes de formation (diplômés) ; enquête BMO (projets)",
            "Diplômés de l'année pour 100 projets de recrutement de l'enquête BMO. Sous 100, la formation ne couvre pas les besoins annoncés.",
        ),
        Indicator(
            "apprentice_share", "Part des élèves formés en apprentissage", "Part de l'apprentissage dans les inscrits",
            "%", "enrolled_apprenticeship", "enrolled", 100, False,
            "Organismes de formation, CFA",
            "Part des inscrits en formation qui suivent la voie de l'apprentissage.",
        ),
        Indicator(
            "offers_published", "Offres d'emploi publiées", "Offres d'emploi publiées",
            "nombre", "offers_published", None, 1, True,
            "France Travail, offres d'emploi",
            "Nombre d'offres d'emploi publiées dans l'année.", decimals=0,
        ),
        Indicator(
            "recruitment_projects", "Recrutements prévus par les employeurs", "Projets de recrutement (BMO)",
            "nombre", "recruitment_projects", None, 1, True,
            "France Travail, enquête Besoins en main-d'œuvre (BMO)",
            "Nombre de projets de recrutement déclarés par les employeurs pour l'année.", decimals=0,
        ),
        Indicator(
            "graduates", "Nouveaux diplômés", "Diplômés de l'année",
            "nombre", "graduates", None, 1, False,
            "Organismes de formation",
            "Nombre de personnes ayant obtenu dans l'année un diplôme menant au métier.", decimals=0,
        ),
        Indicator(
            "apprentices_new", "Nouveaux contrats d'apprentissage", "Entrées en apprentissage",
            "nombre", "apprentices_new", None, 1, False,
            "DARES, contrats d'apprentissage",
            "Nombre de contrats d'apprentissage commencés dans l'année.", decimals=0,
        ),
        Indicator(
            "placement_coverage", "Places de stage pour 100 stagiaires qui en cherchent", "Taux de couverture des stages",
            PER_100, "placements_offered", "placements_sought", 100, False,
            "Organismes de formation, employeurs",
            "Places de stage offertes pour 100 personnes en formation qui cherchent un stage.",
        ),
    ]
}

DEFAULT_INDICATOR = "difficult_share"  # real (BMO) on the embedded base; see `provenance.real_indicators`


# Access to training (computed from distances, not from MEASURES): read by the Accès page, its map
# and the Méthodologie page. Its "measures" are the population columns of `queries.access_table`.
ACCESS_INDICATOR = Indicator(
    "far_share", "Habitants loin de toute formation au métier", "Part de la population à plus de N km d'un lieu de formation",
    "%", "population_far", "population", 100, True,
    "Lieux de formation connus de l'observatoire ; INSEE (population)",
    "Part des habitants du territoire dont la commune est à plus de la distance choisie (à vol d'oiseau) du lieu "
    "le plus proche qui forme au métier.",
)

# Context figures partners may import per canton (source required): label and unit.
CANTON_PRESSURES = {
    "menages_sans_voiture": ("Ménages sans voiture", "%"),
    "places_accueil_jeunes_enfants": ("Places d'accueil pour 100 enfants de moins de 3 ans", "places pour 100"),
    "loyer_m2": ("Loyer moyen", "€ par m²"),
}
