"""French formats for everything a person reads: `1 234,5`, `12,3 %`, `22/11/2026`."""
from __future__ import annotations

import math
from datetime import date, datetime

NBSP = "\u00a0"  # keeps "1 234" and "12,3 %" on one line
SECRET = "s"  # a value masked by statistical secrecy
MISSING = "–"  # no data


def number(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def percent(value, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{number(value, decimals)}{NBSP}%"


AT_LEAST = "au moins"  # a sum whose source withheld a part (BMO's `*`): the published part
AT_LEAST_SHORT = "≥"
MINUS = "−"  # U+2212, the typographic minus of a change


def value(value, unit: str, decimals: int = 1, secret: bool = False, lower_bound: bool = False,
          short: bool = False) -> str:
    """An indicator's value in its unit; « s » when masked by statistical secrecy; « au moins … »
    (« ≥ … » when `short`) when the source withheld a part of it. `short`: for a card whose label
    names the unit (« … pour 100 … »)."""
    if secret:
        return SECRET
    text = percent(value, decimals) if unit == "%" else number(value, decimals)
    if unit == "pour 100" and text != MISSING and not short:  # a card's label already says « pour 100 »
        text += f"{NBSP}pour{NBSP}100"
    if not lower_bound or text == MISSING:
        return text
    return f"{AT_LEAST_SHORT}{NBSP}{text}" if short else f"{AT_LEAST} {text}"


def change(delta, change_unit: str, decimals: int = 1) -> str:
    """A signed change: « +1,2 point(s) » for rates, « −3,4 % » for counts."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return MISSING
    sign = "+" if delta > 0 else (MINUS if delta < 0 else "")
    body = number(abs(delta), decimals)
    if change_unit == "points":
        return f"{sign}{body}{NBSP}point{'s' if abs(delta) >= 2 else ''}"
    return f"{sign}{body}{NBSP}%"


def arrow(delta) -> str:
    """The direction of a change, drawn as the sign says: ↑ up, ↓ down, → unchanged, nothing if unknown."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return ""
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


def day(when: date | datetime | None) -> str:
    return when.strftime("%d/%m/%Y") if when else MISSING


def moment(when: datetime | None) -> str:
    """« 05/12/2026 21:34:07 »: a day and a time of day, as the clock of `when` reads it."""
    return when.strftime("%d/%m/%Y %H:%M:%S") if when else MISSING


PLOTLY_SEPARATORS = "," + NBSP  # plotly: decimal separator, then thousands separator
