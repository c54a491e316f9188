"""France Travail « Offres d'emploi v2 » search responses (JSON) → individual offers."""
from __future__ import annotations

import io
import re
from collections import Counter
from typing import BinaryIO

import numpy as np
import pandas as pd

from observatory.ingest import json_stream
from observatory.ingest.common import Context, ImportRejected, Parsed, Report, commune_code, plausible_date

KIND = "france-travail"
LABEL = "France Travail, offres d'emploi (API Offres d'emploi v2)"
EXPECTED = "une réponse de recherche de l'API Offres d'emploi v2"
COLUMNS = ["offer_id", "year", "created_on", "canton_code", "commune_code", "profession_code"]


def detect(head: bytes, name: str) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    return text[:1] in (b"{", b"[") and (b'"resultats"' in head or b'"romeCode"' in head)


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    return parse_stream(io.BytesIO(data), file, ctx)


def parse_stream(stream: BinaryIO, file: str, ctx: Context) -> Parsed:
    """The offers are read one at a time (`json_stream`): a 200 000-offer file is never held whole."""
    rome = ctx.rome_to_profession()
    cantons = ctx.canton_of_commune()
    postcodes = ctx.canton_of_postcode()
    columns = {name: [] for name in COLUMNS}
    unmapped, outside, seen, ambiguous, number = Counter(), 0, set(), 0, 0
    for number, offer in enumerate(json_stream.items(stream, file, "resultats", EXPECTED), start=1):
        if not isinstance(offer, dict):
            raise ImportRejected(file, f"forme inattendue : l'élément n° {number} de « resultats » n'est pas une offre "
                                       f"(attendu {EXPECTED}).")
        offer_id, code, created = offer.get("id"), offer.get("romeCode"), offer.get("dateCreation")
        if not isinstance(offer_id, str) or not offer_id or not isinstance(created, str):
            raise ImportRejected(file, f"l'offre n° {number} n'a pas d'« id » ou de « dateCreation » (attendus dans chaque offre).")
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", created)
        if not match:
            raise ImportRejected(file, f"offre {offer_id} : dateCreation « {created} » illisible (attendu AAAA-MM-JJ…).")
        plausible_date(match.group(0), file, f"offre {offer_id}, dateCreation")
        if offer_id in seen:
            continue
        seen.add(offer_id)
        if code not in rome:
            unmapped[code or "(sans code)"] += 1
            continue
        place = offer.get("lieuTravail") or {}
        commune = commune_code(place["commune"]) if place.get("commune") else None
        canton, located = None, False
        postcode = str(place.get("codePostal") or "").strip()
        if commune:
            canton, located = cantons.get(commune), True
        elif postcode:
            canton = postcodes.get(postcode)
            located = postcode not in postcodes  # unknown here: another département
            ambiguous += postcode in postcodes and canton is None
        elif isinstance(place.get("latitude"), (int, float)) and isinstance(place.get("longitude"), (int, float)):
            canton = ctx.locate(np.array([place["longitude"]]), np.array([place["latitude"]]))[0]
            located = canton is not None or not _in_departement(place, ctx)
        if canton is None and (located or not _in_departement(place, ctx)):
            outside += 1
            continue
        for name, value in zip(COLUMNS, (offer_id, int(match.group(1)), match.group(0), canton, commune, rome[code])):
            columns[name].append(value)
    offers = number
    report = Report(KIND, file, rows_read=offers)
    frame = pd.DataFrame(columns)
    if frame.empty:
        raise ImportRejected(file, f"aucune offre du territoire ({ctx.departement}) parmi les {offers} offres du "
                                   f"fichier : {outside} situées hors du département, {sum(unmapped.values())} d'un "
                                   "code ROME hors du référentiel des métiers. Rien n'a été importé.")
    report.rows_kept = len(frame)
    report.rows_rejected = report.rows_read - report.rows_kept
    report.non_localised = int(frame["canton_code"].isna().sum())
    duplicates = offers - len(seen)
    if duplicates:
        report.notes.append(f"{duplicates} offre(s) en double dans le fichier (même identifiant) : comptée(s) une fois.")
    if unmapped:
        listing = ", ".join(f"{c} ({n})" for c, n in unmapped.most_common(10))
        report.notes.append(f"{sum(unmapped.values())} offre(s) d'un code ROME hors du référentiel des métiers "
                            f"(où qu'elles soient) : {listing}.")
    if ambiguous:
        report.notes.append(f"{ambiguous} offre(s) avec seulement un code postal partagé par plusieurs cantons : "
                            "comptée(s) comme non localisée(s).")
    if outside:
        report.notes.append(f"{outside} offre(s) situées hors du département : écartées.")
    report.notes.append("Le taux d'offres non pourvues à 3 mois ne se calcule pas à partir d'un instantané de "
                        "recherche : seules les offres publiées sont comptées.")
    coverage = None
    if len(frame):
        first, last = (pd.Timestamp(d).strftime("%d/%m/%Y") for d in (frame["created_on"].min(), frame["created_on"].max()))
        dates = f"le {first}" if first == last else f"du {first} au {last}"
        coverage = f"instantané de recherche : offres en ligne créées {dates}"
    report.notes.append("Instantané partiel : ces offres sont montrées à part, sans remplacer ni compléter les "
                        "offres d'une année entière, et sans comparaison avec les années complètes.")
    return Parsed(KIND, {"job_offer": frame}, report, publisher="France Travail",
                  title="Offres d'emploi (API Offres d'emploi v2)", licence="Licence Ouverte / Etalab 2.0",
                  url="https://francetravail.io/data/api/offres-emploi", partial=True, coverage=coverage)


def _in_departement(place: dict, ctx: Context) -> bool:
    """An offer labelled only « 40 - Landes »: in the département, but not localised further."""
    label = str(place.get("libelle", ""))
    return label.split(" - ")[0].strip().upper() == ctx.departement
