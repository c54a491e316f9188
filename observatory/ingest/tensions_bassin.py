"""Pôle emploi / DARES tension indicators by bassin d'emploi (BMO 2019 geography) × ROME v3 fiche:
offers registered and job-seekers (categories A, B, C) of the year, the tension category (1 to 5)
and the categories of its six components, the DARES method at a finer grain.

Two layouts: 2021 (`annee;ROME;cbassin;oee;defm_abc;…`), whose counts are offers (annualised) and
job-seekers; 2020 (`annee;rome;libfap;cbassin;lib_bassin_bmo19;…`), whose `oee` and `defm_abc` are
on another scale and are never read as counts. Rows are kept for the fiches that lead to our
professions and the bassins that touch the database's départements (whole bassins, as published)."""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, read_csv

KIND = "tensions_bassin"
LABEL = "Pôle emploi et DARES, offres, demandeurs d'emploi et tension par bassin d'emploi et métier ROME"
PUBLISHER = "Pôle emploi (France Travail) et DARES"
URL = "https://github.com/StartupsPoleEmploi/mobiville"
LICENCE = "Licence Ouverte / Etalab 2.0"
CATEGORY = "ind_tension_d"
# The file's column of each component, and ours (the names of `fap_tension`).
COMPONENTS = {
    "ind_int_emb_d": "hiring_intensity",
    "ind_main_oeuvre_d": "labour_shortage",
    "ind_dur_empl_d": "non_durable_jobs",
    "ind_cond_travail_d": "working_conditions",
    "ind_mismatch_geo_d": "geographic_mismatch",
    "ind_specif_form_empl_d": "training_mismatch",
}
OTHER_SCALE = "libfap"  # a column of the 2020 layout, whose counts are on another scale


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "cbassin" in first and CATEGORY in first


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=["annee", "cbassin", CATEGORY, *COMPONENTS])
    frame.columns = [c.strip() for c in frame.columns]
    rome = next((c for c in frame.columns if c.lower() == "rome"), None)
    if rome is None:
        raise ImportRejected(file, "colonne « ROME » (code de la fiche métier) manquante.")
    counts = OTHER_SCALE not in frame.columns
    if counts and not {"oee", "defm_abc"} <= set(frame.columns):
        raise ImportRejected(file, "colonnes « oee » (offres enregistrées) et « defm_abc » (demandeurs d'emploi) manquantes.")
    report = Report(KIND, file, rows_read=len(frame))
    frame["cbassin"] = frame["cbassin"].str.strip().str.zfill(4)
    bad = frame[~frame["cbassin"].str.fullmatch(r"\d{4}")]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0]['cbassin']} » n'est pas un code de bassin (4 chiffres, ex. 7533)",
                             line=int(bad.index[0]), column="cbassin")
    ours = frame[frame[rome].str.strip().isin(ctx.rome_v3) & frame["cbassin"].isin(_bassins(ctx))]
    if ours.empty:
        raise NothingForTerritory(file, "aucune ligne pour les métiers de l'observatoire et les bassins d'emploi "
                                        "du territoire de la base.")
    rows = []
    for index, row in ours.iterrows():
        line = int(index)
        rows.append({
            "year": _year(row["annee"], file, line),
            "bassin_code": row["cbassin"], "rome_code": row[rome].strip(),
            "offers": _count(row["oee"], file, line, "oee") if counts else None,
            "job_seekers": _count(row["defm_abc"], file, line, "defm_abc") if counts else None,
            "category": _category(row[CATEGORY], file, line, CATEGORY, required=True),
            **{ours_: _category(row[theirs], file, line, theirs) for theirs, ours_ in COMPONENTS.items()},
        })
    table = pd.DataFrame(rows, columns=["year", "bassin_code", "rome_code", "offers", "job_seekers", "category",
                                        *COMPONENTS.values()])
    twice = table[table.duplicated(["year", "bassin_code", "rome_code"])]
    if len(twice):
        first = twice.iloc[0]
        raise ImportRejected(file, f"le bassin {first['bassin_code']} et la fiche {first['rome_code']} apparaissent deux "
                                   f"fois pour {first['year']}", line=int(ours.index[twice.index[0]]))
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{report.rows_rejected} ligne(s) d'autres métiers ou d'autres bassins laissée(s) de côté.")
    if not counts:
        report.notes.append("Offres et demandeurs d'emploi de ce fichier sur une autre échelle : seules les "
                            "catégories de tension (1 à 5) sont retenues.")
    years = sorted(table["year"].unique())
    title = (f"Offres, demandeurs d'emploi et tension par bassin d'emploi et métier ROME ({_years(years)})" if counts
             else f"Tension par bassin d'emploi et métier ROME ({_years(years)})")
    return Parsed(KIND, {"bassin_tension": table}, report, publisher=PUBLISHER, title=title, licence=LICENCE, url=URL)


def _bassins(ctx: Context) -> set[str]:
    """The bassins that touch the database's départements: of the bassins' population table when
    imported, and of the commune → bassin table."""
    parts = ctx.bassin_parts
    touching = set() if parts is None else set(parts.loc[parts["departement_code"].isin(ctx.departements), "bassin_code"])
    return touching | set(ctx.bassins["bassin_code"])


def _years(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _year(value: str, file: str, line: int) -> int:
    text = str(value).strip().removesuffix(".0")
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ImportRejected(file, f"année « {value} » illisible", line=line, column="annee")
    return int(text)


def _count(value: str, file: str, line: int, column: str) -> float | None:
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas un nombre", line=line, column=column) from None
    if not 0 <= number <= 10_000_000:
        raise ImportRejected(file, f"« {value} » n'est pas un effectif possible", line=line, column=column)
    return number


def _category(value: str, file: str, line: int, column: str, required: bool = False) -> int | None:
    text = str(value).strip().removesuffix(".0")
    if not text and not required:
        return None
    if text not in ("1", "2", "3", "4", "5"):
        raise ImportRejected(file, f"« {value} » n'est pas une catégorie de 1 à 5", line=line, column=column)
    return int(text)
