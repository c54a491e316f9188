"""Commune → bassin d'emploi tables (France Travail BMO geography), needed to place BMO figures."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, Parsed, Report, commune_code, header_line, read_csv

KIND = "bassins"
LABEL = "Table communes → bassins d'emploi (enquête BMO)"
COMMUNE_COLUMNS = ("CODE_COMMUNE_INSEE", "codgeo", "CODGEO", "COM", "code_commune")
BASSIN_CODE = re.compile(r"^(BE\d{2}|codbe|CODBE|code_bassin)$")
BASSIN_NAME = re.compile(r"^(NOMBE\d{2}|libbe|LIBBE|nom_bassin)$")


def _columns(columns) -> tuple[str | None, str | None, str | None]:
    commune = next((c for c in columns if c in COMMUNE_COLUMNS), None)
    code = next((c for c in columns if BASSIN_CODE.match(c)), None)
    name = next((c for c in columns if BASSIN_NAME.match(c)), None)
    return commune, code, name


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    cells = [c.strip() for c in re.split(r"[;,\t]", first)]
    commune, code, _ = _columns(cells)
    return bool(commune and code) and "met" not in cells


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file)
    commune, code, name = _columns(frame.columns)
    if not (commune and code):
        raise ImportRejected(file, "colonnes attendues : un code commune (CODE_COMMUNE_INSEE ou codgeo) et un code "
                                   "de bassin (BE19, BE25… ou codbe).")
    report = Report(KIND, file, rows_read=len(frame))
    table = pd.DataFrame({
        "commune_code": frame[commune].map(commune_code),
        "bassin_code": frame[code].str.strip(),
        "bassin_name": frame[name].str.strip() if name else frame[code].str.strip(),
    }, index=frame.index)
    bad = table[~table["bassin_code"].str.fullmatch(r"\d{3,5}")]
    if len(bad):
        line = bad.index[0]
        raise ImportRejected(file, f"« {bad.iloc[0]['bassin_code']} » n'est pas un code de bassin (attendu 4 chiffres, ex. 7533)",
                             line=line, column=code)
    ours = table[table["commune_code"].isin(set(ctx.communes["code"]))]
    duplicates = int(ours.duplicated().sum())
    ours = ours.drop_duplicates()
    conflicts = ours[ours["commune_code"].duplicated(keep=False)]
    if len(conflicts):
        first = conflicts.iloc[0]["commune_code"]
        raise ImportRejected(file, f"la commune {first} est rattachée à plusieurs bassins "
                                   f"({', '.join(conflicts[conflicts['commune_code'] == first]['bassin_code'])}).",
                             line=int(conflicts.index[0]), column=commune)
    missing = sorted(set(ctx.communes["code"]) - set(ours["commune_code"]))
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    if duplicates:
        report.notes.append(f"{duplicates} ligne(s) en double ignorée(s).")
    if report.rows_rejected - duplicates:
        report.notes.append(f"{report.rows_rejected - duplicates} commune(s) inconnue(s) de la géographie de référence (autre département ou commune fusionnée) ignorée(s).")
    if missing:
        report.notes.append(f"{len(missing)} commune(s) du département sans bassin : {', '.join(missing[:10])}.")
    return Parsed(KIND, {"commune_bassin": ours.reset_index(drop=True)}, report, publisher="France Travail",
                  title="Communes et bassins d'emploi de l'enquête BMO", licence="Licence Ouverte / Etalab 2.0")
