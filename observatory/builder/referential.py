"""The profession referential: `data/referential/professions.csv`, one row per profession."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUMNS = ["code", "libelle", "famille", "codes_rome", "codes_fap", "diplomes"]
LIST_COLUMNS = ["codes_rome", "codes_fap", "diplomes"]
FAMILIES = [
    "Aide et soin à domicile", "Éducatif", "Social", "Insertion",
    "Paramédical et rééducation", "Petite enfance", "Encadrement",
]


class ReferentialError(Exception):
    """The referential file is malformed; the message (French) names the row and the column."""


def load_professions(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ReferentialError(f"{path.name} : colonnes manquantes : {', '.join(missing)}.")
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        for column in ("code", "libelle", "famille", "codes_rome"):
            if not getattr(row, column).strip():
                raise ReferentialError(f"{path.name}, ligne {number} : la colonne « {column} » est vide.")
        if row.famille not in FAMILIES:
            raise ReferentialError(
                f"{path.name}, ligne {number} : famille « {row.famille} » inconnue "
                f"(attendu : {', '.join(FAMILIES)})."
            )
    duplicated = frame.loc[frame["code"].duplicated(), "code"].tolist()
    if duplicated:
        raise ReferentialError(f"{path.name} : codes en double : {', '.join(duplicated)}.")
    for column in LIST_COLUMNS:
        frame[column] = frame[column].map(lambda v: [x.strip() for x in v.split("|") if x.strip()])
    return frame[COLUMNS]


BMO_COLUMNS = ["code_fap2021", "libelle_bmo", "codes_fap2009", "correspondance", "note"]
CORRESPONDENCES = ("identique", "approchée", "sans équivalent")
BMO_PREFIX = "BMO-"  # profession code of a métier BMO's row in the store (e.g. BMO-V4X85)


def load_bmo_metiers(path: Path) -> pd.DataFrame:
    """The BMO métiers of our professions: FAP 2021 code (BMO 2025), French label, the FAP 2009
    codes that BMO 2023 and DARES use for it, and how close that correspondence is."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in BMO_COLUMNS if c not in frame.columns]
    if missing:
        raise ReferentialError(f"{path.name} : colonnes manquantes : {', '.join(missing)}.")
    bad = frame[~frame["correspondance"].isin(CORRESPONDENCES)]
    if len(bad):
        raise ReferentialError(f"{path.name}, ligne {bad.index[0] + 2} : correspondance « {bad.iloc[0]['correspondance']} » "
                               f"inconnue (attendu : {', '.join(CORRESPONDENCES)}).")
    frame["codes_fap2009"] = frame["codes_fap2009"].map(lambda v: [x.strip() for x in v.split("|") if x.strip()])
    return frame[BMO_COLUMNS]


def bmo_rows(metiers: pd.DataFrame) -> pd.DataFrame:
    """The métiers BMO as rows of the store's `profession` table (kind 'bmo'): BMO figures belong
    to them, never split between the professions a métier contains."""
    return pd.DataFrame({
        "code": BMO_PREFIX + metiers["code_fap2021"],
        "label": metiers["libelle_bmo"] + " (métier BMO " + metiers["code_fap2021"] + ")",
        "family": "Métiers de l'enquête BMO",
        "rome_codes": [[] for _ in range(len(metiers))],
        "fap_codes": [[c] for c in metiers["code_fap2021"]],
        "diplomas": [[] for _ in range(len(metiers))],
        "kind": "bmo",
        "fap2009_codes": list(metiers["codes_fap2009"]),
        "fap2009_relation": list(metiers["correspondance"]),
        "fap2009_note": list(metiers["note"]),
    })


def _with_professions(path: Path, columns: list[str], professions: set[str]) -> pd.DataFrame:
    """A referential CSV with `columns`, its « metiers » cell read as the list of professions it
    leads to (« a|b »), each one of `professions`, at least one per row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferentialError(f"{path.name} : colonnes manquantes : {', '.join(missing)}.")
    frame["metiers"] = frame["metiers"].map(lambda v: [x.strip() for x in v.split("|") if x.strip()])
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        unknown = [code for code in row.metiers if code not in professions]
        if not row.metiers or unknown:
            raise ReferentialError(f"{path.name}, ligne {number} : métier(s) inconnu(s) dans « metiers » : "
                                   f"{', '.join(unknown) or '(aucun)'}.")
    return frame


MEF_COLUMNS = ["mef", "diplome", "bcn", "annee", "formation"]


def load_lycee_formations(path: Path, diplomas: set[str]) -> pd.DataFrame:
    """The lycée formations (MEF STAT 11 codes) of our diplomas: which diploma, its BCN code, the
    year of the course and a French label; `diplomas` are the codes a row may name."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in MEF_COLUMNS if c not in frame.columns]
    if missing:
        raise ReferentialError(f"{path.name} : colonnes manquantes : {', '.join(missing)}.")
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        if row.diplome not in diplomas:
            raise ReferentialError(f"{path.name}, ligne {number} : diplôme « {row.diplome} » inconnu de diplomes.csv.")
        if not (len(row.mef) == 11 and len(row.bcn) == 8 and row.annee.isdigit() and row.formation.strip()):
            raise ReferentialError(f"{path.name}, ligne {number} : attendu un code MEF de 11 caractères, un code BCN "
                                   "de 8, une année de formation (chiffre) et un libellé.")
    duplicated = frame.loc[frame["mef"].duplicated(), "mef"].tolist()
    if duplicated:
        raise ReferentialError(f"{path.name} : codes MEF en double : {', '.join(duplicated)}.")
    return pd.DataFrame({"mef": frame["mef"], "diploma_code": frame["diplome"], "bcn": frame["bcn"],
                         "course_year": frame["annee"].astype(int), "formation": frame["formation"].str.strip()})


ROME_V3_COLUMNS = ["code_rome_v3", "libelle_rome_v3", "metiers", "correspondance", "note"]
ROME_V3_RELATIONS = ("identique", "regroupe", "approchée")


def load_rome_v3(path: Path, professions: set[str]) -> pd.DataFrame:
    """The ROME v3 fiches of the job-market files of 2020-2021 (offers, job-seekers, tension by
    bassin), each with the professions it leads to: a fiche that groups several of ours holds their
    figures together, never split; `professions` are the codes a fiche may name."""
    frame = _with_professions(path, ROME_V3_COLUMNS, professions)
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        if row.correspondance not in ROME_V3_RELATIONS:
            raise ReferentialError(f"{path.name}, ligne {number} : correspondance « {row.correspondance} » inconnue "
                                   f"(attendu : {', '.join(ROME_V3_RELATIONS)}).")
    duplicated = frame.loc[frame["code_rome_v3"].duplicated(), "code_rome_v3"].tolist()
    if duplicated:
        raise ReferentialError(f"{path.name} : codes en double : {', '.join(duplicated)}.")
    return frame.rename(columns={"code_rome_v3": "code", "libelle_rome_v3": "label", "metiers": "professions",
                                 "correspondance": "relation"})[["code", "label", "professions", "relation", "note"]]


DIPLOMA_COLUMNS = ["code", "libelle", "sigle", "niveau", "parcoursup", "metiers", "note"]


def load_diplomas(path: Path, professions: set[str]) -> pd.DataFrame:
    """The diplomas that train for our professions, with the Parcoursup label of their formations:
    a diploma that leads to several professions names them all, and its figures are never split
    between them; `professions` are the codes a diploma may name."""
    frame = _with_professions(path, DIPLOMA_COLUMNS, professions)
    for column in ("code", "parcoursup"):
        duplicated = frame.loc[frame[column].duplicated() & (frame[column] != ""), column].tolist()
        if duplicated:
            raise ReferentialError(f"{path.name} : valeurs en double dans « {column} » : {', '.join(duplicated)}.")
    return frame.rename(columns={"libelle": "label", "sigle": "short_label", "niveau": "level",
                                 "parcoursup": "parcoursup_label", "metiers": "professions"})[
        ["code", "label", "short_label", "level", "parcoursup_label", "professions", "note"]]
