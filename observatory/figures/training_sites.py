"""Real training sites and their figures: which diplomas lead to a profession, where they are taught,
and per formation and year what its source publishes: Parcoursup sessions (places, candidates,
proposals, admitted), the lycées' Affelnet wishes (places, first wishes), the BTS wishes (places,
candidates), the pupils at the start of the school year. A diploma that leads to several professions
is shown whole for each of them, never split; a figure is never estimated nor carried to another year."""
from __future__ import annotations

import pandas as pd

from observatory.figures import queries
from observatory.vocabulary import formats

PARCOURSUP = "MESR-SIES, Parcoursup 2018 et 2019 (formations, places, candidats et admis), Licence Ouverte"
KIND_LABELS = {  # site_intake.kind → its short French name, in tables, exports and the places' years
    "parcoursup": "Parcoursup", "bts": "Parcoursup BTS", "affelnet": "Affelnet", "constat": "constat de rentrée",
    "partenaire": "transmis par le partenaire"}
SOURCES = {  # site_intake.kind → its source, for the captions and the exported notes
    "parcoursup": "MESR-SIES, Parcoursup (sessions 2018, 2019 et 2024 : places, candidats, propositions, admis)",
    "bts": "MESR-SIES, Parcoursup (BTS, sessions 2022 à 2024 : places et vœux confirmés)",
    "affelnet": "DGESCO et DEPP, Affelnet (rentrées 2021 et 2022 : places et premiers vœux des lycées)",
    "constat": "DEPP, constat de rentrée 2020 (élèves par lycée et formation)",
    "partenaire": "chiffres transmis par l'organisme (modèle partenaires : places, candidats, inscrits comptés comme élèves)",
}
SOURCE = " ; ".join(SOURCES.values()) + " ; Licence Ouverte"
FIGURES = ["places", "candidates", "admitted", "first_wishes", "pupils"]


def formations(con, professions: tuple[str, ...] = (), territory: str = "", area: str | None = None) -> pd.DataFrame:
    """The formations of the territory's (or one area's) sites whose diploma leads to one of
    `professions` (none: every one), each year and source, by place and diploma."""
    every = queries.run(con, "site_formations", {"area": area, **queries.territory_parameters(territory)})
    return leading_to(every, professions)


def leading_to(frame: pd.DataFrame, professions: tuple[str, ...]) -> pd.DataFrame:
    """The formations of `frame` whose diploma leads to one of `professions` (all when none is chosen):
    a diploma of several professions is kept whole for each."""
    if not professions:
        return frame
    chosen = set(professions)
    return frame[[bool(chosen.intersection(leads)) for leads in frame["professions"]]]


def site_intakes(con, profession: str, territory: str = "") -> pd.DataFrame:
    """The territory's formations that lead to `profession`, each year and source."""
    return formations(con, (profession,), territory)


def area_sites(con, area: str, professions: tuple[str, ...] = ()) -> pd.DataFrame:
    """One area's formations (those leading to `professions`, or all), each year and source."""
    return formations(con, professions, area=area)


def per_place(frame: pd.DataFrame, demands: str) -> pd.Series:
    """`demands` (candidates, first wishes) for one place, on the rows that give both and some places:
    the selectivity of a formation or of a sum of them; NaN where it cannot be told."""
    both = frame[demands].notna() & frame["places"].notna() & (frame["places"] > 0)
    return (frame[demands].where(both) / frame["places"].where(both)).astype(float)


def totals(frame: pd.DataFrame) -> pd.DataFrame:
    """`formations` summed by département, diploma, year and source: sites (of which not placed),
    each figure (the sum of the sites that give it: exact, never estimated; NaN when none gives it),
    and candidates and first wishes per place on the formations that give both."""
    if frame.empty:
        return pd.DataFrame(columns=["departement_code", "departement", "diploma_short", "year", "kind", "sites", "unplaced",
                                     *FIGURES, "candidates_per_place", "wishes_per_place"])
    rows = frame.assign(
        unplaced_site=frame["site_id"].where(~frame["placed"].astype(bool)),
        places_of_candidates=frame["places"].where(frame["candidates"].notna() & (frame["places"] > 0)),
        candidates_with_places=frame["candidates"].where(frame["places"] > 0),
        places_of_wishes=frame["places"].where(frame["first_wishes"].notna() & (frame["places"] > 0)),
        wishes_with_places=frame["first_wishes"].where(frame["places"] > 0))
    keys = ["departement_code", "departement", "diploma_short", "year", "kind"]
    parts = ["places_of_candidates", "candidates_with_places", "places_of_wishes", "wishes_with_places"]
    grouped = rows.groupby(keys)
    summed = grouped[FIGURES + parts].sum(min_count=1).join(  # NaN where no site gives the figure
        grouped.agg(sites=("site_id", "nunique"), unplaced=("unplaced_site", "nunique"))).reset_index()
    summed["candidates_per_place"] = (summed["candidates_with_places"] / summed["places_of_candidates"]).astype(float)
    summed["wishes_per_place"] = (summed["wishes_with_places"] / summed["places_of_wishes"]).astype(float)
    return summed.drop(columns=parts).sort_values(["departement_code", "diploma_short", "year", "kind"],
                                                  ascending=[True, True, False, True])


def unplaced_sentence(frame: pd.DataFrame) -> str:
    """Which establishments of `formations` no directory places ('' when all are placed)."""
    away = frame[~frame["placed"].astype(bool)]
    unplaced = sorted({uai if isinstance(uai, str) and uai else site for uai, site in zip(away["uai"], away["site"])})
    if not unplaced:
        return ""
    return (f"{formats.number(len(unplaced))} établissement(s) n'ont de lieu connu dans aucun annuaire ouvert chargé "
            f"({', '.join(unplaced)}) : leurs chiffres comptent dans le total de leur département, dans aucun canton "
            "ni sur aucune carte.")


def caption(frame: pd.DataFrame, lead: str) -> str:
    """The sources of `formations`' rows and how to read them, after `lead` (« Chiffres de chaque formation »)."""
    kinds = [kind for kind in SOURCES if kind in set(frame["kind"])]
    names = dict(zip(frame["diploma_short"], frame["diploma"]))
    text = (f"{lead}. " + " ; ".join(f"{short} : {name}" for short, name in sorted(names.items())) + ". Sources : " + " ; ".join(SOURCES[k] for k in kinds) + " (données réelles, Licence Ouverte). "
            "Candidats : les personnes qui ont demandé la formation (une personne en demande souvent plusieurs) ; "
            "premiers vœux : les élèves de troisième qui l'ont mise en premier ; une case vide : la source ne donne "
            "pas ce chiffre.")
    unplaced = unplaced_sentence(frame)
    return text + (" " + unplaced if unplaced else "")


def diplomas(con, profession: str) -> pd.DataFrame:
    """code, label, level, note, sites (in France, used by distances), year: the diplomas that lead to `profession`."""
    return queries.run(con, "profession_diplomas", {"profession": profession})


def listed(diplomas: pd.DataFrame) -> bool:
    """Whether an open list of the profession's training sites fit for distances is loaded."""
    return bool(len(diplomas) and diplomas["sites"].fillna(0).gt(0).any())


def sites_sentence(diplomas: pd.DataFrame) -> str:
    """Which real places the map uses for the profession, and where they come from."""
    parts = [f"{row.label} ({formats.number(row.sites)} lieux en France, Parcoursup {int(row.year)})"
             for row in diplomas.itertuples() if row.sites]
    notes = " ".join(row.note for row in diplomas.itertuples() if row.sites and row.note)
    return ("Lieux de formation réels : " + " ; ".join(parts) + ". Ceux de toute la France comptent : l'école la plus "
            f"proche d'une commune peut être dans un département voisin. {notes} Source : {PARCOURSUP} (donnée réelle).")


NO_OPEN_LIST = (
    "Aucune liste ouverte et complète des lieux qui forment au métier « {label} » n'a été trouvée : ses écoles ne "
    "recrutent pas par Parcoursup (c'est le cas des diplômes d'accompagnant éducatif et social, d'aide-soignant, "
    "d'auxiliaire de puériculture, d'assistant de vie aux familles, de technicien de l'intervention sociale et "
    "familiale ou de moniteur-éducateur), ou le fichier ouvert ne donne pas la position de toutes ses écoles "
    "(lycées ; écoles d'ergothérapie et de psychomotricité, dans Parcoursup 2024 sans leur position). La carte des "
    "déserts de formation ne se dessine donc pas sur ce métier : elle attend le modèle des organismes partenaires, "
    "ou le catalogue des formations du Carif-Oref, que le chargé de données importe depuis la page Données.")

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
    "a des lieux réels, les lieux de démonstration de ce métier sont retirés.\n"
    "- **Parcoursup 2024** : le fichier ouvert de la session 2024 n'a ni numéro d'établissement ni position ; une "
    "formation y est reconnue à son libellé, un établissement au même nom dans la même commune qu'un lieu déjà "
    "connu (sinon un nouveau lieu, au centre de sa commune, ou au niveau de son département). Ces lieux ne servent "
    "pas aux distances. Pour un BTS que donne aussi le fichier des BTS (avec l'apprentissage), seul ce dernier "
    "compte.\n"
    "- **Formations des lycées** : élèves du constat de rentrée 2020 (DEPP), places et premiers vœux d'Affelnet "
    "(rentrées 2021 et 2022), places et vœux confirmés des BTS (Parcoursup 2022 à 2024), pour le baccalauréat "
    "professionnel ASSP, le CAP accompagnant éducatif petite enfance, la mention (puis certificat) aide à domicile et "
    "les BTS SP3S et ESF, reconnus par leur code de formation (MEF, nomenclature BCN). Deux classes d'une même "
    "formation d'un lycée sont additionnées. Un lycée est placé par l'annuaire des lycées, les lieux d'enseignement de "
    "l'ONISEP ou la position de ses formations Parcoursup ; celui qu'aucun ne place compte au niveau de son "
    "département seulement, jamais deviné. Ces listes ne servent pas aux distances : elles ne donnent pas la "
    "position de tous les lycées.\n"
    "- **Candidats pour une place** : candidats (Parcoursup, vœux confirmés des BTS) divisés par les places, sur les "
    "formations qui donnent les deux ; une personne candidate à plusieurs formations compte dans chacune. **Premiers "
    "vœux pour une place** : la même chose avec les vœux de premier rang d'Affelnet.")

NO_AREA_SITES = ("Aucune formation des diplômes de nos métiers n'est publiée dans ce territoire{chosen} (Parcoursup, "
                 "fichiers des lycées). Les écoles qui ne recrutent pas par Parcoursup (aide-soignant, accompagnant "
                 "éducatif et social, auxiliaire de puériculture…) n'ont pas de liste ouverte : le modèle des "
                 "organismes partenaires les ajoute.")
