"""Partner template for the canton's pressures: figures such as households without a car,
childcare places or rents, one per canton, indicator and year, each with its source."""
from __future__ import annotations

import csv
import io

import pandas as pd

from observatory.vocabulary.indicators import CANTON_PRESSURES
from observatory.ingest.common import Context, ImportRejected, Parsed, Report, header_line, integer, read_csv
from observatory.ingest.workbooks import open_xlsx, sheet_frame

KIND = "contexte"
LABEL = "Modèle partenaires (contraintes des cantons)"
COLUMNS = ["annee", "code_canton", "indicateur", "valeur", "source"]
EXAMPLE = [
    {"annee": "2021", "code_canton": "4008", "indicateur": "menages_sans_voiture", "valeur": "6,1",
     "source": "INSEE, recensement 2021 (exemple)"},
    {"annee": "2023", "code_canton": "4008", "indicateur": "places_accueil_jeunes_enfants", "valeur": "48",
     "source": "CAF, observatoire de la petite enfance (exemple)"},
]


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "indicateur" in first and "valeur" in first and "code_canton" in first


def template_file(example: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(EXAMPLE if example else [])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    if data.startswith(b"PK"):
        book = open_xlsx(data, file)
        frame = sheet_frame(book[book.sheetnames[0]], file)
    else:
        frame = read_csv(data, file)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ImportRejected(file, f"colonnes manquantes : {', '.join(missing)} (attendu : {', '.join(COLUMNS)}).")
    areas = set(ctx.areas["code"])
    rows = []
    for line, row in frame.iterrows():
        year = integer(row["annee"], file, line, "annee")
        if year is None or not 2000 <= year <= 2100:
            raise ImportRejected(file, f"« {row['annee']} » n'est pas une année", line=line, column="annee")
        if row["code_canton"].strip() not in areas:
            raise ImportRejected(file, f"« {row['code_canton']} » n'est pas un code de canton du département "
                                       f"({ctx.area_range()})", line=line, column="code_canton")
        if row["indicateur"].strip() not in CANTON_PRESSURES:
            raise ImportRejected(file, f"indicateur « {row['indicateur']} » inconnu (attendu : {', '.join(CANTON_PRESSURES)})",
                                 line=line, column="indicateur")
        try:
            value = float(row["valeur"].strip().replace(",", ".").replace("\u00a0", ""))
        except ValueError:
            raise ImportRejected(file, f"« {row['valeur']} » n'est pas un nombre", line=line, column="valeur") from None
        if value < 0 or value > 100_000:
            raise ImportRejected(file, f"« {row['valeur']} » est invraisemblable", line=line, column="valeur")
        if not row["source"].strip():
            raise ImportRejected(file, "source manquante : chaque chiffre doit dire d'où il vient", line=line, column="source")
        rows.append({"year": year, "canton_code": row["code_canton"].strip(), "indicator": row["indicateur"].strip(),
                     "value": value, "source_label": row["source"].strip()})
    table = pd.DataFrame(rows, columns=["year", "canton_code", "indicator", "value", "source_label"])
    if table.empty:
        raise ImportRejected(file, "aucune ligne de chiffres.")
    report = Report(KIND, file, rows_read=len(frame), rows_kept=len(table))
    return Parsed(KIND, {"canton_context": table}, report, publisher="Partenaire de l'observatoire (modèle contraintes)",
                  title=f"Contraintes des cantons : {file}", licence="Diffusion selon l'accord avec le partenaire")
