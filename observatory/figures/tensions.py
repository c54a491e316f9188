"""Why recruiting is hard: DARES's tension indicator and its six components (2019 edition, FAP 2009),
and the official list of occupations in shortage, for the selected professions and territory.

Our professions reach FAP 2009 families through the métiers BMO that contain them
(`profession.fap2009_codes`). Places are written 'FR', 'R:<région>' or 'D:<département>'.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from observatory.figures import queries
from observatory.vocabulary import formats
from observatory.figures.filter_grammar import Filters

EDITION = 2019
# Each component of the indicator, in the order DARES lists them, with its French name.
COMPONENTS = {
    "hiring_intensity": "Intensité des embauches",
    "training_mismatch": "Lien entre formation et emploi",
    "labour_shortage": "Manque de main-d'œuvre disponible",
    "non_durable_jobs": "Non-durabilité de l'emploi",
    "working_conditions": "Conditions de travail contraignantes",
    "geographic_mismatch": "Inadéquation géographique",
}
CATEGORIES = {1: "très faible", 2: "faible", 3: "moyenne", 4: "forte", 5: "très forte"}
SOURCE = (f"DARES et Pôle emploi, « Les tensions sur le marché du travail », édition {EDITION} (nomenclature "
          "FAP 2009, reliée à nos métiers par les métiers BMO qui les contiennent)")


def families(con, professions: tuple[str, ...]) -> list[str]:
    """The FAP 2009 families of the selected professions (all of ours for an empty selection)."""
    links = queries.profession_bmo(con)
    if professions:
        links = links[links["profession_code"].isin(professions)]
    return sorted({code for codes in links["fap2009_codes"] for code in codes})


def places(con, territory: str) -> list[str]:
    """The place of the territory and the larger ones it sits in: département, région, France."""
    deps = queries.fixed(con, "departement")
    kind, _, code = territory.partition(":")
    if not territory and len(deps) == 1:
        kind, code = "D", str(deps["code"].iloc[0])
    if kind == "D":
        region = deps.loc[deps["code"] == code, "region_code"]
        return [f"D:{code}"] + ([f"R:{region.iloc[0]}"] if len(region) else []) + ["FR"]
    return ([f"R:{code}"] if kind == "R" else []) + ["FR"]


def place_names(con, territory: str) -> dict[str, str]:
    """'D:40' → « Landes », 'R:75' → « Nouvelle-Aquitaine », 'FR' → « France »."""
    deps = queries.fixed(con, "departement")
    names = {"FR": "France"}
    names.update({f"D:{d.code}": d.name for d in deps.itertuples()})
    names.update({f"R:{d.region_code}": d.region_name for d in deps.itertuples()})
    return {place: names.get(place, place) for place in places(con, territory)}


def table(con, filters: Filters) -> pd.DataFrame:
    """One row per FAP 2009 family of the selection and place of the territory (see `places`)."""
    return queries.run(con, "fap_tensions", {"places": places(con, filters.territory),
                                             "families": families(con, filters.professions)})


def series(con, filters: Filters) -> pd.DataFrame:
    """fap2009, year, tension: the national series 2011-2019 of the selection's families."""
    return queries.run(con, "fap_tension_series", {"families": families(con, filters.professions)})


def shortage(con, filters: Filters) -> pd.DataFrame:
    """place, fap2009, label: the selection's families on the official list of the territory's places."""
    return queries.run(con, "shortage_list", {"places": places(con, filters.territory)})


def strongest(row: pd.Series) -> list[str]:
    """The French names of the components with the highest category in one row (ties kept)."""
    values = {key: row[key] for key in COMPONENTS if pd.notna(row[key])}
    if not values:
        return []
    top = max(values.values())
    return [COMPONENTS[key] for key, value in values.items() if value == top]


def strongest_of_rows(frame: pd.DataFrame) -> list[list[str]]:
    """`strongest` of every row of `frame`, read from one array rather than row by row."""
    values = frame[list(COMPONENTS)].to_numpy(dtype="float64")
    names = list(COMPONENTS.values())
    out = []
    for row in values:
        known = ~np.isnan(row)
        out.append([names[i] for i in np.flatnonzero(known & (row == row[known].max()))] if known.any() else [])
    return out


def category_text(category) -> str:
    return f"{int(category)} sur 5, {CATEGORIES[int(category)]}" if pd.notna(category) else "non publiée"


def family_label(row: pd.Series) -> str:
    """« Aides à domicile et auxiliaires de vie (FAP 2009 T2A60) »."""
    label = row["bmo_label"] if isinstance(row.get("bmo_label"), str) else "Famille professionnelle"
    label = re.sub(r"\s*\(métier BMO [^)]*\)$", "", label)  # the family's own code follows
    return f"{label} (FAP 2009 {row['fap2009']})"


def sentence(row: pd.Series, place_name: str) -> str:
    """What a family's tension is at a place, and its strongest components, in one sentence."""
    text = (f"{place_name}, {family_label(row)} : indicateur de tension {formats.number(row['tension'], 2)}, "
            f"catégorie {category_text(row['category'])}")
    top = strongest(row)
    if not top:
        return text + " ; ses composantes ne sont pas publiées à ce niveau (trop peu de personnes)."
    level = int(max(row[key] for key in COMPONENTS if pd.notna(row[key])))
    named = " et ".join(name.lower() for name in top)
    plural = "Composantes les plus marquées" if len(top) > 1 else "Composante la plus marquée"
    return text + f". {plural} : {named} ({level} sur 5)."
