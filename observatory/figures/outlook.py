"""What the territory will need: its people aged 75 and over to 2050 (DREES projection, central
scenario), the APA beneficiaries that implies under two scenarios, and the full-time workers they
would take, with parameters the user can change.

Everything after the last observed year is a projection, never a measure. The rate is a ratio, not
a probability: the APA also goes to people aged 60 to 74, while it is divided by the 75 and over.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from observatory import secrecy
from observatory.figures import queries
from observatory.vocabulary import formats

HORIZONS = (2030, 2040, 2050)
TREND_YEARS = 10  # the « tendance » scenario extends the rate's slope over this many observed years
TREND_BOUND = 0.25  # … without moving further than this share away from the last observed rate
MIN_TREND_POINTS = 5  # fewer observed years: no slope, the trend is the constant rate
PLACES = {"at_home": "à domicile", "in_institution": "en établissement"}
SCENARIOS = {"constant": "taux constant", "trend": "tendance"}
PROJECTION = "projection"
APA_SOURCE = "DREES, bénéficiaires de l'aide sociale départementale (APA payée au titre de décembre)"
POPULATION_SOURCE = "INSEE, estimations de population au 1er janvier"
PROJECTION_SOURCE = "DREES, projection des personnes âgées par département, scénario central"
CARE_BMO = ("BMO-T2A60", "BMO-V0X60", "BMO-V4X84")  # home help, aides-soignants, aides médico-psychologiques
CARE_PROFESSIONS = ("aide-domicile", "aide-soignant", "accompagnant-educatif-social")


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str
    default: int | None  # None: no public source found, the user enters it
    source: str
    step: int


PARAMETERS = (
    Parameter("home_hours", "Heures d'aide humaine par bénéficiaire à domicile et par mois", "heures par mois", 31,
              "DREES, remontées individuelles sur l'APA : environ 31 heures d'aide humaine par mois en moyenne dans "
              "les plans d'aide notifiés fin 2011 (Les Dossiers de la DREES n° 59, juin 2020). Moyenne nationale "
              "ancienne : remplacez-la par celle du département si vous la connaissez.", 1),
    Parameter("fte_hours", "Heures travaillées par un équivalent temps plein, par an", "heures par an", 1607,
              "Durée légale annuelle du travail à temps plein, 1 607 heures (Code du travail, art. L3121-41). Les "
              "trajets entre deux domiciles et la coordination n'en sont pas retirés : le besoin réel est plus grand.",
              1),
    Parameter("staff_per_100", "Équivalents temps plein pour 100 places en établissement", "ETP pour 100 places", 57,
              "DREES, enquête EHPA 2015 : 57 équivalents temps plein pour 100 places installées, tous personnels "
              "confondus (soins, accompagnement, hôtellerie, administration), fin 2015 (Les Dossiers de la DREES "
              "n° 20, septembre 2017). Un bénéficiaire de l'APA en établissement y compte pour une place.", 1),
)
DEFAULTS = {p.key: p.default for p in PARAMETERS}


def stated(parameter: Parameter, value: float | None) -> str:
    """« 31 heures par mois », or « non renseigné » when the user has not entered a value."""
    return "non renseigné" if value is None else f"{formats.number(value)} {parameter.unit}"


@dataclass(frozen=True)
class Outlook:
    """The outlook of a territory: observed, then projected."""

    observed: pd.DataFrame  # year, at_home, in_institution, total, population_75, rate_<place> and rate_total (per 100)
    population: pd.DataFrame  # year, kind ('observed' | 'projected'), population_75, population_60_74
    projected: pd.DataFrame  # year, scenario, at_home, in_institution, total, population_75
    base_year: int  # the last observed year of the APA, the rates' year
    slopes: dict[str, float]  # per place: the rate's yearly slope over the trend years (points per year)
    trend_years: tuple[int, int]
    departements: tuple[str, ...]  # those counted
    missing: tuple[tuple[str, str, str], ...] = field(default=())  # (code, name, what is missing)
    gap: tuple[int, float] | None = None  # (year, % projected above the INSEE estimate) at the last common year


METHOD = (
    ("Nature", "Projection : aucun chiffre après la dernière année observée n'est une mesure. La population âgée "
               "projetée est celle de la DREES (scénario central, à partir des projections Omphale de l'INSEE) ; "
               "la table publiée en est une reprise dont l'original exact n'a pas été identifié."),
    ("Taux de l'APA", "Bénéficiaires de l'APA payés au titre de décembre (DREES), pour 100 personnes de 75 ans et "
                      "plus au 1er janvier de la même année (INSEE). L'APA va aussi à des personnes de 60 à 74 ans : "
                      "c'est un rapport, pas une probabilité."),
    ("Scénario « taux constant »", "Le taux de la dernière année observée, à domicile et en établissement "
                                   "séparément, multiplié par la population de 75 ans et plus projetée."),
    ("Scénario « tendance »", f"Le taux de la dernière année observée suit la pente de la droite des moindres carrés "
                              f"sur les {TREND_YEARS} dernières années observées, sans s'écarter de plus de "
                              f"{int(100 * TREND_BOUND)} % de ce taux ; la bande entre les deux scénarios dit "
                              "l'incertitude de la méthode, pas celle de la projection de population."),
    ("Professionnels", "Bénéficiaires supplémentaires à domicile × heures d'aide par mois × 12 ÷ heures d'un "
                       "équivalent temps plein par an ; en établissement : bénéficiaires supplémentaires × équivalents temps "
                       "plein pour 100 places ÷ 100. Les valeurs par défaut et leurs sources sont modifiables."),
    ("Territoires", "Une région ou la France : la somme des départements qui ont les trois séries (APA, estimation "
                    "INSEE, projection) ; les autres sont nommés. Les départements d'outre-mer n'ont pas de projection "
                    "dans la table publiée."),
)


def read(con, territory: str = "") -> dict[str, pd.DataFrame]:
    """The per-département inputs of `compute`, from the database."""
    params = queries.territory_parameters(territory)
    return {"apa": queries.run(con, "outlook_apa", params),
            "population": queries.run(con, "outlook_population", params),
            "departements": queries.run(con, "outlook_departements", params)}


def for_territory(con, territory: str = "") -> Outlook | None:
    return compute(**read(con, territory))


def compute(apa: pd.DataFrame, population: pd.DataFrame, departements: pd.DataFrame) -> Outlook | None:
    """The outlook of the départements that have the APA of the last observed year, the INSEE 75+ of
    that year and a projection; the others are listed in `missing`. None when none has all three."""
    names = dict(zip(departements["code"], departements["name"]))
    if apa.empty:
        return None
    base_year = int(apa["year"].max())
    observed_75 = population[(population["kind"] == "observed") & (population["age_group"] == "75+")]
    projected = population[population["kind"] == "projected"]
    has = {
        f"bénéficiaires de l'APA {base_year} à domicile et en établissement":
            set(apa.loc[(apa["year"] == base_year) & apa["at_home"].notna() & apa["in_institution"].notna(),
                        "departement_code"]),
        f"estimation INSEE des 75 ans et plus {base_year}": set(observed_75.loc[observed_75["year"] == base_year,
                                                                                "departement_code"]),
        "projection de la population âgée": set(projected["departement_code"]),
    }
    kept = sorted(set.intersection(*has.values()))
    missing = tuple((code, names.get(code, code), ", ".join(what for what, codes in has.items() if code not in codes))
                    for code in sorted(names) if code not in kept)
    if not kept:
        return None
    apa = apa[apa["departement_code"].isin(kept)]
    observed = _complete_years(apa, kept, ["total", "at_home", "in_institution"])
    population_75 = _complete_years(observed_75[observed_75["departement_code"].isin(kept)], kept, ["population"])
    observed = observed.merge(population_75.rename(columns={"population": "population_75"}), on="year")
    for place in (*PLACES, "total"):
        observed[f"rate_{place}"] = 100 * observed[place] / observed["population_75"]
    wide = projected[projected["departement_code"].isin(kept)].pivot_table(
        index=["year", "departement_code"], columns="age_group", values="population").reset_index()
    projection = _complete_years(wide, kept, ["75+", "60-74"]).rename(
        columns={"75+": "population_75", "60-74": "population_60_74"})
    series = pd.concat([population_75.rename(columns={"population": "population_75"}).assign(kind="observed"),
                        projection.assign(kind="projected")], ignore_index=True)
    base = observed.set_index("year").loc[base_year]
    window = observed[observed["year"].between(base_year - TREND_YEARS + 1, base_year)]
    slopes = {place: (float(np.polyfit(window["year"], window[f"rate_{place}"], 1)[0])
                      if len(window) >= MIN_TREND_POINTS else 0.0) for place in PLACES}
    future = projection[projection["year"] > base_year]
    rows = []
    for scenario in SCENARIOS:
        for year, people in zip(future["year"], future["population_75"]):
            row = {"year": int(year), "scenario": scenario, "population_75": people}
            for place in PLACES:
                rate = float(base[f"rate_{place}"])
                if scenario == "trend":
                    rate = float(np.clip(rate + slopes[place] * (year - base_year),
                                         rate * (1 - TREND_BOUND), rate * (1 + TREND_BOUND)))
                row[place] = rate * people / 100
            row["total"] = row["at_home"] + row["in_institution"]
            rows.append(row)
    common = sorted(set(population_75["year"]) & set(projection["year"]))
    gap = None
    if common:
        year = common[-1]
        estimate = float(population_75.set_index("year").loc[year, "population"])
        gap = (int(year), 100 * (float(projection.set_index("year").loc[year, "population_75"]) / estimate - 1))
    return Outlook(observed, series, pd.DataFrame(rows), base_year, slopes,
                   (int(window["year"].min()), int(window["year"].max())) if len(window) else (base_year, base_year),
                   tuple(kept), missing, gap)


def _complete_years(frame: pd.DataFrame, kept: list[str], columns: list[str]) -> pd.DataFrame:
    """Per year, the sum of `columns` over the kept départements, for the years where each has them all."""
    whole = frame.dropna(subset=columns)
    counts = whole.groupby("year")["departement_code"].nunique()
    years = counts[counts == len(kept)].index
    return whole[whole["year"].isin(years)].groupby("year", as_index=False)[columns].sum().astype({"year": int})


def at(outlook: Outlook, year: int, scenario: str) -> pd.Series:
    """The projected row of `year` under `scenario`."""
    frame = outlook.projected
    return frame[(frame["year"] == year) & (frame["scenario"] == scenario)].iloc[0]


def base(outlook: Outlook) -> pd.Series:
    return outlook.observed.set_index("year").loc[outlook.base_year]


def workers(outlook: Outlook, year: int, scenario: str, parameters: dict[str, float | None]) -> dict[str, float | None]:
    """Extra beneficiaries at home and in institutions in `year` against the base year, and the
    full-time equivalents they would take (None where a parameter is missing)."""
    now, then = base(outlook), at(outlook, year, scenario)
    extra_home = float(then["at_home"] - now["at_home"])
    extra_institution = float(then["in_institution"] - now["in_institution"])
    home, per_fte, staff = (parameters.get(k) for k in ("home_hours", "fte_hours", "staff_per_100"))
    return {
        "extra_at_home": extra_home,
        "extra_in_institution": extra_institution,
        "home_fte": extra_home * home * 12 / per_fte if home is not None and per_fte else None,
        "institution_fte": extra_institution * staff / 100 if staff is not None else None,
    }


def about(value: float) -> str:
    """A projected count as shown: « environ » is said by the sentence, the number rounded to ten."""
    return formats.number(round(value, -1))


def summary(outlook: Outlook, place: str, parameters: dict[str, float | None], year: int = HORIZONS[0]) -> str:
    """The sentence an elected official can quote (constant-rate scenario)."""
    now, then = base(outlook), at(outlook, year, "constant")
    change = formats.change(100 * (then["at_home"] / now["at_home"] - 1), "percent")
    text = (f"{place} : si le taux de {outlook.base_year} se maintient, le territoire comptera environ "
            f"{about(then['at_home'])} bénéficiaires de l'APA à domicile en {year} ({change} par rapport à "
            f"{outlook.base_year})")
    fte = workers(outlook, year, "constant", parameters)["home_fte"]
    if fte is not None:
        more = "de plus" if fte >= 0 else "de moins"
        text += f", soit environ {about(abs(fte))} équivalents temps plein d'aide à domicile {more} qu'aujourd'hui"
    return text + " (projection : population âgée projetée par la DREES, scénario central)."


def horizons_table(outlook: Outlook) -> pd.DataFrame:
    """Per horizon: the 75+ and the beneficiaries at home, in institutions and in all under each
    scenario, and the range between the scenarios (the projected figures, unrounded)."""
    rows = []
    for year in HORIZONS:
        if year not in set(outlook.projected["year"]):
            continue
        constant, trend = at(outlook, year, "constant"), at(outlook, year, "trend")
        rows.append({"year": year, "population_75": constant["population_75"],
                     **{f"{place}_{scenario}": row[place] for scenario, row in (("constant", constant), ("trend", trend))
                        for place in (*PLACES, "total")}})
    return pd.DataFrame(rows)


def band(outlook: Outlook, place: str = "total") -> pd.DataFrame:
    """year, low, high: the range between the two scenarios, from the base year (observed) on."""
    wide = outlook.projected.pivot_table(index="year", columns="scenario", values=place)
    start = pd.DataFrame({"constant": [base(outlook)[place]], "trend": [base(outlook)[place]]}, index=[outlook.base_year])
    wide = pd.concat([start, wide])
    return pd.DataFrame({"year": wide.index.astype(int), "low": wide.min(axis=1).to_numpy(),
                         "high": wide.max(axis=1).to_numpy(), "constant": wide["constant"].to_numpy(),
                         "trend": wide["trend"].to_numpy()})


def trend_sentence(outlook: Outlook) -> str:
    first, last = outlook.trend_years
    parts = [f"{label} {formats.number(outlook.slopes[place], 2)} point par an"
             for place, label in PLACES.items()]
    return (f"Scénario « tendance » : le taux de {outlook.base_year} suit la pente moyenne observée de {first} à {last} "
            f"({', '.join(parts)}), sans s'écarter de plus de {formats.percent(100 * TREND_BOUND, 0)} du taux de "
            f"{outlook.base_year}.")


def ranking(con, year: int = HORIZONS[0]) -> pd.DataFrame:
    """Every département of the database with a projection: its 75+ at the base year (INSEE) and in
    `year` (projected), the growth of the projection between the two years (the projection against
    itself, never against the estimate), and its APA beneficiaries projected at a constant rate."""
    inputs = read(con, "")
    rows = []
    for code, name in zip(inputs["departements"]["code"], inputs["departements"]["name"]):
        one = compute(inputs["apa"][inputs["apa"]["departement_code"] == code],
                      inputs["population"][inputs["population"]["departement_code"] == code],
                      inputs["departements"][inputs["departements"]["code"] == code])
        if one is None or year not in set(one.projected["year"]):
            continue
        now, then = base(one), at(one, year, "constant")
        projected = one.population[one.population["kind"] == "projected"].set_index("year")["population_75"]
        if one.base_year not in projected.index:
            continue
        rows.append({"code": code, "name": name, "population_75": now["population_75"],
                     "projected_75": then["population_75"],
                     "growth": 100 * (then["population_75"] / projected[one.base_year] - 1),
                     "apa": now["total"], "projected_apa": then["total"]})
    frame = pd.DataFrame(rows, columns=["code", "name", "population_75", "projected_75", "growth", "apa", "projected_apa"])
    return frame.sort_values("growth", ascending=False, ignore_index=True)


def care_projects(con, territory: str = "") -> pd.DataFrame:
    """year, bmo_code, projects (published cells summed), withheld (cells not published)."""
    return queries.run(con, "outlook_bmo", {**queries.territory_parameters(territory), "codes": list(CARE_BMO)})


def care_graduates(con, filters) -> dict | None:
    """The territory's graduates of the last selected year in the care professions (aide à domicile,
    aide-soignant, accompagnant éducatif et social), secrecy applied by the cube, with demo figures
    only in demo mode: {graduates, secret, is_demo}. None when no graduate figure is known."""
    care = replace(filters, professions=CARE_PROFESSIONS, area=None, year_from=filters.year_to)
    rows = queries.territory_series(con, care, care.year_to, care.year_to)
    if rows.empty:
        return None
    row = rows.iloc[0]
    secret = secrecy.is_secret(row, "graduates")
    if pd.isna(row["graduates"]) and not secret:
        return None
    return {"graduates": None if secret else float(row["graduates"]), "secret": secret, "is_demo": bool(row["is_demo"])}


STAFF_SOURCE = "DREES, personnel de l'action sociale et médico-sociale des départements au 31 décembre"


def departement_staff(con, territory: str = "") -> pd.DataFrame:
    """The last year's staff of the territory's départements themselves, per category: year,
    category, headcount, fte, departements (with a row), unknown (not published). Empty if none."""
    frame = queries.run(con, "outlook_staff", queries.territory_parameters(territory))
    return frame[frame["year"] == frame["year"].max()].reset_index(drop=True) if len(frame) else frame


def staff_sentence(staff: pd.DataFrame, place: str) -> str:
    """« Fin 2020, le Département employait lui-même … » (context, not the sector's workers)."""
    rows = staff.set_index("category")
    year, count = int(staff["year"].iloc[0]), int(staff["departements"].max())
    who = "le Département employait" if count == 1 else f"les {count} Départements renseignés employaient"
    their = "son" if count == 1 else "leur"
    parts = []
    if "total_without_foster_carers" in rows.index and pd.notna(rows.loc["total_without_foster_carers", "headcount"]):
        total = rows.loc["total_without_foster_carers"]
        least = "au moins " if total["unknown"] else ""
        parts.append(f"{least}{formats.number(total['headcount'])} agents pour {their} action sociale et médico-sociale"
                     + (f" ({least}{formats.number(total['fte'], 1)} équivalents temps plein)" if pd.notna(total["fte"]) else ""))
    if "foster_carers" in rows.index and pd.notna(rows.loc["foster_carers", "headcount"]):
        foster = rows.loc["foster_carers"]
        parts.append(f"{'au moins ' if foster['unknown'] else ''}{formats.number(foster['headcount'])} assistants familiaux")
    if not parts:
        return f"{place} : le personnel social du Département n'est pas publié pour {year}."
    whose = "du Département lui-même" if count == 1 else "des Départements eux-mêmes"
    return (f"Pour mémoire, fin {year}, {who} {' et '.join(parts)} ({STAFF_SOURCE}, donnée réelle). Ce sont les "
            f"agents {whose}, pas les salariés des services d'aide à domicile ni des établissements.")


def years_of(extra: float, per_year: float | None) -> float | None:
    """How many years of `per_year` (projects, graduates) an extra need represents."""
    return extra / per_year if per_year else None
