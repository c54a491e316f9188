"""DREES, « Les bénéficiaires de l'aide sociale départementale »: the people paid the allocation
personnalisée d'autonomie (APA) in December of each year, at home and in institutions, per
département (2002 onwards). The published series holds régions, France and, since 2015, the Rhône
split in two (69D, 69M) beside its whole (69): only the database's départements are kept."""
from __future__ import annotations

import pandas as pd

from observatory.ingest import drees_departements
from observatory.ingest.common import Context, ImportRejected, Parsed, Report, header_line, integer, read_csv

KIND = "apa"
LABEL = "DREES, bénéficiaires de l'APA par département"
COUNTS = {"NbBenefAPA": "total", "NbBenefAPADomicile": "at_home", "NbBenefAPAEtab": "in_institution"}
COLUMNS = ["Code.departement", "TypeTerritoire", "Annee", *COUNTS]


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return "Code.departement" in first and "NbBenefAPADomicile" in first


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    filled = frame[frame["NbBenefAPA"].str.strip() != ""]
    ours = drees_departements.departement_rows(filled, ctx, file, "aucun nombre de bénéficiaires de l'APA")
    rows = []
    for line, row in ours.iterrows():
        year = drees_departements.year(row, file, int(line))
        counts = {name: integer(row[column], file, int(line), column) for column, name in COUNTS.items()}
        if counts["at_home"] is not None and counts["in_institution"] is not None \
                and counts["at_home"] + counts["in_institution"] != counts["total"]:
            raise ImportRejected(file, f"département {row['code']}, {year} : {counts['at_home']} à domicile et "
                                       f"{counts['in_institution']} en établissement ne font pas {counts['total']}",
                                 line=int(line), column="NbBenefAPA")
        rows.append({"year": year, "departement_code": row["code"], **counts})
    table = pd.DataFrame(rows, columns=["year", "departement_code", "total", "at_home", "in_institution"])
    drees_departements.refuse_repeats(table, ["year", "departement_code"], file)
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    if report.rows_rejected:
        report.notes.append(f"{report.rows_rejected} ligne(s) laissée(s) de côté : régions, France, autres départements, "
                            "Rhône et métropole de Lyon publiés à part (le Rhône entier est gardé), années sans APA.")
    years = sorted(table["year"].unique())
    return Parsed(KIND, {"apa_beneficiaries": table}, report, publisher="DREES",
                  title=f"Bénéficiaires de l'APA en décembre, par département, {years[0]}-{years[-1]}",
                  licence="Licence Ouverte / Etalab 2.0",
                  url="https://data.drees.solidarites-sante.gouv.fr")
