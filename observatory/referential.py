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
