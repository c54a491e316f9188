"""French sentences several outputs share (pages, exports, deck), written once.

Whether a figure is real or demo, and the BMO sentences, are `provenance`'s; number formats are
`formats`'. What is here: the statistical-secrecy sentences.
"""
from __future__ import annotations

SECRET_VALUE = "valeur masquée par le secret statistique"
SECRET_RULE = (
    "Les effectifs de personnes (candidats, inscrits, diplômés, apprentis, "
    "stagiaires) inférieurs à {threshold} sont masqués et remplacés par « s », ainsi que les cases "
    "qui permettraient de les retrouver à partir des totaux. Une valeur que la source a elle-même "
    "masquée (« * » de l'enquête BMO) n'est jamais remplacée par zéro : un total qui en contient une "
    "est donné comme un minimum (« au moins … »), la somme des valeurs publiées."
)
SOURCE_WITHHELD = "une partie des chiffres est masquée par la source"


def secret_rule(threshold: int) -> str:
    """The whole rule, for the notes of an export and the Méthodologie page."""
    return SECRET_RULE.format(threshold=threshold)


def secret_note(threshold: int) -> str:
    """Under a table, map or chart that shows « s »."""
    return (f"« s » : {SECRET_VALUE} (effectif de moins de {threshold} personnes, "
            "ou case qui permettrait de le retrouver).")
