"""Text alternatives: one plain French sentence saying what a chart or a map shows (RGAA)."""
from __future__ import annotations

import pandas as pd

from observatory import secrecy
from observatory.figures import outlook, tensions
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import Indicator


def _value(value, indicator: Indicator) -> str:
    return formats.value(value, indicator.unit, indicator.decimals)


def map_sentence(table: pd.DataFrame, indicator: Indicator, year: int, departement: str) -> str:
    """« En 2025, le canton de Dax-1 a le plus fort taux … : 19,8 % (Landes : 15,1 %). »"""
    shown = table.dropna(subset=[indicator.key])
    if shown.empty:
        return f"En {year}, aucune valeur publiable pour « {indicator.label.lower()} » : la carte est grise."
    worst = shown.sort_values(indicator.key, ascending=not indicator.higher_is_worse).iloc[0]
    best = shown.sort_values(indicator.key, ascending=indicator.higher_is_worse).iloc[0]
    where = "la ville de" if worst["kind"] == "ville" else "le canton"
    hidden = len(table) - len(shown)
    tail = f" {hidden} territoire(s) sans valeur publiable apparaissent en gris." if hidden else ""
    return (f"En {year}, {where} {worst['name']} a la situation la plus préoccupante pour « {indicator.label.lower()} » : "
            f"{_value(worst[indicator.key], indicator)} ; la plus favorable est {best['name']} "
            f"({_value(best[indicator.key], indicator)}). {departement} : "
            f"{formats.value(table['territory_value'].iloc[0], indicator.unit, indicator.decimals, bool(table['territory_secret'].iloc[0]))}."
            + tail)


def trend_sentence(lines: list[tuple[str, pd.DataFrame]], indicator: Indicator) -> str:
    """« De 2018 à 2025, offres … : Landes de 13,2 % à 15,1 % ; Dax-1 de 12,0 % à 14,2 %. »"""
    parts = []
    years = []
    for name, frame in lines:
        known = frame.dropna(subset=[indicator.key]).sort_values("year")
        if known.empty:
            parts.append(f"{name} : pas de valeur publiable")
            continue
        first, last = known.iloc[0], known.iloc[-1]
        years += [int(first["year"]), int(last["year"])]
        parts.append(f"{name} de {_value(first[indicator.key], indicator)} ({int(first['year'])}) "
                     f"à {_value(last[indicator.key], indicator)} ({int(last['year'])})")
    span = f"De {min(years)} à {max(years)}" if years else "Sur la période"
    return f"{span}, « {indicator.label.lower()} » : " + " ; ".join(parts) + "."


def series_table(lines: list[tuple[str, pd.DataFrame]], indicator: Indicator) -> pd.DataFrame:
    """The numbers behind a trend chart: one row per year, one column per line, French formats."""
    columns = {}
    for name, frame in lines:
        frame = frame.sort_values("year")
        columns[name] = pd.Series(
            [formats.value(v, indicator.unit, indicator.decimals, bool(s), lower_bound=bool(low))
             for v, s, low in zip(frame[indicator.key], secrecy.secret_flags(frame, indicator.key),
                                  secrecy.lower_bound(frame, indicator.key))],
            index=frame["year"].astype(int))
    table = pd.DataFrame(columns)
    table.index.name = "Année"
    return table.fillna(formats.MISSING).reset_index().astype({"Année": str})


def tension_sentence(rows: pd.DataFrame, names: dict[str, str]) -> str:
    """The components chart in words: each place's categories, component by component."""
    parts = []
    for place, name in names.items():
        row = rows[rows["place"] == place]
        if row.empty:
            continue
        values = [f"{label.lower()} {formats.number(row.iloc[0][key]) if pd.notna(row.iloc[0][key]) else 'non publiée'}"
                  for key, label in tensions.COMPONENTS.items()]
        parts.append(f"{name} : " + ", ".join(values))
    return "catégories de 1 à 5 des six composantes — " + " ; ".join(parts) + "."


def tension_series_sentence(series: pd.DataFrame, label: str) -> str:
    """The national series in words: where it started, where it ended, its highest year."""
    first, last = series.iloc[0], series.iloc[-1]
    top = series.loc[series["tension"].idxmax()]
    return (f"en France, l'indicateur de tension des {label} passe de {formats.number(first['tension'], 2)} en "
            f"{int(first['year'])} à {formats.number(last['tension'], 2)} en {int(last['year'])} ; "
            f"le plus haut : {formats.number(top['tension'], 2)} en {int(top['year'])}.")


def oldest_sentence(frame: pd.DataFrame, place: str) -> str:
    first, last = frame.iloc[0], frame.iloc[-1]
    return (f"{place} : {formats.number(last['population'])} personnes de 75 ans et plus en {int(last['year'])} "
            f"({formats.percent(last['share'])} de la population), contre {formats.number(first['population'])} "
            f"en {int(first['year'])} ({formats.percent(first['share'])}).")


def outlook_population_sentence(result: outlook.Outlook, place: str) -> str:
    series = result.population
    observed, projected = series[series["kind"] == "observed"], series[series["kind"] == "projected"]
    first, last = observed.iloc[0], observed.iloc[-1]
    end = projected.iloc[-1]
    return (f"{place} : {formats.number(first['population_75'])} personnes de 75 ans et plus en {int(first['year'])}, "
            f"{formats.number(last['population_75'])} en {int(last['year'])} (estimations INSEE) ; la projection "
            f"de la DREES en compte environ {outlook.about(end['population_75'])} en {int(end['year'])}.")


def outlook_beneficiaries_sentence(result: outlook.Outlook, band: pd.DataFrame, place: str, what: str) -> str:
    now = band.iloc[0]
    end = band.iloc[-1]
    return (f"{place} : {formats.number(now['constant'])} bénéficiaires de l'APA {what} en {int(now['year'])} (observé) ; "
            f"en {int(end['year'])}, entre {outlook.about(end['low'])} et {outlook.about(end['high'])} selon le scénario "
            "(projection).")


def outlook_ranking_sentence(ranking: pd.DataFrame, year: int) -> str:
    first, last = ranking.iloc[0], ranking.iloc[-1]
    return (f"D'ici {year}, la population de 75 ans et plus augmenterait le plus dans le département {first['name']} "
            f"({formats.change(first['growth'], 'percent')}) et le moins dans le département {last['name']} "
            f"({formats.change(last['growth'], 'percent')}) (projection, {len(ranking)} départements).")
