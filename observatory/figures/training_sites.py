"""Real training sites (Parcoursup, MESR-SIES): which diplomas lead to a profession, where they are
taught, and the places, candidates and admissions of each formation as published. A diploma that
leads to several professions is shown whole for each of them, never split."""
from __future__ import annotations

import pandas as pd

from observatory.figures import queries
from observatory.vocabulary import formats

SOURCE = "MESR-SIES, Parcoursup 2018 et 2019 (formations, places, candidats et admis), Licence Ouverte"


def formations(con, professions: tuple[str, ...] = (), territory: str = "", area: str | None = None) -> pd.DataFrame:
    """The Parcoursup formations of the territory's (or one area's) sites whose diploma leads to one
    of `professions` (none: every one), each session, the latest first."""
    return queries.run(con, "site_formations", {"professions": list(professions), "area": area,
                                                **queries.territory_parameters(territory)})


def site_intakes(con, profession: str, territory: str = "") -> pd.DataFrame:
    """The territory's Parcoursup formations that lead to `profession`, each session."""
    return formations(con, (profession,), territory)


def area_sites(con, area: str, professions: tuple[str, ...] = ()) -> pd.DataFrame:
    """One area's Parcoursup formations (those leading to `professions`, or all), each session."""
    return formations(con, professions, area=area)


def diplomas(con, profession: str) -> pd.DataFrame:
    """code, label, level, note, sites (in France), year: the diplomas that lead to `profession`."""
    return queries.run(con, "profession_diplomas", {"profession": profession})


def listed(diplomas: pd.DataFrame) -> bool:
    """Whether an open list of the profession's training sites is loaded (some diploma has sites)."""
    return bool(len(diplomas) and diplomas["sites"].fillna(0).gt(0).any())


def sites_sentence(diplomas: pd.DataFrame) -> str:
    """Which real places the map uses for the profession, and where they come from."""
    parts = [f"{row.label} ({formats.number(row.sites)} lieux en France, Parcoursup {int(row.year)})"
             for row in diplomas.itertuples() if row.sites]
    notes = " ".join(row.note for row in diplomas.itertuples() if row.sites and row.note)
    return ("Lieux de formation réels : " + " ; ".join(parts) + ". Ceux de toute la France comptent : l'école la plus "
            f"proche d'une commune peut être dans un département voisin. {notes} Source : {SOURCE} (donnée réelle).")


NO_OPEN_LIST = (
    "Aucune liste ouverte des lieux qui forment au métier « {label} » n'a été trouvée : ses écoles ne recrutent pas "
    "par Parcoursup (c'est le cas des diplômes d'accompagnant éducatif et social, d'aide-soignant, d'auxiliaire de "
    "puériculture, d'assistant de vie aux familles, de technicien de l'intervention sociale et familiale ou de "
    "moniteur-éducateur, hors lycées). La carte des déserts de formation ne se dessine donc pas sur ce métier : elle "
    "attend le modèle des organismes partenaires, ou le catalogue des formations du Carif-Oref, que le chargé de "
    "données importe depuis la page Données.")

METHOD = (
    "- **Lieux de formation réels** : les formations Parcoursup (sessions 2018 et 2019, MESR-SIES) des diplômes qui "
    "mènent à nos métiers (diplôme d'État d'infirmier, d'éducateur spécialisé, "
    "d'assistant de service social, d'éducateur de jeunes enfants, d'éducateur technique spécialisé, BTS économie "
    "sociale familiale, BTS services et prestations des secteurs sanitaire et social). Un lieu est un établissement "
    "(numéro UAI) et, s'il en a plusieurs, un de ses sites, à la position GPS publiée ; dans le territoire, sa commune "
    "est celle dont le centre est le plus proche de cette position, dans le canton qui la contient. Les lieux de toute "
    "la France comptent dans les distances. Un diplôme qui mène à plusieurs métiers (le BTS SP3S) compte pour chacun, "
    "ses places ne sont jamais partagées. Places, candidats, propositions et admis sont ceux de chaque formation, "
    "tels que publiés ; deux rentrées d'une même école (septembre et février) sont deux formations. Dès qu'un métier "
    "a des lieux réels, les lieux de démonstration de ce métier sont retirés.")

NO_AREA_SITES = ("Aucune formation Parcoursup des diplômes de nos métiers dans ce territoire{chosen}. Les écoles qui ne "
                 "recrutent pas par Parcoursup (aide-soignant, accompagnant éducatif et social, auxiliaire de "
                 "puériculture…) n'ont pas de liste ouverte : le modèle des organismes partenaires les ajoute.")
