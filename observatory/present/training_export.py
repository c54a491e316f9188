"""The training measures of the real sites as a file: one row per formation, year and source
(Parcoursup sessions, lycées' wishes, BTS wishes, pupils), or summed by canton (the exact sum of its
sites' formations; a site no directory places is summed at its département's level), with the
sources and years in the notes, in the formats of the other exports."""
from __future__ import annotations

from datetime import date

import pandas as pd

from observatory.figures import queries, training_sites
from observatory.present.export import PlainTable
from observatory.figures.training_sites import KIND_LABELS
from observatory.vocabulary import formats

LEVELS = {"lieu": "par lieu de formation", "canton": "par canton"}
FIGURES = ["places", "candidates", "first_wishes", "pupils", "proposals", "admitted"]
FIGURE_LABELS = ["Places", "Candidatures", "Premiers vœux", "Élèves", "Propositions d'admission", "Admis"]
DEPARTEMENT_ONLY = "sans lieu connu (département seulement)"


def _cell(value):
    """A whole figure, or an empty cell where the source gives none."""
    return "" if pd.isna(value) else int(value)


def table(frame: pd.DataFrame, level: str, professions: tuple[str, ...], place: str, today: date,
          labels: dict[str, str]) -> PlainTable:
    """`training_sites.formations` as a file at `level`: « lieu » (each formation) or « canton » (their sums); `labels`:
    profession code → its name."""
    frame = frame.assign(canton_code=frame["canton_code"].fillna(""), canton=frame["canton"].fillna(DEPARTEMENT_ONLY),
                         commune=frame["commune"].fillna(""), pathway=frame["pathway"].fillna(""))
    if level == "canton":
        summed = (frame.groupby(["canton_code", "canton", "departement_code", "diploma", "year", "kind", "pathway"],
                                as_index=False)
                  .agg(sites=("site_id", "nunique"), **{f: (f, lambda s: s.sum(min_count=1)) for f in FIGURES}))
        summed = summed.sort_values("canton_code", key=lambda codes: codes == "", kind="stable")  # placed ones first
        columns = ["Code du canton", "Canton", "Département", "Diplôme", "Année", "Source", "Voie",
                   "Lieux de formation", *FIGURE_LABELS]
        body = [[r.canton_code, r.canton, r.departement_code, r.diploma, int(r.year), KIND_LABELS[r.kind], r.pathway,
                 int(r.sites), *(_cell(getattr(r, f)) for f in FIGURES)] for r in summed.itertuples()]
    else:
        columns = ["Lieu de formation", "UAI", "Commune", "Code du canton", "Canton", "Département", "Diplôme",
                   "Métiers auxquels il mène", "Formation", "Année", "Source", "Voie", *FIGURE_LABELS]
        body = [[r.site, r.uai if isinstance(r.uai, str) else "", r.commune, r.canton_code, r.canton, r.departement_code, r.diploma,
                 ", ".join(labels.get(p, p) for p in r.professions), r.formation, int(r.year), KIND_LABELS[r.kind],
                 r.pathway, *(_cell(getattr(r, f)) for f in FIGURES)]
                for r in frame.itertuples()]
    kinds = [k for k in training_sites.SOURCES if k in set(frame["kind"])]
    notes = [("Contenu", f"Formations des diplômes de nos métiers, {LEVELS[level]}"),
             ("Territoire", place), ("Métiers", ", ".join(labels.get(p, p) for p in professions) or "tous"),
             *((f"Années ({KIND_LABELS[k]})", ", ".join(map(str, sorted(int(y) for y in frame.loc[frame["kind"] == k, "year"]
                                                                       .unique())))) for k in kinds),
             ("Date du fichier", formats.day(today)),
             ("Sources", " ; ".join(training_sites.SOURCES[k] for k in kinds) + " (données réelles, Licence Ouverte, "
                         "publiées par formation : jamais estimées)"),
             ("Case vide", "La source de la ligne ne donne pas ce chiffre (Affelnet : places et premiers vœux ; BTS : "
                           "places et vœux confirmés, comptés comme candidatures ; constat de rentrée : élèves)."),
             ("Candidatures", "Une personne candidate souvent à plusieurs formations : la somme des candidatures d'un "
                              "canton compte des demandes, pas des personnes."),
             ("Lieu inconnu", f"Un établissement qu'aucun annuaire ouvert ne place est compté « {DEPARTEMENT_ONLY} »."),
             ("Diplôme à plusieurs métiers", "Ses chiffres sont donnés entiers pour chacun des métiers auxquels il "
                                             "mène, jamais partagés : ne pas additionner d'un métier à l'autre.")]
    return PlainTable(columns, body, notes)


def for_filters(con, filters: queries.Filters, level: str, today: date) -> PlainTable:
    """The file of the filters' professions and territory, at `level`."""
    frame = training_sites.formations(con, filters.professions, filters.territory).sort_values(
        ["departement_code", "canton_code", "site", "diploma", "kind", "formation", "pathway", "year"], na_position="last")
    return table(frame, level, filters.professions,
                 queries.territory_name(con, filters.territory), today, queries.profession_labels(con))
