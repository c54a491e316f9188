"""Plotly figures in French: whole years on the axis, `1 234,5` and `12,3 %`, source in the hover."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from observatory import secrecy
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import Indicator
from observatory.vocabulary.outside_text import chart_text

# Okabe-Ito: distinguishable by colour-blind readers; the département line is black and thicker.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#999999")


def _hover_texts(frame: pd.DataFrame, indicator: Indicator) -> list[str]:
    """Each point's value as the tables write it: « s », or « au moins … » for a minimum."""
    return [formats.value(v, indicator.unit, indicator.decimals, secret=bool(s), lower_bound=bool(low))
            for v, s, low in zip(frame[indicator.key], secrecy.secret_flags(frame, indicator.key),
                                 secrecy.lower_bound(frame, indicator.key))]


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


def most_changed(frame: pd.DataFrame, indicator: Indicator, n: int) -> list[str]:
    """The `n` names (column `profession`) whose published value changed most between their first
    and last year with a figure (points for a rate, per cent for a count); then those with one year."""
    known = frame.dropna(subset=[indicator.key]).sort_values("year")
    ends = known.groupby("profession")[indicator.key].agg(["first", "last", "count"])
    if indicator.change_unit == "points":
        change = ends["last"] - ends["first"]
    else:
        change = 100 * (ends["last"] / ends["first"].where(ends["first"] != 0) - 1)
    order = pd.DataFrame({"moved": change.abs().where(ends["count"] > 1).fillna(-1), "name": ends.index})
    return order.sort_values(["moved", "name"], ascending=[False, True]).head(n)["name"].tolist()


def trend(lines: list[tuple[str, pd.DataFrame]], indicator: Indicator, source: str, title: str,
          reference: bool = True) -> go.Figure:
    """One line per (name, frame with year, value and secret columns); the first is the reference
    (thick and black) when `reference`, else every line has its own colour.
    The figure is built in one call with its layout (`update_layout` validates property by
    property: three times slower, felt on every rerun)."""
    traces = []
    for position, (name, frame) in enumerate(lines):
        frame = frame.sort_values("year")
        is_reference = reference and position == 0
        colour = SERIES_COLOURS[(position - (1 if reference else 0)) % len(SERIES_COLOURS)]
        traces.append(go.Scatter(
            x=frame["year"], y=frame[indicator.key], name=chart_text(name), mode="lines+markers",
            line=dict(color="#000000" if is_reference else colour, width=4 if is_reference else 2),
            customdata=_hover_texts(frame, indicator),
            hovertemplate=f"{name} : %{{customdata}}<br><i>Source : {source}</i><extra></extra>",
        ))
    return go.Figure(data=traces, layout=_layout(indicator, title))


PLACE_COLOURS = ["#D55E00", "#0072B2", "#555555"]  # the territory, its région, France


def tension_components(rows: pd.DataFrame, names: dict[str, str], components: dict[str, str]) -> go.Figure:
    """The six components' categories (1 to 5) of one family, one group of bars per component,
    one bar per place, each labelled with its category."""
    traces = []
    for position, (place, name) in enumerate(names.items()):
        row = rows[rows["place"] == place]
        if row.empty:
            continue
        values = [row.iloc[0][key] for key in components]
        traces.append(go.Bar(
            y=list(components.values()), x=values, name=name, orientation="h",
            marker_color=PLACE_COLOURS[position % len(PLACE_COLOURS)],
            text=[formats.number(v) if pd.notna(v) else "non publiée" for v in values], textposition="outside",
            hovertemplate=f"{name} : %{{x}} sur 5<extra></extra>"))
    return go.Figure(data=traces, layout=dict(
        barmode="group", height=460, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="#ffffff",
        separators=formats.PLOTLY_SEPARATORS, legend=dict(orientation="h", y=-0.12),
        xaxis=dict(title="Catégorie (1 : très faible, 5 : très forte)", range=[0, 5.6], dtick=1),
        yaxis=dict(autorange="reversed", automargin=True)))


def tension_series(frame: pd.DataFrame, title: str) -> go.Figure:
    """The national tension indicator of one family, year by year."""
    return go.Figure(data=[go.Scatter(
        x=frame["year"], y=frame["tension"], mode="lines+markers", name="France",
        line=dict(color="#000000", width=3),
        customdata=[formats.number(v, 2) for v in frame["tension"]],
        hovertemplate="%{x} : %{customdata}<extra></extra>")], layout=dict(
        title=title, height=360, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="#ffffff",
        separators=formats.PLOTLY_SEPARATORS, xaxis=dict(title="Année", tickformat="d", dtick=1),
        yaxis=dict(title="Indicateur de tension (DARES)")))


def oldest_population(frame: pd.DataFrame, title: str) -> go.Figure:
    """The number of people aged 75 and over, year by year."""
    return go.Figure(data=[go.Scatter(
        x=frame["year"], y=frame["population"], mode="lines", name="75 ans et plus",
        line=dict(color="#0072B2", width=3),
        customdata=[formats.number(v) for v in frame["population"]],
        hovertemplate="%{x} : %{customdata} personnes<extra></extra>")], layout=dict(
        title=title, height=340, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="#ffffff",
        separators=formats.PLOTLY_SEPARATORS, xaxis=dict(title="Année", tickformat="d"),
        yaxis=dict(title="Personnes de 75 ans et plus", rangemode="tozero", tickformat=",d")))


PROJECTED_DASH = "dash"


def outlook_population(series: pd.DataFrame, title: str) -> go.Figure:
    """The people aged 75 and over: observed (INSEE, solid), then projected (DREES, dashed)."""
    traces = []
    for kind, name, color, dash in (("observed", "Observé (INSEE)", "#0072B2", "solid"),
                                    ("projected", "Projection (DREES, scénario central)", "#D55E00", PROJECTED_DASH)):
        part = series[series["kind"] == kind]
        traces.append(go.Scatter(
            x=part["year"], y=part["population_75"], mode="lines", name=name, line=dict(color=color, width=3, dash=dash),
            customdata=[formats.number(v) for v in part["population_75"]],
            hovertemplate=f"%{{x}} : %{{customdata}} personnes ({name.split(' (')[0].lower()})<extra></extra>"))
    return go.Figure(data=traces, layout=dict(
        title=title, height=360, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="#ffffff",
        separators=formats.PLOTLY_SEPARATORS, legend=dict(orientation="h", y=-0.2),
        xaxis=dict(title="Année", tickformat="d"),
        yaxis=dict(title="Personnes de 75 ans et plus", rangemode="tozero", tickformat=",d")))


def outlook_beneficiaries(observed: pd.DataFrame, band: pd.DataFrame, place: str, title: str) -> go.Figure:
    """APA beneficiaries (`place`: at_home, in_institution or total): observed, then the two
    projected scenarios with the band between them."""
    projected_hover = "%{x} : environ %{customdata} (projection, scénario %{meta})<extra></extra>"
    traces = [
        go.Scatter(x=band["year"], y=band["high"], mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
        go.Scatter(x=band["year"], y=band["low"], mode="lines", line=dict(width=0), fill="tonexty",
                   fillcolor="rgba(213, 94, 0, 0.18)", name="Écart entre les deux scénarios", hoverinfo="skip"),
        go.Scatter(x=observed["year"], y=observed[place], mode="lines+markers", name="Observé (DREES)",
                   line=dict(color="#0072B2", width=3), customdata=[formats.number(v) for v in observed[place]],
                   hovertemplate="%{x} : %{customdata} bénéficiaires (observé)<extra></extra>"),
    ]
    for scenario, label, dash in (("constant", "taux constant", PROJECTED_DASH), ("trend", "tendance", "dot")):
        traces.append(go.Scatter(
            x=band["year"], y=band[scenario], mode="lines", name=f"Projection, {label}", meta=label,
            line=dict(color="#D55E00", width=2, dash=dash),
            customdata=[formats.number(round(v, -1)) for v in band[scenario]], hovertemplate=projected_hover))
    return go.Figure(data=traces, layout=dict(
        title=title, height=380, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="#ffffff",
        separators=formats.PLOTLY_SEPARATORS, legend=dict(orientation="h", y=-0.2),
        xaxis=dict(title="Année", tickformat="d"),
        yaxis=dict(title="Bénéficiaires de l'APA", rangemode="tozero", tickformat=",d")))
