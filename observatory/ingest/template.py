"""The partner template: figures partners hold themselves (training and internship placements)
by canton × profession × year, as CSV (any of `;` `,` tab, UTF-8 or Windows-1252, decimal comma
accepted) or XLSX. Every row is checked; one bad row rejects the file, with every error listed."""
from __future__ import annotations

import csv
import io
import re

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, Parsed, Report, header_line, integer, read_csv,
)
from observatory.ingest.workbooks import open_xlsx, sheet_frame

KIND = "template"
LABEL = "Modèle partenaires (formations et stages)"
KEYS = ["annee", "code_canton", "code_metier", "voie"]
COUNTS = {"places": "seats", "candidats": "applicants", "inscrits": "enrolled", "diplomes": "graduates",
          "stages_offerts": "placements_offered", "stages_demandes": "placements_sought"}
COLUMNS = KEYS + list(COUNTS) + ["organisme", "uai"]
PATHWAYS = ("initiale", "continue", "apprentissage")
MAX_ERRORS = 20
HELP = {
    "annee": "année civile, ex. 2025",
    "code_canton": "code du canton (4001 à 4015 dans les Landes) ou de la ville partagée (4098 Dax, 4099 Mont-de-Marsan)",
    "code_metier": "code du métier dans le référentiel de l'observatoire (page Méthodologie), ex. aide-soignant",
    "voie": "initiale, continue ou apprentissage (vide pour une ligne de stages seulement)",
    "places": "places ouvertes en formation", "candidats": "candidats", "inscrits": "inscrits",
    "diplomes": "diplômés de l'année", "stages_offerts": "places de stage offertes",
    "stages_demandes": "stagiaires cherchant une place", "organisme": "nom de l'organisme (facultatif)",
    "uai": "numéro d'établissement (UAI) du lieu de formation (facultatif) : ses chiffres remplacent alors ceux des "
           "fichiers publics pour ce lieu et cette année, marqués comme transmis par le partenaire",
}
EXAMPLE = [
    {"annee": "2025", "code_canton": "4099", "code_metier": "aide-soignant", "voie": "initiale", "places": "60",
     "candidats": "95", "inscrits": "58", "diplomes": "49", "stages_offerts": "", "stages_demandes": "",
     "organisme": "IFAS de Mont-de-Marsan (exemple)", "uai": ""},
    {"annee": "2025", "code_canton": "4099", "code_metier": "aide-soignant", "voie": "apprentissage", "places": "15",
     "candidats": "22", "inscrits": "14", "diplomes": "12", "stages_offerts": "", "stages_demandes": "",
     "organisme": "IFAS de Mont-de-Marsan (exemple)", "uai": ""},
    {"annee": "2025", "code_canton": "4005", "code_metier": "accompagnant-educatif-social", "voie": "", "places": "",
     "candidats": "", "inscrits": "", "diplomes": "", "stages_offerts": "31", "stages_demandes": "40",
     "organisme": "Établissements du canton de Dax-1 (exemple)", "uai": ""},
]


def detect(head: bytes, name: str) -> bool:
    if head.startswith(b"PK"):
        return b"BMO_" not in head
    first = header_line(head)
    return "code_metier" in first and "annee" in first


def template_file(fmt: str, example: bool) -> bytes:
    """The blank template (header and a help row) or the filled-in example, as CSV (`;`) or XLSX."""
    rows = EXAMPLE if example else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] if c in ("code_canton", "code_metier", "voie", "organisme", "uai") or not row[c] else int(row[c])
                      for c in COLUMNS])
    notice = book.create_sheet("Aide")
    notice.append(["Colonne", "Contenu attendu"])
    for column in COLUMNS:
        notice.append([column, HELP[column]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = _read(data, file)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in KEYS if c not in frame.columns]
    if missing or not any(c in frame.columns for c in COUNTS):
        raise ImportRejected(file, "ce n'est pas le modèle partenaires : colonnes manquantes "
                                   f"{', '.join(missing) or 'de chiffres'} (attendu : {', '.join(COLUMNS)}).")
    frame = frame[[c for c in COLUMNS if c in frame.columns]]
    frame = frame[(frame != "").any(axis=1)]
    report = Report(KIND, file, rows_read=len(frame))
    areas, professions = set(ctx.areas["code"]), set(ctx.professions["code"])
    errors, rows = [], []
    names = list(frame.columns)
    cells = zip(*(frame[name].tolist() for name in names))  # one plain dict at a time: a Series a row is 3 times slower
    for line, row in zip(frame.index, (dict(zip(names, values)) for values in cells)):
        try:
            rows.append(_row(row, line, file, ctx, areas, professions))
        except ImportRejected as error:
            errors.append(str(error))
            if len(errors) >= MAX_ERRORS:
                break
    table = pd.DataFrame(rows, columns=ROW_COLUMNS)
    if not errors and len(table):
        keys = table[["year", "canton_code", "profession_code", "pathway"]]
        duplicated = table[keys.duplicated(keep=False)]
        if len(duplicated):
            first = duplicated.iloc[0]
            lines = ", ".join(str(n) for n in duplicated["line"][:5])
            errors.append(f"{file}, lignes {lines} : la même année, le même canton, le même métier et la même voie "
                          f"apparaissent plusieurs fois ({first['year']}, {first['canton_code']}, {first['profession_code']}).")
    if errors:
        raise ImportRejected(file, f"{len(errors)} erreur(s), rien n'a été importé :\n- " + "\n- ".join(errors))
    if table.empty:
        raise ImportRejected(file, "aucune ligne de chiffres.")
    training = table[table["pathway"] != ""][["year", "canton_code", "profession_code", "pathway",
                                               "seats", "applicants", "enrolled", "graduates", "uai"]]
    internships = table[table[["placements_offered", "placements_sought"]].notna().any(axis=1)]
    internships = internships.groupby(["year", "canton_code", "profession_code"], as_index=False)[
        ["placements_offered", "placements_sought"]].sum(min_count=1)
    report.rows_kept = len(table)
    report.notes.append(f"{len(training)} ligne(s) de formation et {len(internships)} ligne(s) de stages.")
    return Parsed(KIND, {"training": training.reset_index(drop=True), "internships": internships}, report,
                  publisher="Partenaire de l'observatoire (modèle)", title=f"Chiffres transmis : {file}",
                  licence="Diffusion selon l'accord avec le partenaire")


ROW_COLUMNS = ["line", "year", "canton_code", "profession_code", "pathway", *COUNTS.values(), "uai"]  # of `_row`'s tuples


def _read(data: bytes, file: str) -> pd.DataFrame:
    """The sheet « Données » (else the first) or the CSV; the workbook is let go on return."""
    if data.startswith(b"PK"):
        book = open_xlsx(data, file)
        return sheet_frame(book["Données"] if "Données" in book.sheetnames else book[book.sheetnames[0]], file)
    return read_csv(data, file)


def _row(row: dict, line: int, file: str, ctx: Context, areas: set, professions: set) -> tuple:
    year = integer(row["annee"], file, line, "annee")
    if year is None or not 2000 <= year <= 2100:
        raise ImportRejected(file, f"« {row['annee']} » n'est pas une année (attendu par ex. 2025)", line=line, column="annee")
    canton = str(row["code_canton"]).strip()
    if canton not in areas:
        raise ImportRejected(file, f"« {row['code_canton']} » n'est pas un code de canton du département "
                                   f"({ctx.area_range()})", line=line, column="code_canton")
    profession = str(row["code_metier"]).strip()
    if profession not in professions:
        raise ImportRejected(file, f"métier « {row['code_metier']} » inconnu{ctx.suggest_profession(profession)}",
                             line=line, column="code_metier")
    pathway = str(row["voie"]).strip().lower()
    values = {measure: integer(row[column], file, line, column) if column in row else None
              for column, measure in COUNTS.items()}
    training_given = any(values[m] is not None for m in ("seats", "applicants", "enrolled", "graduates"))
    if training_given and pathway not in PATHWAYS:
        raise ImportRejected(file, f"voie « {row['voie']} » inconnue (attendu : {', '.join(PATHWAYS)})", line=line, column="voie")
    if not training_given and pathway and pathway not in PATHWAYS:
        raise ImportRejected(file, f"voie « {row['voie']} » inconnue (attendu : {', '.join(PATHWAYS)})", line=line, column="voie")
    if not training_given:
        pathway = ""
    for smaller, larger in (("enrolled", "applicants"), ("graduates", "enrolled")):
        if values[smaller] is not None and values[larger] is not None and values[smaller] > values[larger]:
            label = {v: k for k, v in COUNTS.items()}
            raise ImportRejected(file, f"{label[smaller]} ({values[smaller]}) supérieur à {label[larger]} ({values[larger]})",
                                 line=line, column=label[smaller])
    uai = str(row.get("uai") or "").strip().upper() or None
    if uai is not None and not re.fullmatch(r"\d{7}[A-Z]", uai):
        raise ImportRejected(file, f"« {row['uai']} » n'est pas un numéro d'établissement (UAI : sept chiffres et une "
                                   "lettre)", line=line, column="uai")
    return (line, year, canton, profession, pathway, *values.values(), uai)  # ROW_COLUMNS; a tuple: 100 000 dicts cost 60 MB
