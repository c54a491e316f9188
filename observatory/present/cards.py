"""The home page's figure cards, made once per database version and selection and shared by every
visitor: each card's label, value, change, help and the lines under it, in French, ready to draw."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.figures import provenance
from observatory.vocabulary import formats, wording
from observatory.vocabulary.indicators import INDICATORS


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None  # st.metric reads the sign from an ASCII hyphen
    delta_color: str
    help: str
    captions: tuple[str, ...]  # under the figure: a lower bound in words, its source and year


def indicator_cards(figures: pd.DataFrame, shown: list[str], natures: dict[str, str]) -> tuple[Card, ...]:
    """One card per indicator of `queries.key_figures` among `shown`, with its nature."""
    out = []
    for row in figures[figures["indicator"].isin(shown)].itertuples():
        indicator = INDICATORS[row.indicator]
        delta = None if row.secret else formats.change(row.change, indicator.change_unit)
        captions = ()
        if row.lower_bound:
            captions = (f"{formats.value(row.value, row.unit, indicator.decimals, lower_bound=True)} : "
                        f"{wording.PARTLY_MASKED}",)
        out.append(Card(
            indicator.label,
            # a lower bound in short (« ≥ 1 999 ») to fit the card, in words in the caption below
            formats.value(row.value, row.unit, indicator.decimals, secret=row.secret, lower_bound=row.lower_bound,
                          short=True),
            None if delta in (None, formats.MISSING) else delta.replace(formats.MINUS, "-", 1),
            "inverse" if indicator.higher_is_worse else "normal",
            f"{indicator.definition} Source : {indicator.source}.",
            captions + (natures[indicator.key],)))
    return tuple(out)


def headline_cards(headlines) -> tuple[Card, ...]:
    """One card per real headline figure (`figures.headlines`), with its source and year."""
    return tuple(Card(h.label, h.value, None, "normal", h.help, (provenance.headline_nature(h.source, h.year, h.note),))
                 for h in headlines)
