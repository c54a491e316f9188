"""Directories of establishments (UAI → where it is), read to place the lycées' figures:

- the lycées' directory of the Éducation nationale (`CODE_UAI`, `CODE_INSEE`, `GEO` « lat, lon »);
- ONISEP's places of teaching (`UAI lieu de cours`, postcode and commune name, no position): the
  commune is the base's commune of that postcode and name; no position is stored (a site placed
  only by it is drawn at its commune's centre, and a directory's own position is preferred).

Only the base's départements are kept. An establishment that neither gives is not guessed: the lycées'
importer then counts it at its département's level.
"""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, header_line, normalise, read_csv, uai_departement,
)

KIND = "etablissements"
LABEL = "Annuaire des lycées (Éducation nationale) ou lieux d'enseignement ONISEP : où est chaque établissement"

DIRECTORY = ["CODE_UAI", "NOM_ETABLISSEMENT", "CODE_INSEE", "GEO"]
ONISEP = ["UAI lieu de cours", "Libellé lieu de cours", "Code postal lieu de cours", "Commune lieu de cours"]
UAI_PATTERN = r"\d{7}[A-Z]"


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return all(c in first for c in DIRECTORY) or all(c in first for c in ONISEP)


def _position(value: str, file: str, line: int) -> tuple[float, float] | tuple[None, None]:
    """(lon, lat) from « lat, lon »; (None, None) when the cell is empty."""
    if not value.strip():
        return None, None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise ImportRejected(file, f"« {value} » n'est pas une position « latitude, longitude »", line=line,
                             column="GEO") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ImportRejected(file, f"« {value} » n'est pas une position sur la Terre", line=line, column="GEO")
    return lon, lat


def _from_directory(frame: pd.DataFrame, file: str, ctx: Context) -> pd.DataFrame:
    known = set(ctx.communes["code"])
    lon, lat = zip(*[_position(v, file, line) for line, v in frame["GEO"].items()]) if len(frame) else ((), ())
    places = pd.DataFrame({"uai": frame["CODE_UAI"], "name": frame["NOM_ETABLISSEMENT"].str.strip(),
                           "commune_code": [c if c in known else None for c in frame["CODE_INSEE"].str.strip()],
                           "lon": pd.array(lon, dtype="Float64"), "lat": pd.array(lat, dtype="Float64")})
    return places


def _from_onisep(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """The base's commune of each place's postcode and name (none when the pair is not the base's)."""
    by_pair = {}
    for commune in ctx.communes.itertuples():
        for postcode in commune.postcodes if commune.postcodes is not None else []:
            by_pair[(str(postcode), normalise(commune.name))] = commune
    found = [by_pair.get((p.strip(), normalise(n))) for p, n in
             zip(frame["Code postal lieu de cours"], frame["Commune lieu de cours"])]
    return pd.DataFrame({"uai": frame["UAI lieu de cours"], "name": frame["Libellé lieu de cours"].str.strip(),
                         "commune_code": [c.code if c is not None else None for c in found],
                         "lon": pd.array([None] * len(found), dtype="Float64"),
                         "lat": pd.array([None] * len(found), dtype="Float64")})


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    head = header_line(data[:65536])
    onisep = all(c in head for c in ONISEP)
    frame = read_csv(data, file, required=ONISEP if onisep else DIRECTORY)
    report = Report(KIND, file, rows_read=len(frame))
    column = ONISEP[0] if onisep else DIRECTORY[0]
    frame[column] = frame[column].str.strip().str.upper()
    bad = frame[~frame[column].str.fullmatch(UAI_PATTERN)]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0][column]} » n'est pas un numéro d'établissement (UAI : sept "
                                   "chiffres et une lettre)", line=int(bad.index[0]), column=column)
    frame = frame.drop_duplicates(column)
    frame = frame[[uai_departement(u) in ctx.departements for u in frame[column]]]
    if frame.empty:
        raise NothingForTerritory(file, "aucun établissement des départements de la base dans ce fichier.")
    places = _from_onisep(frame, ctx) if onisep else _from_directory(frame, file, ctx)
    places["departement_code"] = [uai_departement(u) for u in places["uai"]]
    located = places["lon"].notna() & places["commune_code"].isna()  # a position, no commune code of the base
    if located.any():
        places.loc[located, "commune_code"] = ctx.communes_at(places.loc[located, "lon"], places.loc[located, "lat"])
    report.rows_kept = len(places)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.notes.append(f"{int(places['commune_code'].notna().sum())} établissement(s) placé(s) dans une commune de la "
                        f"base sur {len(places)}.")
    title = ("ONISEP, lieux d'enseignement (commune de chaque établissement)" if onisep
             else "Éducation nationale, annuaire des lycées (commune et position de chaque établissement)")
    return Parsed(KIND, {"establishment": places[["uai", "name", "departement_code", "commune_code", "lon", "lat"]]},
                  report, publisher="ONISEP" if onisep else "Ministère de l'Éducation nationale",
                  title=title, licence="Licence Ouverte / Etalab 2.0", url="https://www.onisep.fr/" if onisep else None)
