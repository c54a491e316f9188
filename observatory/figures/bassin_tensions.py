"""Offers, job-seekers and tension by bassin d'emploi × métier (Pôle emploi and DARES, 2020-2021).

The figures belong to their bassin d'emploi and their ROME v3 fiche, as published: a fiche that
groups several of our professions is shown whole, never split; a bassin that straddles départements
(Pays Basque 7539 in the Landes) is shown whole, and counts in a territory's totals only at the share
of its population that lives there. Offers and job-seekers are those of 2021 (the 2020 file gives them
on another scale); tension categories are those of 2020 and 2021.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.figures import queries, tensions
from observatory.vocabulary import formats

COUNTS_YEAR = 2021
SOURCE = ("Pôle emploi (France Travail) et DARES, indicateurs de tension par bassin d'emploi et métier ROME "
          "(2020 et 2021), Licence Ouverte")
OFFERS = "Offres d'emploi enregistrées"
JOB_SEEKERS = "Demandeurs d'emploi (catégories A, B, C)"
SEEKERS_PER_OFFER = "Demandeurs d'emploi pour une offre"
SEEKERS_PER_OFFER_DEFINITION = (
    "Demandeurs d'emploi inscrits sur le métier (catégories A, B et C, moyenne de l'année) rapportés aux offres "
    "enregistrées dans l'année ; moins d'un demandeur par offre signale un métier où les candidats manquent.")


def table(con, professions: tuple[str, ...], territory: str) -> pd.DataFrame:
    """One row per year × bassin × ROME v3 fiche of the selection, with `share` (see the SQL)."""
    params = {"professions": list(professions), **queries.territory_parameters(territory)}
    return queries.run(con, "bassin_tensions", params)


def per_bassin(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per bassin × fiche: offers and job-seekers of 2021, their ratio, the category of each
    year (`category_<year>`), and the category and most marked components of the pair's latest
    year (`year`, `category`, `strongest`)."""
    if frame.empty:
        return frame.assign(seekers_per_offer=pd.Series(dtype="float64"))
    keys = ["bassin_code", "rome_code"]
    # joined on the pair's index rather than merged: this runs at each change of profession
    latest = frame.sort_values("year").groupby(keys).last().drop(columns=["offers", "job_seekers"])
    counts = frame.loc[frame["year"] == COUNTS_YEAR].set_index(keys)[["offers", "job_seekers"]]
    categories = frame.groupby(keys + ["year"])["category"].first().unstack("year").dropna(axis=1, how="all")
    categories.columns = [f"category_{int(year)}" for year in categories.columns]
    out = latest.join(counts).join(categories).reset_index()
    out["seekers_per_offer"] = ratio(out["job_seekers"], out["offers"])
    out["strongest"] = tensions.strongest_of_rows(out)
    return out.sort_values(keys).reset_index(drop=True)


def ratio(job_seekers, offers):
    seekers = np.asarray(job_seekers, dtype="float64")
    offers = np.asarray(offers, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(offers > 0, seekers / offers, np.nan)


def territory_totals(pairs: pd.DataFrame) -> dict:
    """The territory's offers and job-seekers of 2021 (each bassin at its population share) and their
    ratio, over the `per_bassin` pairs where both are published; None where nothing is known."""
    rows = pairs[pairs["offers"].notna() & pairs["job_seekers"].notna()] if len(pairs) else pairs
    if rows.empty:
        return {"year": COUNTS_YEAR, "offers": None, "job_seekers": None, "seekers_per_offer": None}
    offers = float((rows["offers"] * rows["share"]).sum())
    seekers = float((rows["job_seekers"] * rows["share"]).sum())
    return {"year": COUNTS_YEAR, "offers": offers, "job_seekers": seekers,
            "seekers_per_offer": seekers / offers if offers else None}


def years(pairs: pd.DataFrame) -> list[int]:
    """The years of which `per_bassin` pairs have a tension category (a `category_<year>` column)."""
    return sorted(int(c.removeprefix("category_")) for c in pairs.columns if c.startswith("category_"))


def latest_category_year(pairs: pd.DataFrame, year: int) -> int | None:
    """The latest year up to `year` for which `per_bassin` pairs have a tension category."""
    known = [y for y in years(pairs) if y <= year and pairs[f"category_{y}"].notna().any()]
    return max(known) if known else None


def pairs(con, professions: tuple[str, ...], territory: str = "") -> pd.DataFrame:
    """`per_bassin` of the selection, read from the database."""
    return per_bassin(table(con, professions, territory))


def most_tense(pairs: pd.DataFrame, count: int = 5) -> pd.DataFrame:
    """Among `per_bassin` pairs, those of the latest year most in tension: highest category first, then
    the fewest job-seekers per offer of 2021 (pairs without offers last)."""
    if pairs.empty:
        return pairs
    pairs = pairs[pairs["year"] == pairs["year"].max()]
    return pairs.sort_values(["category", "seekers_per_offer", "bassin_code", "rome_code"],
                             ascending=[False, True, True, True], na_position="last").head(count)


def shared_bassins(pairs: pd.DataFrame) -> pd.DataFrame:
    """The bassins only partly in the territory: bassin_code, bassin_name, share, communes_inside, communes."""
    parts = pairs.drop_duplicates("bassin_code")
    return parts[parts["share"] < 1][["bassin_code", "bassin_name", "share", "communes_inside", "communes"]]


def shared_sentence(row, territory_name: str) -> str:
    """« Pays Basque (7539) : 8 de ses 131 communes sont dans les Landes (8,6 % de sa population)… »."""
    return (f"Bassin {row['bassin_name'].title()} ({row['bassin_code']}) : {int(row['communes_inside'])} de ses "
            f"{int(row['communes'])} communes sont dans le territoire ({territory_name}), soit "
            f"{formats.percent(100 * row['share'])} de sa population. Le tableau montre le bassin entier, tel qu'il est "
            "publié ; les totaux du territoire n'en comptent que cette part.")


def change_sentence(pairs: pd.DataFrame) -> str:
    """How many bassin × fiche pairs were in very strong tension each year."""
    parts = []
    for year in years(pairs):
        known = pairs[f"category_{year}"].dropna()
        parts.append(f"{int((known == 5).sum())} sur {len(known)} en {year}")
    return ("Couples bassin × métier en tension très forte (5 sur 5) : " + ", ".join(parts) + ".") if parts else ""


SOURCES_DIFFER = (
    "Ces chiffres suivent la méthode de la DARES, mais ne se comparent pas terme à terme au tableau de l'édition "
    f"{tensions.EDITION} ci-dessus : ils portent sur des fiches métiers du répertoire ROME (plus fines que les familles "
    "professionnelles FAP 2009), sur des bassins d'emploi (plus petits qu'un département) et sur 2020 et 2021, des "
    "années marquées par la crise sanitaire. Un écart entre les deux tableaux tient à l'un de ces trois changements, "
    "pas à une erreur.")


METHOD = (
    f"- **{SEEKERS_PER_OFFER}**, **{OFFERS.lower()}** et **tension par bassin d'emploi** : chiffres publiés par "
    "Pôle emploi et la DARES pour chaque bassin d'emploi (découpage BMO 2019) et chaque fiche métier du répertoire "
    f"ROME v3 ; offres et demandeurs d'emploi (catégories A, B et C, moyenne de l'année) de {COUNTS_YEAR}, "
    "catégories de tension (1 à 5) et leurs six composantes de 2020 et 2021 (les offres et demandeurs du fichier "
    "2020 sont sur une autre échelle et ne sont pas lus). "
    f"{SEEKERS_PER_OFFER} = demandeurs d'emploi ÷ offres enregistrées, rapport de sommes. Les fiches ROME v3 ne "
    "recoupent pas toujours nos métiers (codés en ROME 4.0) : une fiche qui mène à plusieurs métiers est montrée "
    "entière, jamais répartie. Un bassin qui déborde du territoire est montré entier ; dans les totaux du "
    "territoire, il compte au prorata de la part de sa population qui y vit (populations municipales 2021). "
    f"Source : {SOURCE}, donnée réelle.")
