"""What stands between a resident and a training place or a job, from real sources: social housing
per area (SDES, RPLS) and what became of the apprentices of the territory's CFAs (InserJeunes).
Distances to training are in `access`; childcare and mobility come from the partners' template."""
from __future__ import annotations

import re

import pandas as pd

from observatory.figures import queries
from observatory.vocabulary import formats

HOUSING_SOURCE = "SDES, répertoire du parc locatif social (RPLS)"
HOUSING_COLUMNS = ["stock", "vacant", "stock_detailed", "secret_communes", "population"]
OUTCOMES_SOURCE = "DEPP et DARES, InserJeunes"
OUTCOMES_NOTE = ("Apprentis de dernière année d'une formation du CAP au BTS (niveaux 3 à 5), deux années cumulées. "
                 "Poursuite d'études : part de ceux qui continuent leurs études. En emploi à 6, 12 ou 24 mois : part des "
                 "autres, les sortants, qui ont un emploi salarié en France 6, 12 ou 24 mois après leur sortie. Les taux "
                 "portent sur tout le CFA, tous métiers confondus, pas seulement sur les métiers de l'observatoire ; ils "
                 "ne sont jamais additionnés d'un CFA à l'autre. « non publié » : moins de 20 jeunes pour calculer le "
                 "taux, ou pas encore assez de recul.")
RATE_LABELS = {
    "employed_6m": "En emploi à 6 mois",
    "employed_12m": "En emploi à 12 mois",
    "employed_24m": "En emploi à 24 mois",
    "further_study": "Poursuite d'études",
}


def housing(con, territory: str = "") -> pd.DataFrame:
    """Per area: population, year, social dwellings (stock), vacant ones among the communes whose
    detail is published (vacant, stock_detailed, secret_communes), per 1 000 inhabitants and the
    vacancy rate (%). Empty when no RPLS file is loaded."""
    return with_rates(queries.run(con, "area_social_housing", queries.territory_parameters(territory)))


def housing_total(frame: pd.DataFrame) -> pd.Series:
    """The territory's figures: the sums over its areas (every commune is in one area), rates recomputed."""
    total = frame[HOUSING_COLUMNS].sum()
    total["population_year"] = frame["population_year"].max()
    total["year"] = on_first_january(frame["year"])
    return with_rates(total.to_frame().T).iloc[0]


def on_first_january(years: pd.Series) -> str:
    """« 2024 », or « 2024 ou 2025 selon le département » when a newer file covers only some."""
    shown = sorted({int(y) for y in years})
    return str(shown[0]) if len(shown) == 1 else " ou ".join(map(str, shown)) + " selon le département"


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["per_1000"] = (1000 * frame["stock"] / frame["population"].where(frame["population"] > 0)).astype(float)
    frame["vacancy_rate"] = (100 * frame["vacant"] / frame["stock_detailed"].where(frame["stock_detailed"] > 0)).astype(float)
    return frame


def cfa_outcomes(con, territory: str = "") -> pd.DataFrame:
    """cohort, uai, name, departement_code and the InserJeunes rates (%) of the territory's CFAs."""
    return queries.run(con, "cfa_outcomes", queries.territory_parameters(territory))


def cohort_label(cohort: str) -> str:
    """« cumul 2023-2024 » → « 2023-2024 (cumul) », the source's own wording."""
    years = cohort.replace("cumul", "").strip()
    return f"{years} (cumul)" if "cumul" in cohort else cohort


def housing_sentence(frame: pd.DataFrame, total: pd.Series, territory: str) -> str:
    """« Landes, au 1er janvier 2024 : … logements sociaux, soit … pour 1 000 habitants ; le moins
    doté : … »."""
    sentence = (f"{territory}, au 1er janvier {total['year']} : {formats.number(total['stock'])} logements "
                f"sociaux, soit {formats.number(total['per_1000'], 1)} pour 1 000 habitants")
    ranked = frame.dropna(subset=["per_1000"]).sort_values(["per_1000", "name"])
    if len(ranked) > 1:
        low, high = ranked.iloc[0], ranked.iloc[-1]
        sentence += (f" ; le moins doté : {low['name']} ({formats.number(low['per_1000'], 1)}), le mieux doté : "
                     f"{high['name']} ({formats.number(high['per_1000'], 1)})")
    return sentence + "."


def vacant_count(vacant: int, secret_communes: int) -> str:
    """Vacant dwellings: « au moins … » when some communes' detail is secret, « s » if that leaves none."""
    if secret_communes and not vacant:
        return formats.SECRET
    return formats.value(vacant, "", 0, lower_bound=secret_communes > 0)


def housing_line(area: pd.Series, departement: pd.Series) -> str:
    """The canton portrait's line: the area's stock and rates beside its département's."""
    vacant = vacant_count(area["vacant"], area["secret_communes"])
    if area["stock"] == 0:
        return (f"Logements sociaux au 1er janvier {int(area['year'])} : aucun (aucune commune au répertoire) ; "
                f"département : {formats.number(departement['per_1000'], 1)} pour 1 000 habitants")
    return (f"Logements sociaux au 1er janvier {int(area['year'])} : {formats.number(area['stock'])}, soit "
            f"{formats.number(area['per_1000'], 1)} pour 1 000 habitants (département : "
            f"{formats.number(departement['per_1000'], 1)}) ; vacants : {vacant} "
            f"(taux de vacance {formats.percent(area['vacancy_rate'])}, département "
            f"{formats.percent(departement['vacancy_rate'])})")


HOUSING_NOTE = ("Une commune absente du répertoire n'a pas de logement social. Les logements vacants ne comptent que "
                "les communes dont le détail est publié (« au moins » quand celui de certaines est secret) ; le taux "
                "de vacance est calculé sur ces communes.")


CFA_WORDS = re.compile(r"^(?:org[a-z]*isme de formation\s*-\s*)?centre de formation d'apprentis\b\s*", re.IGNORECASE)


def cfa_name(name: str) -> str:
    """A CFA's name as the table shows it: « Organisme de formation-Centre de formation d'apprentis
    du BTP des Landes » → « CFA du BTP des Landes » (the file's own words are kept elsewhere)."""
    short = CFA_WORDS.sub("CFA ", name.strip())
    return short[:1].upper() + short[1:]
