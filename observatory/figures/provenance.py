"""Whether a figure is real or demo, and where it comes from, in the French every output uses.

`queries.figure_sources` says, per measure and span of years, which sources fed it (table
`measure_source`, built with the store). A figure is real when every source behind it is real;
a ratio is demo as soon as one of its two measures is (« un rapport qui mêle réel et
démonstration est de la démonstration »).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.vocabulary.indicators import INDICATORS, MEASURES, Indicator

REAL = "donnée réelle"
DEMO = "démonstration"
DEMO_SENTENCE = "chiffres fictifs, générés pour montrer l'outil"
BMO_ESTIMATE = ("estimation par canton : les chiffres BMO, publiés par bassin d'emploi et par métier BMO, "
                "sont répartis au prorata de la population des communes du bassin")
NOMENCLATURE_YEARS = (2023, 2025)  # BMO 2023 in FAP 2009, BMO 2025 in FAP 2021


def bmo_scope(labels: list[str]) -> str:
    """Which métiers BMO a BMO figure of the selection covers (empty list: every one followed)."""
    if not labels:
        return "projets BMO de tous les métiers BMO suivis"
    return "projets BMO des métiers BMO " + ", ".join(labels)


def nomenclature_note(labels: list[str]) -> str:
    """The warning under a BMO series that spans the change of nomenclature."""
    return ("Enquête BMO : la nomenclature des métiers a changé entre 2023 (FAP 2009) et 2025 (FAP 2021) ; "
            "la comparaison n'est qu'approchée pour " + ", ".join(labels) + " (voir la page Méthodologie).")


@dataclass(frozen=True)
class Nature:
    is_demo: bool
    real_sources: tuple[str, ...]  # labels of the real sources behind the figure

    @property
    def short(self) -> str:
        """« donnée réelle · BMO 2025, France Travail », « démonstration »…"""
        if not self.is_demo:
            return f"{REAL} · {' ; '.join(self.real_sources)}"
        if self.real_sources:
            return f"{DEMO} (mêlée à des données réelles)"
        return DEMO


def of_measures(sources: pd.DataFrame, measures: list[str]) -> Nature | None:
    """The nature of a figure made of `measures` (None: no source has any of them in the span)."""
    rows = sources[sources["measure"].isin(measures)]
    if rows.empty:
        return None
    real = tuple(sorted(set(rows.loc[~rows["is_demo"].astype(bool), "label"])))
    return Nature(bool(rows["is_demo"].astype(bool).any()), real)


def of_indicator(sources: pd.DataFrame, indicator: Indicator) -> Nature | None:
    """A ratio's nature: demo if either of its measures is demo in the span."""
    natures = [of_measures(sources, [m]) for m in indicator.inputs]
    if any(n is None for n in natures):
        return None
    real = tuple(sorted({s for n in natures for s in n.real_sources}))
    return Nature(any(n.is_demo for n in natures), real)


def short(sources: pd.DataFrame, indicator: Indicator) -> str:
    nature = of_indicator(sources, indicator)
    return nature.short if nature else "pas de donnée"


def banner(sources: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(real, demo): the families of figures of each kind in the span (« projets de recrutement
    (Enquête … 2025 (France Travail)) », « offres d'emploi »…), for the banner and export notes."""
    real: dict[str, set[str]] = {}
    demo: list[str] = []
    for key, measure in MEASURES.items():
        nature = of_measures(sources, [key])
        if nature is None or measure.helper:
            continue
        if nature.is_demo:
            if measure.group not in demo:
                demo.append(measure.group)
        else:
            real.setdefault(measure.group, set()).update(nature.real_sources)
    return [f"{group} ({' ; '.join(sorted(labels))})" for group, labels in real.items()], demo


ALWAYS_REAL = ["tension par bassin d'emploi (Pôle emploi et DARES, 2020-2021)",
               "lieux de formation, places, candidats et élèves par établissement (Parcoursup, lycées)",
               "population et géographie (INSEE, IGN)"]
DEMO_SWITCH = "« Inclure les chiffres de démonstration » (filtres, Réglages)"


def real_banner_text(sources: pd.DataFrame) -> str | None:
    """The banner without demo mode: the real figures of the span, and that demo ones are left out
    (None when the span has no demo figure to leave out)."""
    real, demo = banner(sources)
    if not demo:
        return None
    return (f"**Chiffres réels** : {', '.join(real + ALWAYS_REAL)}. Des chiffres fictifs montrent, sur demande "
            f"(Réglages de la barre latérale), ce que l'observatoire fera des fichiers qui manquent encore : "
            f"{', '.join(demo)}.")


def demo_banner_text(sources: pd.DataFrame) -> str:
    """The banner in demo mode: a marker on every page, and which figures are demo."""
    real, demo = banner(sources)
    text = (f"**Mode démonstration** : des chiffres fictifs, générés pour montrer l'outil, sont mêlés à l'affichage "
            f"et marqués « {DEMO} » ({', '.join(demo) or 'aucun pour ces années'}). ")
    return text + f"**Chiffres réels** : {', '.join(real + ALWAYS_REAL)}. {DEMO_SWITCH} les retire."


# What a page says where, without demo mode, it has no real figure to show; the data officer's way
# to fill it is named (the Données page).
NO_REAL_PROVIDERS = ("Aucun lieu de formation réel n'est encore chargé pour cette sélection : les lieux de "
                     "démonstration ne sont montrés qu'avec " + DEMO_SWITCH + ". Le catalogue des formations "
                     "(ONISEP, Carif-Oref) s'importe depuis la page Données.")
DEMO_PROVIDERS = f"Lieux de formation de la carte : {DEMO} ({DEMO_SENTENCE}), marqués « (démo) »."
FILL_WITH_PARTNER_FILE = ("le modèle des organismes partenaires (page Export), une fois rempli, s'importe depuis "
                          "la page Données")


def no_real_figures(what: str, fill: str = FILL_WITH_PARTNER_FILE) -> str:
    """« Aucun chiffre réel de places de stage pour cette sélection… » (`what` with its « de » or « d' »)."""
    return (f"Aucun chiffre réel {what} pour cette sélection : {fill}. Les chiffres de démonstration ne sont "
            f"montrés qu'avec {DEMO_SWITCH}.")


def deck_notice(sources: pd.DataFrame, demo: bool) -> str | None:
    """The line on every slide: the demo-mode marker and which figures are demo, kept to one or two
    lines (each slide's source line says what its own figures are); nothing without demo mode."""
    if not demo:
        return None
    _, fictional = banner(sources)
    return (f"**Mode démonstration** : des chiffres fictifs, marqués « {DEMO} », sont mêlés aux chiffres réels "
            f"({', '.join(fictional) or 'aucun pour ces années'}).")


def headline_nature(source: str, year: int, note: str = "") -> str:
    """« donnée réelle · INSEE, estimations de population, 2023 »: under a headline figure."""
    return f"{REAL} · {source}, {year}" + (f" ({note})" if note else "")


def partial_offers_sentence(offers: int, non_localised: int, coverage: str | None, year: int) -> str:
    """What a search snapshot of real offers says on the home page, apart from the year's figures."""
    located = f", dont {non_localised} ne précisant que le département" if non_localised else ""
    return (f"Offres d'emploi réelles France Travail de {year}, {coverage or 'instantané de recherche'} : "
            f"{offers} pour la sélection{located} ({REAL}, partielle). Un instantané ne couvre pas l'année : "
            "il n'est ni ajouté aux offres ci-dessus ni comparé aux années complètes.")


def row_nature(is_demo: bool) -> str:
    """A detailed row's nature column (export, tables)."""
    return DEMO if is_demo else REAL


def real_measures(sources: pd.DataFrame) -> list[str]:
    """The measures whose figures are real over the span, in the order of MEASURES."""
    return [key for key in MEASURES if (nature := of_measures(sources, [key])) is not None and not nature.is_demo]


def real_indicators(sources: pd.DataFrame) -> list[str]:
    """The indicators whose figures are real over the span (every source behind them real), in the
    order of INDICATORS: the only ones shown without demo mode."""
    return [key for key, indicator in INDICATORS.items()
            if (nature := of_indicator(sources, indicator)) is not None and not nature.is_demo]


def indicator_labels(sources: pd.DataFrame) -> dict[str, str]:
    return {key: short(sources, indicator) for key, indicator in INDICATORS.items()}
