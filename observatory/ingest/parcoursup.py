"""Parcoursup (MESR-SIES), sessions 2018 and 2019, whole France: the training sites of the diplomas
that lead to our professions (IFSI and social-work schools entered Parcoursup in 2019; BTS before),
with their number (UAI), position (GPS) and, per formation, places, candidates, proposals and
admissions.

Every site of France is kept, on every base: the nearest school of a Landes commune may be in the
Pyrénées-Atlantiques, and distances must see it. A site inside the base's territory gets the
commune whose centre is nearest its published position, within the canton that contains it; one
outside keeps its département. A row without a position cannot be placed: it is counted and left
aside, never guessed.
"""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, read_csv

KIND = "parcoursup"
LABEL = "MESR-SIES, Parcoursup : lieux de formation, places, candidats et admis"
SESSION = "Session"
UAI = "Code.UAI.de.l.établissement"
NAME = "Établissement"
DEPARTEMENT = "Code.départemental.de.l.établissement"
FILIERE = "Filière.de.formation.détaillée"
FORMATION = "Filière.de.formation.très.détaillée"
GPS = "Coordonnées.GPS.de.la.formation"
FIGURES = {  # file column → store column
    "Capacité.de.l.établissement.par.formation": "places",
    "Effectif.total.des.candidats.pour.une.formation": "candidates",
    "Effectif.total.des.candidats.ayant.reçu.une.proposition.d.admission.de.la.part.de.l.établissement": "proposals",
    "Effectif.total.des.candidats.ayant.accepté.la.proposition.de.l.établissement..admis.": "admitted",
}
COLUMNS = [SESSION, UAI, NAME, DEPARTEMENT, FILIERE, FORMATION, GPS, *FIGURES]
SITE_MARKERS = (" - Site de ", " - Site d'", " - Site du ", " - Site des ")


def r_name(label: str) -> str:
    """The name R gives a column label (`make.names`): the publisher's export « Code UAI de
    l’établissement » and the R-written copy « Code.UAI.de.l.établissement » are read alike."""
    return re.sub(r"[^\w.]", ".", label.strip())


def detect(head: bytes, name: str) -> bool:
    first = r_name(header_line(head))
    return UAI in first and FILIERE in first


def site_of(formation: str) -> str:
    """« Site de Tarbes » from « Institut … - Site de Tarbes » (a school with several sites); '' for one site."""
    for marker in SITE_MARKERS:
        if marker in formation:
            return marker.removeprefix(" - ") + formation.split(marker, 1)[1].strip()
    return ""


def _count(value: str, file: str, line: int, column: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise ImportRejected(file, f"« {value} » n'est pas un effectif (nombre entier)", line=line, column=column)
    return int(text)


def _position(value: str, file: str, line: int) -> tuple[float, float] | None:
    """(lon, lat) from « lat,lon »; None when the file gives none."""
    if not value.strip():
        return None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas une position « latitude,longitude »", line=line, column=GPS) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ImportRejected(file, f"« {value} » n'est pas une position sur la Terre", line=line, column=GPS)
    return lon, lat


def directory(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Every establishment of the base's départements with a position in the file (of any formation,
    its latest session's first), as a directory the lycées' files are placed with: a lycée that
    teaches a BTS has its position here."""
    rows = frame.assign(uai=frame[UAI].str.strip().str.upper()).sort_values(SESSION, ascending=False, kind="stable")
    rows = rows[rows["uai"].str.fullmatch(r"\d{7}[A-Z]") & (rows[GPS].str.count(",") == 1)
                & rows[DEPARTEMENT].str.strip().isin(ctx.departements)].drop_duplicates("uai")
    if rows.empty:
        return pd.DataFrame(columns=["uai", "name", "departement_code", "lon", "lat", "commune_code"])
    parts = rows[GPS].str.split(",", expand=True)
    lat, lon = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    keep = lat.between(-90, 90) & lon.between(-180, 180)
    rows, lat, lon = rows[keep], lat[keep], lon[keep]
    places = pd.DataFrame({"uai": rows["uai"], "name": rows[NAME].str.strip(),
                           "departement_code": rows[DEPARTEMENT].str.strip(), "lon": lon, "lat": lat})
    places["commune_code"] = ctx.communes_at(places["lon"], places["lat"])
    return places.reset_index(drop=True)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS, rename=r_name)
    report = Report(KIND, file, rows_read=len(frame))
    places = directory(frame, ctx)
    diplomas = ctx.diplomas if ctx.diplomas is not None else pd.DataFrame(columns=["code", "parcoursup_label", "professions"])
    by_label = dict(zip(diplomas["parcoursup_label"], diplomas["code"]))
    professions = dict(zip(diplomas["code"], diplomas["professions"]))
    ours = frame[frame[FILIERE].str.strip().isin(by_label)].copy()
    if ours.empty:
        raise NothingForTerritory(file, "aucune formation d'un diplôme de nos métiers dans ce fichier (diplômes "
                                        "d'État d'infirmier et du travail social, BTS ESF et SP3S).")
    bad = ours[~ours[SESSION].str.strip().str.fullmatch(r"20\d\d")]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0][SESSION]} » n'est pas une année de session", line=int(bad.index[0]),
                             column=SESSION)
    positions = {line: _position(value, file, line) for line, value in ours[GPS].items()}
    unplaced = ours[[positions[line] is None for line in ours.index]]
    ours = ours.drop(index=unplaced.index)
    if ours.empty:
        raise ImportRejected(file, "aucune formation de nos diplômes n'a de position publiée (colonne "
                                   f"« {GPS} ») : aucun lieu ne peut être placé.")
    ours["lon"] = [positions[line][0] for line in ours.index]
    ours["lat"] = [positions[line][1] for line in ours.index]
    ours["diploma_code"] = ours[FILIERE].str.strip().map(by_label)
    ours["site"] = ours[FORMATION].map(site_of)
    ours["uai"] = ours[UAI].str.strip().str.upper()
    sites = (ours.sort_values(SESSION).groupby(["uai", "site"], as_index=False)
             .agg(name=(NAME, "last"), departement_code=(DEPARTEMENT, "last"), lon=("lon", "mean"), lat=("lat", "mean"),
                  diplomas=("diploma_code", lambda codes: sorted(set(codes)))))
    sites["name"] = [f"{n.strip()} ({s})" if s else n.strip() for n, s in zip(sites["name"], sites["site"])]
    sites["departement_code"] = sites["departement_code"].str.strip()
    sites["commune_code"] = ctx.communes_at(sites["lon"], sites["lat"])
    sites["professions"] = [sorted({p for d in codes for p in professions[d]}) for codes in sites["diplomas"]]
    sites["website"] = None
    intake = pd.DataFrame({"year": ours[SESSION].str.strip().astype(int), "uai": ours["uai"], "site": ours["site"],
                           "diploma_code": ours["diploma_code"], "formation": ours[FORMATION].str.strip()})
    for column, name in FIGURES.items():
        intake[name] = [_count(v, file, line, column) for line, v in ours[column].items()]
    inside = int(sites["commune_code"].notna().sum())
    report.rows_kept = len(intake)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{len(sites)} lieux de formation de France pour nos diplômes, dont {inside} dans le territoire "
                        "de la base ; ceux d'ailleurs comptent dans les distances (l'école la plus proche peut être "
                        "dans le département voisin).")
    report.notes.append(f"{len(places)} établissements de toutes formations avec leur position, pour placer les "
                        "chiffres des lycées.")
    if len(unplaced):
        report.notes.append(f"{len(unplaced)} formation(s) sans position publiée laissée(s) de côté : "
                            + ", ".join(sorted(set(unplaced[UAI].str.strip()))[:10]) + ".")
    years = sorted(int(y) for y in intake["year"].unique())
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return Parsed(KIND, {"provider": sites[["name", "commune_code", "lon", "lat", "website", "professions", "uai",
                                            "departement_code", "site"]],
                         "site_intake": intake, "establishment": places}, report,
                  publisher="MESR-SIES (Parcoursup)",
                  title=f"Parcoursup {span} : places, candidats et admis par formation",
                  licence="Licence Ouverte / Etalab 2.0",
                  url="https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-parcoursup/")
