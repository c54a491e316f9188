"""The lycées' figures of the formations of our diplomas (BAC PRO ASSP, CAP AEPE, mention aide à
domicile, BTS SP3S and ESF), per establishment (UAI) × formation (MEF STAT 11 code), whole France
accepted, the base's départements kept:

- the DEPP « constat de rentrée »: pupils at the start of the school year (`Rentrée scolaire`);
- Affelnet: places (« Capacité carte scolaire ») and first wishes (« Demandes vœux 1 »), school (ST)
  or apprenticeship (AP) — the year is in the file's name, the file has none;
- the BTS file: places (`CAPACITEPSUP`) and confirmed wishes (`NB_VOEUX_CONFIRMES`, stored as
  candidates: one per candidate and formation, as Parcoursup counts them) — the year in the name too.

A formation is known by its MEF code (data/referential/mef_lycees.csv); two rows of one lycée, MEF and
pathway (two classes) are added up. An establishment is placed with the directories already imported
(lycées' directory, ONISEP places, Parcoursup positions); one that none places stays at its
département's level (counted in its totals, on no map), listed in the report, never guessed.
"""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, read_csv, uai_departement, year_in_name,
)

KIND = "lycees"
LABEL = "Lycées : élèves (constat de rentrée), places et vœux (Affelnet, BTS) par établissement et formation"

# kind → (UAI, MEF, pathway or None, {file column: store column}, year column or None)
SHAPES = {
    "constat": ("UAI", "Mef Bcp 11", None, {"Nombre d'élèves : Total": "pupils"}, "Rentrée scolaire"),
    "affelnet": ("Etablissement d'accueil", "MEF STAT 11", "Statut Offre de formation",
                 {"Capacité carte scolaire": "places", "Demandes vœux 1": "first_wishes"}, None),
    "bts": ("UAI", "MEFSTAT11", "STATUT", {"CAPACITEPSUP": "places", "NB_VOEUX_CONFIRMES": "candidates"}, None),
}
PATHWAYS = {"ST": "scolaire", "AP": "apprentissage", "Scolaire": "scolaire", "Apprentissage": "apprentissage"}
FIGURES = ["places", "candidates", "first_wishes", "pupils"]
TITLES = {"constat": "DEPP, constat de rentrée {years} : élèves par lycée et formation",
          "affelnet": "Affelnet {years} : places et premiers vœux par lycée et formation",
          "bts": "Parcoursup, BTS {years} : places et vœux confirmés par établissement"}
PUBLISHERS = {"constat": "DEPP (ministère de l'Éducation nationale)", "affelnet": "DGESCO et DEPP (Affelnet)",
              "bts": "MESR-SIES (Parcoursup)"}


def _shape(head: str) -> str | None:
    for kind, (uai, mef, pathway, figures, year) in SHAPES.items():
        if all(c in head for c in [uai, mef, *figures] + ([pathway] if pathway else []) + ([year] if year else [])):
            return kind
    return None


def detect(head: bytes, name: str) -> bool:
    return _shape(header_line(head)) is not None


def _count(value: str, file: str, line: int, column: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ImportRejected(file, f"« {value} » n'est pas un effectif (nombre entier)", line=line, column=column)
    return int(text)


def place(uais: list[str], ctx: Context) -> pd.DataFrame:
    """uai, name, commune_code, lon, lat, departement_code of each establishment: from the directories
    (a row with a position first, then one with a commune, then a name only), or at its département's
    level only, named by its number."""
    known = ctx.establishments if ctx.establishments is not None else pd.DataFrame(
        columns=["uai", "name", "departement_code", "commune_code", "lon", "lat"])
    best = (known.assign(has_position=known["lon"].notna(), has_commune=known["commune_code"].notna())
            .sort_values(["uai", "has_position", "has_commune"], ascending=[True, False, False], kind="stable")
            .drop_duplicates("uai").set_index("uai"))
    rows = []
    for uai in uais:
        if uai in best.index:
            found = best.loc[uai]
            rows.append({"uai": uai, "name": found["name"], "commune_code": found["commune_code"], "lon": found["lon"],
                         "lat": found["lat"]})
        else:
            rows.append({"uai": uai, "name": f"Établissement {uai}", "commune_code": None, "lon": None,
                         "lat": None})
    frame = pd.DataFrame(rows, columns=["uai", "name", "commune_code", "lon", "lat"])
    frame["departement_code"] = [uai_departement(u) for u in frame["uai"]]
    return frame


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    kind = _shape(header_line(data[:65536]))
    if kind is None:
        raise ImportRejected(file, "colonnes d'un fichier des lycées introuvables (constat de rentrée, Affelnet ou BTS).")
    uai, mef, pathway, figures, year_column = SHAPES[kind]
    frame = read_csv(data, file, required=[uai, mef, *figures] + ([pathway] if pathway else [])
                     + ([year_column] if year_column else []))
    report = Report(KIND, file, rows_read=len(frame))
    mefs = ctx.mefs.set_index("mef") if ctx.mefs is not None else pd.DataFrame(
        columns=["diploma_code", "course_year", "formation"])
    ours = frame[frame[mef].str.strip().isin(mefs.index)].copy()
    ours["uai"] = ours[uai].str.strip().str.upper()
    ours = ours[[uai_departement(u) in ctx.departements for u in ours["uai"]]]
    if ours.empty:
        raise NothingForTerritory(file, "aucune formation de nos diplômes (BAC PRO ASSP, CAP AEPE, mention aide à "
                                        "domicile, BTS SP3S et ESF) dans les départements de la base.")
    bad = ours[~ours["uai"].str.fullmatch(r"\d{7}[A-Z]")]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0][uai]} » n'est pas un numéro d'établissement (UAI)",
                             line=int(bad.index[0]), column=uai)
    if year_column:
        wrong = ours[~ours[year_column].str.strip().str.fullmatch(r"20\d\d")]
        if len(wrong):
            raise ImportRejected(file, f"« {wrong.iloc[0][year_column]} » n'est pas une année", line=int(wrong.index[0]),
                                 column=year_column)
        ours["year"] = ours[year_column].str.strip().astype(int)
    else:
        ours["year"] = year_in_name(file, "affelnet_2024.csv", "la rentrée 2024")
    if pathway:
        unknown = ours[~ours[pathway].str.strip().isin(PATHWAYS)]
        if len(unknown):
            raise ImportRejected(file, f"statut « {unknown.iloc[0][pathway]} » inconnu (attendu : "
                                       f"{', '.join(sorted(PATHWAYS))})", line=int(unknown.index[0]), column=pathway)
        ours["pathway"] = ours[pathway].str.strip().map(PATHWAYS)
    else:
        ours["pathway"] = None
    ours["mef"] = ours[mef].str.strip()
    for column, name in figures.items():
        ours[name] = pd.array([_count(v, file, line, column) for line, v in ours[column].items()], dtype="Int64")
    measured = list(figures.values())
    summed = (ours.groupby(["year", "uai", "mef", "pathway"], dropna=False, as_index=False)[measured]
              .sum(min_count=1))
    summed = summed.join(mefs[["diploma_code", "course_year", "formation"]], on="mef")
    intake = pd.DataFrame({"year": summed["year"], "uai": summed["uai"], "site": "", "diploma_code": summed["diploma_code"],
                           "formation": summed["formation"], "kind": kind, "course_year": summed["course_year"],
                           "pathway": summed["pathway"].astype(object).where(summed["pathway"].notna(), None)})
    for name in FIGURES:
        intake[name] = summed[name] if name in summed else pd.array([None] * len(summed), dtype="Int64")
    sites = place(sorted(intake["uai"].unique()), ctx)
    unplaced = sites[sites["lon"].isna() & sites["commune_code"].isna()]
    sites = sites.assign(website=None, professions=[[] for _ in range(len(sites))], site="")
    report.rows_kept = len(ours)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{len(intake)} formations de {len(sites)} établissement(s) des départements de la base.")
    if len(unplaced):
        report.notes.append(f"{len(unplaced)} établissement(s) qu'aucun annuaire importé ne place, comptés au niveau de "
                            "leur département seulement : " + ", ".join(unplaced["uai"]) + ".")
    years = sorted(int(y) for y in intake["year"].unique())
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return Parsed(KIND, {"provider": sites[["name", "commune_code", "lon", "lat", "website", "professions", "uai",
                                            "departement_code", "site"]],
                         "site_intake": intake}, report, publisher=PUBLISHERS[kind], title=TITLES[kind].format(years=span),
                  licence="Licence Ouverte / Etalab 2.0", url=None)
