"""French sentences several outputs share (pages, exports, deck), written once.

Whether a figure is real or demo, and the BMO sentences, are `provenance`'s; number formats are
`formats`'. What is here: the statistical-secrecy sentences, and the notice of a repaired base.
"""
from __future__ import annotations

from datetime import datetime

SECRET_VALUE = "valeur masquée par le secret statistique"
SECRET_RULE = (
    "Les effectifs de personnes (candidats, inscrits, diplômés, apprentis, stagiaires) inférieurs à "
    "{threshold} sont masqués et remplacés par « s », dans chaque case du détail (année, canton, métier), "
    "ainsi qu'une seconde case de leur ligne ou de leur colonne quand elle est seule. Le total d'un canton "
    "n'additionne que des cases publiées. Le total d'un territoire (département, région, France) compte les "
    "cases masquées d'un métier quand elles sont au moins deux et atteignent ensemble le seuil dans le "
    "département ; sinon il les laisse de côté. Un total qui laisse de côté une case masquée est donné "
    "comme un minimum (« au moins … ») et les taux qui en dépendent sont masqués. Ainsi, comparer deux "
    "sélections (un métier de plus, un canton de moins) ne fait jamais apparaître une valeur masquée. "
    "De même, une valeur que la source a elle-même masquée (« * » de l'enquête BMO) n'est jamais "
    "remplacée par zéro."
)
PARTLY_MASKED = "une partie des chiffres est masquée (secret statistique ou source)"


def secret_rule(threshold: int) -> str:
    """The whole rule, for the notes of an export and the Méthodologie page."""
    return SECRET_RULE.format(threshold=threshold)


def secret_note(threshold: int) -> str:
    """Under a table, map or chart that shows « s »."""
    return (f"« s » : {SECRET_VALUE} (effectif de moins de {threshold} personnes, "
            "ou case qui permettrait de le retrouver) ; « au moins … » : total qui n'additionne que les "
            "valeurs publiées.")


def repair_notice(action: str, at: datetime) -> str:
    """What a visitor reads after the app found the base damaged and served a sound one again
    (`action`: "rebuilt" from the observatory's own files, or "restored": the previous version)."""
    when = f"le {at.strftime('%d/%m/%Y')} à {at.strftime('%H:%M')}"
    if action == "rebuilt":
        return (f"La base de l'observatoire était illisible ; elle a été reconstruite {when} à partir des "
                "fichiers de l'observatoire. Les chiffres affichés sont complets.")
    return (f"La base de l'observatoire était illisible ; sa version précédente, intacte, a été remise en service "
            f"{when}. Elle précède le dernier import ou retrait de fichier : le chargé de données peut le refaire "
            "depuis la page Données.")
