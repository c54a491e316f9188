"""The reference geography a build starts from: `data/reference/<département>/` folders written
by `python -m observatory geo` (cantons, communes, populations, councillors)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from observatory import paths
from observatory.builder.errors import BuildError
from observatory.database import NATIONAL


@dataclass(frozen=True)
class Reference:
    departement: pd.DataFrame
    cantons: pd.DataFrame
    communes: pd.DataFrame
    councillors: pd.DataFrame
    file_hash: str
    extracted_on: date | None


def load_reference(departement: str, root: Path = paths.REFERENCE_DIR) -> Reference:
    """The reference geography of one département, or of every extracted one (`NATIONAL`)."""
    if departement != NATIONAL:
        return _load_one(departement, root)
    folders = sorted(p.name for p in root.iterdir() if (p / "departement.csv").is_file()) if root.is_dir() else []
    if len(folders) < 2:
        raise BuildError(
            f"Géographie nationale absente ({root} ne contient que {len(folders)} département). "
            "Lancez : python -m observatory geo --departement tous"
        )
    parts = [_load_one(code, root) for code in folders]
    digest = hashlib.sha256("".join(p.file_hash for p in parts).encode()).hexdigest()
    dates = [p.extracted_on for p in parts if p.extracted_on]
    return Reference(
        departement=pd.concat([p.departement for p in parts], ignore_index=True),
        cantons=pd.concat([p.cantons for p in parts], ignore_index=True),
        communes=pd.concat([p.communes for p in parts], ignore_index=True),
        councillors=pd.concat([p.councillors for p in parts], ignore_index=True),
        file_hash=digest,
        extracted_on=min(dates) if dates else None,
    )


def _load_one(departement: str, root: Path) -> Reference:
    folder = root / departement
    names = ["departement.csv", "cantons.geojson", "communes.csv", "conseillers.csv"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise BuildError(
            f"Géographie de référence absente pour le département « {departement} » "
            f"({folder} : {', '.join(missing)} manquant). "
            f"Lancez : python -m observatory geo --departement {departement}"
        )
    digest = hashlib.sha256()
    for name in names:
        digest.update((folder / name).read_bytes())
    read = lambda name: pd.read_csv(folder / name, dtype={"code": str, "canton": str, "codes_postaux": str,  # noqa: E731
                                                          "region_code": str})
    geojson = json.loads((folder / "cantons.geojson").read_text(encoding="utf-8"))
    cantons = pd.DataFrame(
        [
            {
                **feature["properties"],
                "geojson": json.dumps(feature["geometry"], separators=(",", ":")) if feature["geometry"] else None,
            }
            for feature in geojson["features"]
        ]
    )
    cantons["cantons_parents"] = cantons["cantons_parents"].fillna("").map(
        lambda v: [c for c in v.split("|") if c]
    )
    cantons["departement_code"] = departement
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8") if (folder / "PROVENANCE.md").exists() else ""
    found = re.search(r"Extrait le (\d{4}-\d{2}-\d{2})", provenance)
    return Reference(
        departement=read("departement.csv").astype({"code": str}),
        cantons=cantons,
        communes=read("communes.csv"),
        councillors=read("conseillers.csv").fillna(""),
        file_hash=digest.hexdigest(),
        extracted_on=date.fromisoformat(found.group(1)) if found else None,
    )
