"""Plotly figures in French: whole years on the axis, `1 234,5` and `12,3 %`, source in the hover."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from observatory import formats, secrecy
from observatory.indicators import Indicator

# Okabe-Ito: distinguishable by colour-blind readers; the département line is black and thicker.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#999999")


def _hover_texts(values: pd.Series, secret: pd.Series, indicator: Indicator) -> list[str]:
    return [formats.value(v, indicator.unit, indicator.decimals, secret=bool(s)) for v, s in zip(values, secret)]


def _layout(indicator: Indicator, title: str) -> dict:
    return dict(
        title=title,
        separators=formats.PLOTLY_SEPARATORS,
        xaxis=dict(title="Année", tickformat="d", dtick=1),
        yaxis=dict(title=indicator.label + (" (%)" if indicator.unit == "%" else ""), rangemode="tozero"),
        legend=dict(orientation="h", yanchor="top", y=-0.2),
        margin=dict(l=10, r=10, t=60, b=10),
        hovermode="x unified",
        # No named template: building one costs tens of milliseconds per chart, and Streamlit's
        # own chart theme styles the figure anyway.
        plot_bgcolor="#ffffff",
    )


def trend(lines: list[tuple[str, pd.DataFrame]], indicator: Indicator, source: str, title: str) -> go.Figure:
    """One line per (name, frame with year, value and secret columns); the first is the reference.
    The figure is built in one call with its layout (`update_layout` validates property by
    property: three times slower, felt on every rerun)."""
    traces = []
    for position, (name, frame) in enumerate(lines):
        frame = frame.sort_values("year")
        reference = position == 0
        traces.append(go.Scatter(
            x=frame["year"], y=frame[indicator.key], name=name, mode="lines+markers",
            line=dict(color="#000000" if reference else SERIES_COLOURS[(position - 1) % len(SERIES_COLOURS)],
                      width=4 if reference else 2, dash=None if reference else "solid"),
            customdata=_hover_texts(frame[indicator.key], secrecy.secret_flags(frame, indicator.key), indicator),
            hovertemplate=f"{name} : %{{customdata}}<br><i>Source : {source}</i><extra></extra>",
        ))
    return go.Figure(data=traces, layout=_layout(indicator, title))
