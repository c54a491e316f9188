"""The official list of occupations in shortage by région (Ministère du Travail, March 2024), per
FAP 2009 family: whether our professions are on the list of the database's région(s)."""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, normalise, read_csv

KIND = "metiers_en_tension"
LABEL = "Ministère du Travail, liste des métiers en tension par région (2024)"
COLUMNS = ["Region", "Famille Professionnelle", "Code FAP"]
NATIONAL = "france entiere"


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return all(c in first for c in COLUMNS)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    regions = {normalise(name): f"R:{code}" for code, name in ctx.regions}
    known = {normalise(r) for r in frame["Region"]} - {NATIONAL}
    unknown = known - set(regions) - _other_regions()
    if unknown:
        line = int(frame.index[frame["Region"].map(normalise).isin(unknown)][0])
        raise ImportRejected(file, f"région « {frame.loc[line, 'Region']} » inconnue", line=line, column="Region")
    place = frame["Region"].map(lambda r: "FR" if normalise(r) == NATIONAL else regions.get(normalise(r)))
    ours = frame[place.notna() & frame["Code FAP"].str.strip().isin(ctx.fap2009_codes())]
    table = pd.DataFrame({"place": place[ours.index], "fap2009": ours["Code FAP"].str.strip(),
                          "label": ours["Famille Professionnelle"].str.strip()})
    if place.isna().all():
        raise NothingForTerritory(file, "aucune ligne pour la France entière ou les régions de la base.")
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append("Seuls les métiers de l'observatoire (FAP 2009) et les régions de la base sont gardés ; "
                        "un métier absent n'est pas sur la liste.")
    return Parsed(KIND, {"shortage_list": table}, report, publisher="Ministère du Travail",
                  title="Liste des métiers en tension par région (mars 2024)",
                  licence="Licence Ouverte / Etalab 2.0")


def _other_regions() -> set[str]:
    """The régions of France (a file names them all, the database may hold only one)."""
    return {normalise(n) for n in (
        "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse",
        "Grand Est", "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie",
        "Pays de la Loire", "Provence-Alpes-Côte d'Azur", "Guadeloupe", "Martinique", "Guyane",
        "La Réunion", "Mayotte")}
