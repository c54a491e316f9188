"""The outlook's tables as pages, the deck and the export show them: observed figures as counted,
projected ones rounded to ten (`outlook.about`), ranges between the two scenarios."""
from __future__ import annotations

import pandas as pd

from observatory.figures import outlook
from observatory.vocabulary import formats


PLACES = {"at_home": "APA à domicile", "in_institution": "APA en établissement", "total": "APA, ensemble"}


def _range(low: float, high: float) -> str:
    low, high = sorted((low, high))
    return outlook.about(low) if outlook.about(low) == outlook.about(high) else f"{outlook.about(low)} à {outlook.about(high)}"


def horizons(result: outlook.Outlook) -> pd.DataFrame:
    """The base year as observed, then each horizon: the 75+ and the beneficiaries, as the range
    between the two scenarios (« tendance » to « taux constant »), rounded to ten."""
    now = outlook.base(result)
    rows = [{"Année": f"{result.base_year} (observé)", "75 ans et plus": formats.number(now["population_75"]),
             **{label: formats.number(now[place]) for place, label in PLACES.items()}}]
    for row in outlook.horizons_table(result).itertuples():
        values = row._asdict()
        rows.append({"Année": f"{row.year} (projection)", "75 ans et plus": outlook.about(row.population_75),
                     **{label: _range(values[f"{place}_trend"], values[f"{place}_constant"])
                        for place, label in PLACES.items()}})
    return pd.DataFrame(rows)


def population(series: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Année": series["year"].astype(int).astype(str),
                         "Nature": series["kind"].map({"observed": "estimation INSEE", "projected": "projection DREES"}),
                         "75 ans et plus": [formats.number(v) if k == "observed" else outlook.about(v)
                                            for k, v in zip(series["kind"], series["population_75"])]})


def beneficiaries(result: outlook.Outlook, band: pd.DataFrame, place: str) -> pd.DataFrame:
    observed = result.observed
    projected = band[band["year"] > result.base_year]
    return pd.DataFrame({
        "Année": [str(int(y)) for y in (*observed["year"], *projected["year"])],
        "Nature": ["observé"] * len(observed) + ["projection"] * len(projected),
        "Taux constant": [formats.number(v) for v in observed[place]] + [outlook.about(v) for v in projected["constant"]],
        "Tendance": [formats.number(v) for v in observed[place]] + [outlook.about(v) for v in projected["trend"]],
    })


def ranking(frame: pd.DataFrame, base_year: int, year: int) -> pd.DataFrame:
    return pd.DataFrame({
        "Rang": range(1, len(frame) + 1),
        "Département": frame["name"] + " (" + frame["code"] + ")",
        f"75 ans et plus {base_year} (INSEE)": [formats.number(v) for v in frame["population_75"]],
        f"75 ans et plus {year} (projection)": [outlook.about(v) for v in frame["projected_75"]],
        "Évolution projetée": [formats.change(v, "percent") for v in frame["growth"]],
        f"Bénéficiaires de l'APA {base_year}": [formats.number(v) for v in frame["apa"]],
        f"Bénéficiaires de l'APA {year}, taux constant (projection)": [outlook.about(v) for v in frame["projected_apa"]],
    })


def series(result: outlook.Outlook) -> tuple[list[str], list[list]]:
    """The export's rows: each observed year (INSEE 75+, DREES APA and its rate), then each projected
    year (DREES 75+ and 60-74, the beneficiaries under both scenarios), unrounded but for the unit."""
    columns = ["Année", "Nature", "Personnes de 75 ans et plus", "Personnes de 60 à 74 ans",
               "Bénéficiaires de l'APA à domicile", "Bénéficiaires de l'APA en établissement",
               "Bénéficiaires de l'APA, ensemble", "Bénéficiaires pour 100 personnes de 75 ans et plus",
               *[f"{label}, {name} (projection)" for label in ("APA à domicile", "APA en établissement", "APA, ensemble")
                 for name in outlook.SCENARIOS.values()]]
    apa = result.observed.set_index("year")
    rows = []
    observed = result.population[result.population["kind"] == "observed"]
    for year, people in zip(observed["year"], observed["population_75"]):
        known = apa.loc[year] if year in apa.index else None
        rows.append([int(year), "observé", int(people), None,
                     *([int(known[p]) for p in ("at_home", "in_institution", "total")] if known is not None else [None] * 3),
                     round(float(known["rate_total"]), 2) if known is not None else None, *[None] * 6])
    projected = result.population[result.population["kind"] == "projected"].set_index("year")
    scenarios = result.projected.set_index(["year", "scenario"])
    for year, row in projected.iterrows():
        cells = [None] * 6
        if (year, "constant") in scenarios.index:
            cells = [round(float(scenarios.loc[(year, s), p])) for p in ("at_home", "in_institution", "total")
                     for s in outlook.SCENARIOS]
        rows.append([int(year), "projection", round(float(row["population_75"])), round(float(row["population_60_74"])),
                     None, None, None, None, *cells])
    return columns, rows


def recruitment_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """BMO recruitment projects of the care métiers per survey year (withheld cells said, never guessed)."""
    return pd.DataFrame({
        "Année de l'enquête": projects["year"].astype(int).astype(str),
        "Métier BMO": projects["bmo_label"],
        "Projets de recrutement": [formats.number(v) if w == 0 else
                                   (f"au moins {formats.number(v)} ({w} bassin(s) non publié(s))" if pd.notna(v)
                                    else formats.SECRET)
                                   for v, w in zip(projects["projects"], projects["withheld"])],
    })


STAFF_CATEGORIES = {
    "social_educational": "Personnel social et éducatif",
    "paramedical": "Personnel paramédical",
    "medical": "Personnel médical",
    "psychologists": "Psychologues",
    "medico_technical": "Personnel médico-technique",
    "administrative_technical": "Personnel administratif et technique",
    "total_without_foster_carers": "Ensemble, hors assistants familiaux",
    "foster_carers": "Assistants familiaux employés par le département",
}


def departement_staff(staff: pd.DataFrame) -> pd.DataFrame:
    """One row per category, in the order above; a sum with unpublished cells is a minimum."""
    rows = staff.set_index("category")
    out = []
    for category, label in STAFF_CATEGORIES.items():
        if category not in rows.index:
            continue
        row = rows.loc[category]
        prefix = "au moins " if row["unknown"] else ""
        out.append({"Catégorie": label,
                    "Personnes": prefix + formats.number(row["headcount"]) if pd.notna(row["headcount"]) else "non publié",
                    "Équivalents temps plein": (prefix + formats.number(row["fte"], 1)) if pd.notna(row["fte"]) else formats.MISSING})
    return pd.DataFrame(out)
