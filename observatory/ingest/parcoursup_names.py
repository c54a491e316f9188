"""Parcoursup files without establishment numbers (the 2024 session's eleven columns): places,
candidates, proposals and admissions per formation, the establishment known only by its name,
département and commune. The year is in the file's name (it has none).

A formation is one of our diplomas when its label is the diploma's Parcoursup label, or that label
with a prefix or a suffix (« BTS - Services - … », « D.E Infirmier - Réservé aux personnes en situation
de handicap »). An establishment is the one of the directories (Parcoursup 2018-2019, lycées) with the
same name in the same commune; otherwise a new place at its commune's centre, or, when the commune
is not one of the base's, at its département's level only. None of these places is used for
distances: the file gives no position, and a list of the territory's places alone would draw
deserts from half a map. Only the base's départements are kept.
"""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, normalise, read_csv, year_in_name,
)

KIND = "parcoursup_noms"
LABEL = "MESR-SIES, Parcoursup sans numéro d'établissement (places, candidats et admis par formation ; année dans le nom)"
NAME = "Établissement"
DEPARTEMENT = "Département de l’établissement"
COMMUNE = "Commune de l’établissement"
FILIERE = "Filière de formation"
FIGURES = {
    "Capacité de l’établissement par formation": "places",
    "Effectif total des candidats pour une formation": "candidates",
    "Effectif total des candidats ayant reçu une proposition d’admission de la part de l’établissement": "proposals",
    "Effectif total des candidats ayant accepté la proposition de l’établissement (admis)": "admitted",
}
COLUMNS = [NAME, DEPARTEMENT, COMMUNE, FILIERE, *FIGURES]


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return all(c in first for c in (NAME, COMMUNE, FILIERE)) and "UAI" not in first


def diploma_of(label: str, labels: dict[str, str]) -> str | None:
    """Our diploma of a formation label: its Parcoursup label, alone or with a prefix or suffix after « - »."""
    text = label.strip()
    for ours, code in labels.items():
        if text == ours or text.startswith(ours + " - ") or text.endswith(" - " + ours):
            return code
    return None


def _count(value: str, file: str, line: int, column: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise ImportRejected(file, f"« {value} » n'est pas un effectif (nombre entier)", line=line, column=column)
    return int(text)


def _places(ours: pd.DataFrame, ctx: Context, codes: dict[str, str]) -> pd.DataFrame:
    """uai (or ''), name, commune_code, departement_code of each (name, département, commune)."""
    known = ctx.establishments if ctx.establishments is not None else pd.DataFrame(
        columns=["uai", "name", "commune_code"])
    by_name = {(normalise(n), c): u for u, n, c in zip(known["uai"], known["name"], known["commune_code"]) if c}
    communes = {}
    for code, name in zip(ctx.communes["code"], ctx.communes["name"]):
        communes.setdefault(normalise(name), []).append(code)
    rows = []
    for (name, departement, commune), _ in ours.groupby([NAME, DEPARTEMENT, COMMUNE], sort=True):
        dep = codes[normalise(departement)]
        found = [c for c in communes.get(normalise(commune), []) if c.startswith(dep)]
        commune_code = found[0] if len(found) == 1 else None
        rows.append({NAME: name, DEPARTEMENT: departement, COMMUNE: commune, "name": name.strip(),
                     "uai": by_name.get((normalise(name), commune_code), "") if commune_code else "",
                     "commune_code": commune_code, "departement_code": dep})
    return pd.DataFrame(rows)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    year = year_in_name(file, "parcoursup_2025.csv", "la session 2025")
    diplomas = ctx.diplomas if ctx.diplomas is not None else pd.DataFrame(columns=["code", "parcoursup_label"])
    labels = {label: code for label, code in zip(diplomas["parcoursup_label"], diplomas["code"]) if label}
    codes = {normalise(name): code for code, name in ctx.departement_names}
    frame["diploma_code"] = [diploma_of(label, labels) for label in frame[FILIERE]]
    ours = frame[frame["diploma_code"].notna() & frame[DEPARTEMENT].map(normalise).isin(codes)].copy()
    ours["line"] = ours.index  # the file's line numbers, for a refusal
    if ours.empty:
        raise NothingForTerritory(file, "aucune formation d'un diplôme de nos métiers dans les départements de la base.")
    places = _places(ours, ctx, codes)
    ours = ours.merge(places, on=[NAME, DEPARTEMENT, COMMUNE], how="left")
    ours["site"] = [f"{n} ({c})" if not u else "" for n, c, u in zip(ours["name"], ours[COMMUNE], ours["uai"])]
    intake = pd.DataFrame({"year": year, "uai": ours["uai"], "site": ours["site"], "diploma_code": ours["diploma_code"],
                           "formation": ours[FILIERE].str.strip()})
    for column, name in FIGURES.items():
        intake[name] = [_count(v, file, line, column) for line, v in zip(ours["line"], ours[column])]
    sites = ours.drop_duplicates(["uai", "site"])[["name", "commune_code", "uai", "departement_code", "site"]]
    sites = sites.assign(lon=float("nan"), lat=float("nan"), website=None, professions=[[] for _ in range(len(sites))])
    unplaced = int(sites["commune_code"].isna().sum())
    report.rows_kept = len(intake)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{len(sites)} lieux de formation de nos diplômes dans les départements de la base, dont "
                        f"{int((sites['uai'] != '').sum())} reconnus dans les annuaires (même nom, même commune).")
    if unplaced:
        report.notes.append(f"{unplaced} lieu(x) dont la commune n'est pas une commune de la base : comptés au niveau "
                            "de leur département seulement.")
    return Parsed(KIND, {"provider": sites[["name", "commune_code", "lon", "lat", "website", "professions", "uai",
                                            "departement_code", "site"]],
                         "site_intake": intake}, report,
                  publisher="MESR-SIES (Parcoursup)", title=f"Parcoursup {year} : places, candidats et admis par formation",
                  licence="Licence Ouverte / Etalab 2.0",
                  url="https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-parcoursup/")
