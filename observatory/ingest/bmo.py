"""France Travail « Besoins en main-d'œuvre » (BMO) survey, official xlsx or a CSV of its columns.

Figures come by bassin d'emploi × BMO job (FAP 2021 code). They are placed in cantons by the
population of the bassin's communes in the département (largest-remainder rounding, so the
cantons add up to the bassin), then shared equally between the referential's professions that
map to the same BMO job. Both steps are approximations, said in the report and on screen.
A `*` (secret) stays secret: every canton receiving a share of it is flagged, never zero.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, Parsed, Report, departement_code, integer, largest_remainder, open_xlsx, read_csv,
    sheet_frame,
)

KIND = "bmo"
LABEL = "France Travail, enquête Besoins en main-d'œuvre (BMO)"
SHEET = re.compile(r"^BMO_(\d{4})_open_data$")
BASSIN = re.compile(r"^BE(\d{2})$")
REQUIRED = ["annee", "Code métier BMO", "Dept", "met", "xmet"]
APPROXIMATION = ("Chiffres BMO publiés par bassin d'emploi, répartis entre cantons au prorata de la population "
                 "des communes du bassin, puis à parts égales entre les métiers du même code BMO : approximation.")


def detect(head: bytes, name: str) -> bool:
    if head.startswith(b"PK"):
        return b"BMO_" in head or name.upper().startswith("BMO") or "bmo" in name.lower()
    first = head.decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n")[0]
    return "Code métier BMO" in first and "met" in first


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = _read(data, file)
    missing = [c for c in REQUIRED if c not in frame.columns]
    bassin_column = next((c for c in frame.columns if BASSIN.match(c)), None)
    if missing or not bassin_column:
        raise ImportRejected(file, "colonnes BMO manquantes : " + ", ".join(missing + ([] if bassin_column else ["BE<année>"]))
                             + f" (colonnes trouvées : {', '.join(frame.columns[:12])}).")
    if ctx.bassins.empty:
        raise ImportRejected(file, "aucune table communes → bassins d'emploi n'a été importée : importez d'abord "
                                   "la table des bassins (source « bassins », ex. lexique-bassins.csv).")
    report = Report(KIND, file, rows_read=len(frame))
    ours = frame[frame["Dept"].map(departement_code) == ctx.departement]
    fap = ctx.fap_to_professions()
    mapped = ours[ours["Code métier BMO"].str.strip().isin(fap)]
    weights = _bassin_weights(ctx)
    rows, unknown_bassins = [], set()
    for line, row in mapped.iterrows():
        year = integer(row["annee"], file, line, "annee")
        if year is None or not 2000 <= year <= 2100:
            raise ImportRejected(file, f"année « {row['annee']} » invalide (attendu par ex. 2025)", line=line, column="annee")
        for column in ("met", "xmet"):
            if not row[column].strip():
                raise ImportRejected(file, "valeur manquante (attendu un nombre ou « * »)", line=line, column=column)
        projects = integer(row["met"], file, line, "met", allow_secret=True)
        difficult = integer(row["xmet"], file, line, "xmet", allow_secret=True)
        secret_projects, secret_difficult = row["met"].strip() == "*", row["xmet"].strip() == "*"
        if projects is not None and difficult is not None and difficult > projects:
            raise ImportRejected(file, f"projets difficiles ({difficult}) supérieurs aux projets ({projects})",
                                 line=line, column="xmet")
        bassin = row[bassin_column].strip()
        shares = weights.get(bassin)
        if shares is None:
            unknown_bassins.add(bassin)
            continue
        professions = fap[row["Code métier BMO"].strip()]
        canton_projects = _split(projects, shares.to_numpy())
        canton_difficult = _split_within(difficult, canton_projects, shares.to_numpy())
        for canton, p_canton, d_canton in zip(shares.index, canton_projects, canton_difficult):
            p_split = _split(p_canton, np.ones(len(professions)))
            d_split = _split_within(d_canton, p_split, np.ones(len(professions)))
            for profession, p, d in zip(professions, p_split, d_split):
                rows.append({"year": year, "canton_code": canton, "profession_code": profession,
                             "recruitment_projects": p, "difficult_projects": d,
                             "recruitment_projects_secret": secret_projects,
                             "difficult_projects_secret": secret_projects or secret_difficult})
    if unknown_bassins:
        raise ImportRejected(file, f"bassin(s) d'emploi {', '.join(sorted(unknown_bassins))} absent(s) de la table "
                                   "communes → bassins importée (importez une table à jour).")
    vacancies = pd.DataFrame(rows, columns=["year", "canton_code", "profession_code", "recruitment_projects",
                                            "difficult_projects", "recruitment_projects_secret", "difficult_projects_secret"])
    vacancies = vacancies.groupby(["year", "canton_code", "profession_code"], as_index=False).agg(
        recruitment_projects=("recruitment_projects", lambda s: s.sum(min_count=1)),
        difficult_projects=("difficult_projects", lambda s: s.sum(min_count=1)),
        recruitment_projects_secret=("recruitment_projects_secret", "any"),
        difficult_projects_secret=("difficult_projects_secret", "any"),
    )
    report.rows_kept = len(mapped)
    report.rows_rejected = report.rows_read - report.rows_kept
    secret = int((mapped["met"].str.strip() == "*").sum())
    report.notes.append(f"{len(ours)} ligne(s) du département, dont {len(mapped)} pour des métiers du référentiel.")
    if secret:
        report.notes.append(f"{secret} ligne(s) « * » (secret de la source) : gardées secrètes, jamais mises à zéro.")
    report.notes.append(APPROXIMATION)
    year = int(vacancies["year"].iloc[0]) if len(vacancies) else None
    return Parsed(KIND, {"vacancies": vacancies}, report, publisher="France Travail",
                  title=f"Enquête Besoins en main-d'œuvre {year or ''}".strip(), licence="Licence Ouverte / Etalab 2.0",
                  url="https://statistiques.francetravail.org/bmo")


def _read(data: bytes, file: str) -> pd.DataFrame:
    if data.startswith(b"PK"):
        book = open_xlsx(data, file)
        sheets = [s for s in book.sheetnames if SHEET.match(s)]
        if not sheets:
            raise ImportRejected(file, f"aucune feuille « BMO_<année>_open_data » (feuilles : {', '.join(book.sheetnames)}).")
        return sheet_frame(book[sheets[0]], file)
    return read_csv(data, file)


def _bassin_weights(ctx: Context) -> dict[str, pd.Series]:
    """For each bassin, each canton's share of the bassin's population in the département."""
    merged = ctx.bassins.merge(ctx.communes, left_on="commune_code", right_on="code")
    weights = {}
    for bassin, group in merged.groupby("bassin_code"):
        weights[bassin] = group.groupby("canton_code")["population"].sum().sort_index()
    return weights


def _split_within(value: int | None, parts: list[int | None], weights: np.ndarray) -> list[int | None]:
    """Split difficult projects in proportion to the projects already split, so that no share of
    difficult projects exceeds its share of projects."""
    if value is not None and all(p is not None for p in parts) and sum(parts) > 0:
        return largest_remainder(value, np.array(parts, dtype=float)).tolist()
    return _split(value, weights)


def _split(value: int | None, weights: np.ndarray) -> list[int | None]:
    if value is None:
        return [None] * len(weights)
    return largest_remainder(value, weights).tolist()
