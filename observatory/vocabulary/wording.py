"""French sentences several outputs share (pages, exports, deck), written once.

Whether a figure is real or demo, and the BMO sentences, are `provenance`'s; number formats are
`formats`'. What is here: the statistical-secrecy sentences.
"""
from __future__ import annotations

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
