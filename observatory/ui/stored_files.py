"""What the Données page says about the files behind the base: an imported file whose stored copy
vanished or changed (the next build would refuse it), and the base's past repairs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import streamlit as st

from observatory import paths
from observatory.builder import BuildError, repair
from observatory.builder.manifest import ABSENT, stored_problems
from observatory.vocabulary import wording
from observatory.vocabulary.outside_text import literal


def problems(db_path: Path) -> list[str]:
    """One French sentence per imported file at fault, or for an unreadable list of imports."""
    folder = paths.imports_dir_for(db_path)
    return _problems(str(folder), _state(folder))


def _state(folder: Path) -> tuple:
    """The stat of the manifest and of every stored file: the cache key (hashing only when it changes)."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, s.st_size, s.st_mtime_ns) for p in folder.iterdir() if p.is_file()
                        for s in [p.stat()]))


@st.cache_data(max_entries=8, show_spinner=False)
def _problems(folder: str, state: tuple) -> list[str]:
    try:
        found = stored_problems(Path(folder))
    except BuildError:
        return ["La liste des fichiers importés est illisible (fichier endommagé sur le serveur). Les chiffres "
                "affichés restent ceux de la dernière construction ; la base ne pourra pas être reconstruite "
                "avant que le chargé de données ne la restaure."]
    return [f"Fichier importé « {literal(entry.original_name)} » (importé le "
            f"{datetime.fromisoformat(entry.imported_at).strftime('%d/%m/%Y')}) "
            f"{'introuvable sur le serveur' if what == ABSENT else 'modifié sur le serveur depuis son import'}. "
            "Les chiffres affichés l'incluent encore, mais la base ne pourra plus être reconstruite tant qu'il "
            "n'est pas réimporté ou retiré (ci-dessous)." for entry, what in found]


def repairs(db_path: Path) -> list[str]:
    """The base's latest repairs, newest first, one French line each."""
    return [f"{wording.repair_notice(incident.action, datetime.fromisoformat(incident.at))} "
            f"Cause : {literal(incident.problem)}." for incident in repair.incidents(db_path)]


