"""LHEO XML training offers (Carif-Oref, ONISEP exports), any 2.x version → providers and sessions.

Parsed with defusedxml: a file declaring entities (billion laughs) or an external DTD is refused.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from observatory.ingest.common import Context, ImportRejected, Parsed, Report, check_size, commune_code, integer

KIND = "lheo"
LABEL = "Offre de formation au format LHEO (Carif-Oref, ONISEP)"
NAMESPACE = re.compile(r"^\{http://www\.lheo\.org/2\.\d+\}lheo$")


def detect(head: bytes, name: str) -> bool:
    return b"lheo.org/2." in head


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    check_size(data, file)
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ImportRejected(file, "XML refusé : il déclare une DTD ou des entités (risque d'expansion « billion "
                                   f"laughs ») ({type(error).__name__}).") from error
    except Exception as error:  # ParseError and friends
        raise ImportRejected(file, f"XML mal formé ({error}).") from error
    if not NAMESPACE.match(root.tag):
        raise ImportRejected(file, f"ce n'est pas un fichier LHEO 2.x (élément racine « {root.tag} »).")
    ns = {"l": root.tag[1:].split("}")[0]}
    rome = ctx.rome_to_profession()
    cantons = ctx.canton_of_commune()
    formations = root.findall("l:offres/l:formation", ns)
    report = Report(KIND, file, rows_read=len(formations))
    providers, sessions, counts = {}, [], {"actions": 0, "sessions": 0, "outside": 0, "unmapped": 0}
    for formation in formations:
        codes = [e.text.strip() for e in formation.findall("l:domaine-formation/l:code-ROME", ns) if e.text]
        professions = sorted({rome[c] for c in codes if c in rome})
        title = _text(formation, "l:intitule-formation", ns)
        organisation = _text(formation, "l:organisme-formation-responsable/l:nom-organisme", ns) or \
            _text(formation, "l:organisme-formation-responsable/l:raison-sociale", ns)
        website = _text(formation, "l:url-formation/l:urlweb", ns)
        for action in formation.findall("l:action", ns):
            counts["actions"] += 1
            action_sessions = action.findall("l:session", ns)
            counts["sessions"] += len(action_sessions)
            if not professions:
                counts["unmapped"] += 1
                continue
            address = action.find("l:lieu-de-formation/l:coordonnees/l:adresse", ns)
            commune = commune_code(_text(address, "l:code-INSEE-commune", ns)) if address is not None else ""
            canton = cantons.get(commune)
            if canton is None:
                counts["outside"] += 1
                continue
            name = _text(action, "l:organisme-formateur/l:raison-sociale-formateur", ns) or organisation or title
            lat = _float(_text(address, "l:geolocalisation/l:latitude", ns))
            lon = _float(_text(address, "l:geolocalisation/l:longitude", ns))
            key = (name, commune)
            entry = providers.setdefault(key, {"name": name, "commune_code": commune, "lon": lon, "lat": lat,
                                               "website": _url(website), "professions": set()})
            entry["professions"].update(professions)
            places = sum(integer(e.text, file, None, f"nb-places-financees (action de « {title} »)") or 0
                         for e in action.findall("l:organisme-financeur/l:nb-places-financees", ns) if e.text)
            for session in action_sessions or [None]:
                start = _date(_text(session, "l:periode/l:debut", ns), file, title) if session is not None else None
                end = _date(_text(session, "l:periode/l:fin", ns), file, title) if session is not None else None
                for profession in professions:
                    sessions.append({"provider_name": name, "commune_code": commune, "profession_code": profession,
                                     "title": title, "start_on": start, "end_on": end, "places": places or None})
    report.rows_kept = len(providers)
    report.rows_rejected = report.rows_read - min(report.rows_read, report.rows_kept)
    report.notes.append(f"{counts['actions']} action(s) et {counts['sessions']} session(s) lues ; "
                        f"{len(providers)} lieu(x) de formation retenu(s) dans le département.")
    if counts["unmapped"]:
        report.notes.append(f"{counts['unmapped']} action(s) d'une formation sans code ROME du référentiel : écartée(s).")
    if counts["outside"]:
        report.notes.append(f"{counts['outside']} action(s) hors du département : écartée(s).")
    provider_frame = pd.DataFrame(
        [{**{k: v for k, v in p.items() if k != "professions"}, "professions": sorted(p["professions"])}
         for p in providers.values()],
        columns=["name", "commune_code", "lon", "lat", "website", "professions"])
    session_frame = pd.DataFrame(sessions, columns=["provider_name", "commune_code", "profession_code", "title",
                                                    "start_on", "end_on", "places"])
    return Parsed(KIND, {"provider": provider_frame, "training_session": session_frame}, report,
                  publisher="Réseau des Carif-Oref (LHEO)", title="Offre de formation (LHEO)",
                  licence="Licence Ouverte / Etalab 2.0 (selon l'émetteur)")


def _text(element, path: str, ns: dict) -> str:
    if element is None:
        return ""
    found = element.find(path, ns)
    return (found.text or "").strip() if found is not None and found.text else ""


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str, file: str, title: str) -> str | None:
    """LHEO dates are AAAAMMJJ; 00000000 (or any zero part) means unknown; a date that does not
    exist (20251345) is refused with its formation."""
    if not re.fullmatch(r"\d{8}", text or "") or text[4:6] == "00" or text[6:] == "00" or text.startswith("0000"):
        return None
    iso = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        date.fromisoformat(iso)
    except ValueError:
        raise ImportRejected(file, f"session de « {title} » : date « {text} » impossible.") from None
    return iso


def _url(text: str) -> str | None:
    if not text:
        return None
    return text if text.startswith(("http://", "https://")) else "https://" + text
