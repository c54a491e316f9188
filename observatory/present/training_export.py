"""The training measures of the real sites (Parcoursup) as a file: one row per formation and
session, or summed by canton (the exact sum of its sites' formations), with the source and the
years in the notes, in the formats of the other exports."""
from __future__ import annotations

from datetime import date

import pandas as pd

from observatory.figures import queries, training_sites
from observatory.present.export import PlainTable
from observatory.vocabulary import formats

LEVELS = {"lieu": "par lieu de formation", "canton": "par canton"}
FIGURES = ["places", "candidates", "proposals", "admitted"]
FIGURE_LABELS = ["Places", "Candidatures", "Propositions d'admission", "Admis"]


def table(frame: pd.DataFrame, level: str, professions: tuple[str, ...], place: str, today: date,
          labels: dict[str, str]) -> PlainTable:
    """`training_sites.formations` as a file at `level`: « lieu » (each formation) or « canton » (their sums); `labels`:
    profession code → its name."""
    if level == "canton":
        summed = (frame.groupby(["canton_code", "canton", "departement_code", "diploma", "year"], as_index=False)
                  .agg(sites=("uai", "nunique"), **{f: (f, "sum") for f in FIGURES}))
        columns = ["Code du canton", "Canton", "Département", "Diplôme", "Session", "Lieux de formation", *FIGURE_LABELS]
        body = [[r.canton_code, r.canton, r.departement_code, r.diploma, int(r.year), int(r.sites),
                 *(int(getattr(r, f)) for f in FIGURES)] for r in summed.itertuples()]
    else:
        columns = ["Lieu de formation", "UAI", "Commune", "Code du canton", "Canton", "Département", "Diplôme",
                   "Métiers auxquels il mène", "Formation", "Session", *FIGURE_LABELS]
        body = [[r.site, r.uai, r.commune, r.canton_code, r.canton, r.departement_code, r.diploma,
                 ", ".join(labels.get(p, p) for p in r.professions), r.formation, int(r.year), *(int(getattr(r, f)) for f in FIGURES)]
                for r in frame.itertuples()]
    years = sorted(int(y) for y in frame["year"].unique())
    notes = [("Contenu", f"Formations Parcoursup des diplômes de nos métiers, {LEVELS[level]}"),
             ("Territoire", place), ("Métiers", ", ".join(labels.get(p, p) for p in professions) or "tous"),
             ("Sessions", ", ".join(map(str, years)) or "aucune"), ("Date du fichier", formats.day(today)),
             ("Source", f"{training_sites.SOURCE} (donnée réelle, publiée par formation : jamais estimée)"),
             ("Candidatures", "Une personne candidate souvent à plusieurs formations : la somme des candidatures d'un "
                              "canton compte des demandes, pas des personnes."),
             ("Diplôme à plusieurs métiers", "Ses chiffres sont donnés entiers pour chacun des métiers auxquels il "
                                             "mène, jamais partagés : ne pas additionner d'un métier à l'autre.")]
    return PlainTable(columns, body, notes)


def for_filters(con, filters: queries.Filters, level: str, today: date) -> PlainTable:
    """The file of the filters' professions and territory, at `level`."""
    frame = training_sites.formations(con, filters.professions, filters.territory).sort_values(
        ["departement_code", "canton_code", "site", "formation", "year"])
    return table(frame, level, filters.professions,
                 queries.territory_name(con, filters.territory), today, queries.profession_labels(con))
