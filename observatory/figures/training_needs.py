"""Training against needs, real on both sides: the entry places of the territory's training sites
(Parcoursup, lycées' Affelnet seconde places, BTS) for 100 recruitment projects of the BMO survey,
per métier BMO. Each side keeps its own year, stated: the latest year with places of each diploma,
the latest BMO survey. A diploma leading to several of our professions counts whole for each métier
BMO it leads to, never split; a métier BMO whose diplomas have no published places is left out."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.figures import queries
from observatory.figures.training_sites import KIND_LABELS
from observatory.vocabulary import formats

SOURCE = ("Places d'entrée : MESR-SIES (Parcoursup), DGESCO et DEPP (Affelnet) ; projets de recrutement : "
          "France Travail, enquête BMO ; Licence Ouverte")
SLIDE_SOURCE = "Sources : Parcoursup (MESR-SIES) et Affelnet (DGESCO, DEPP) pour les places, enquête BMO pour les projets"
NAME = "Places pour 100 projets de recrutement"
BODY = ("places d'entrée en première année des formations du "
        "territoire (dernière année publiée de chaque diplôme) divisées par les projets de recrutement du "
        "métier BMO auquel ces diplômes mènent (dernière enquête BMO), multipliées par 100. Sous 100, la "
        "formation du territoire ouvre moins de places que les employeurs ne prévoient de recrutements ; "
        "les diplômés partent aussi ailleurs et des recrutés viennent d'ailleurs : c'est un ordre de "
        "grandeur, pas un bilan. Un diplôme qui mène à plusieurs métiers BMO compte entier pour chacun (le "
        "Bac pro ASSP : aides à domicile et agents de service hospitalier), jamais partagé. Seules comptent les "
        "formations dont les places sont publiées : ni le DEAES, ni le titre ADVF, ni les écoles d'aide-soignant "
        "n'en publient, si bien que le rapport est bas pour les métiers qu'elles préparent aussi.")
DEFINITION = f"{NAME} : {BODY}"
METHOD = f"- **{NAME}** : {BODY}"  # the Méthodologie page's entry

NONE = ("Aucun métier choisi n'a à la fois des places de formation publiées dans le territoire (Parcoursup, lycées) "
        "et des projets de recrutement de l'enquête BMO : la comparaison attend le modèle des organismes partenaires "
        "pour les formations sans liste ouverte (aide-soignant, accompagnant éducatif et social…).")


@dataclass(frozen=True)
class Row:
    bmo_code: str
    bmo_label: str
    places: int
    places_years: tuple  # (diploma, year, its sources' names), one per diploma, e.g. ("BTS SP3S", 2024, ("Parcoursup BTS",))
    projects: float | None  # published cells summed: a lower bound when some are withheld
    withheld: int
    bmo_year: int | None

    def years_text(self) -> str:
        """« DE infirmier : 2019 (Parcoursup) ; BTS SP3S : 2024 (Parcoursup BTS) »."""
        return " ; ".join(f"{diploma} : {year} ({' et '.join(kinds)})" for diploma, year, kinds in self.places_years)

    @property
    def per_100(self) -> float | None:
        return None if not self.projects else 100 * self.places / self.projects

    def ratio_text(self) -> str:
        """« 12,3 », or « au plus 12,3 » when some projects cells are withheld (the ratio is then an upper bound)."""
        if self.per_100 is None:
            return "non calculable"
        return ("au plus " if self.withheld else "") + formats.number(self.per_100, 1)


def rows(con, professions: tuple[str, ...], territory: str = "") -> list[Row]:
    """One row per métier BMO of the selection whose diplomas have entry places in the territory."""
    places = queries.run(con, "training_entry_places", {"professions": list(professions),
                                                        **queries.territory_parameters(territory)})
    if places.empty:
        return []
    latest = places[places["year"] == places.groupby(["bmo_code", "diploma_code"])["year"].transform("max")]
    projects = queries.run(con, "outlook_bmo", {**queries.territory_parameters(territory),
                                                "codes": sorted(set(latest["bmo_code"]))})
    found = []
    for (code, label), group in latest.groupby(["bmo_code", "bmo_label"], sort=True):
        survey = projects[projects["bmo_code"] == code]
        last = survey[survey["year"] == survey["year"].max()] if len(survey) else survey
        years = tuple((d, int(y), tuple(KIND_LABELS[k] for k in sorted(set(g["kind"]))))
                      for (d, y), g in group.groupby(["diploma", "year"], sort=True))
        found.append(Row(code, label, int(group["places"].sum()), years,
                         float(last["projects"].sum()) if len(last) else None,
                         int(last["withheld"].sum()) if len(last) else 0,
                         int(last["year"].iloc[0]) if len(last) else None))
    return found


def table(found: list[Row]) -> pd.DataFrame:
    """The rows for reading (métier BMO first: a phone's card is titled with it)."""
    return pd.DataFrame({
        "Métier BMO": [r.bmo_label for r in found],
        "Places d'entrée en formation": [formats.number(r.places) for r in found],
        "Année des places (diplôme)": [r.years_text() for r in found],
        "Projets de recrutement": [("au moins " if r.withheld else "") + formats.number(r.projects)
                                   if r.projects is not None else "non publiés" for r in found],
        "Année BMO": [str(r.bmo_year) if r.bmo_year else "" for r in found],
        "Places pour 100 projets": [r.ratio_text() for r in found],
    })


def sentence(found: list[Row], place: str) -> str:
    """What the table says, in one sentence (the lowest ratio first: where training lags most)."""
    known = sorted((r for r in found if r.per_100 is not None), key=lambda r: r.per_100)
    if not known:
        return f"{place} : aucun métier n'a à la fois des places de formation publiées et des projets de recrutement."
    low = known[0]
    return (f"{place} : {low.ratio_text()} places d'entrée en formation pour 100 projets de recrutement pour le métier "
            f"« {low.bmo_label} », le plus bas des {len(known)} métiers BMO comparables.")


def years_line(found: list[Row]) -> str:
    """« places de Bac pro ASSP 2021, DE infirmier 2019 ; projets BMO 2025 », for a slide's source."""
    places = ", ".join(dict.fromkeys(f"{diploma} {year}" for r in found for diploma, year, _ in r.places_years))
    surveys = sorted({r.bmo_year for r in found if r.bmo_year})
    return f"places de {places} ; projets BMO {', '.join(map(str, surveys))}"
