"""Display tables in French, built from query results (no Streamlit here, so exports can reuse them)."""
from __future__ import annotations

import pandas as pd

from observatory import formats
from observatory.indicators import INDICATORS, Indicator


def shown(value, secret, indicator: Indicator) -> str:
    return formats.value(value, indicator.unit, indicator.decimals, secret=bool(secret))


def top_pairs(top: pd.DataFrame) -> pd.DataFrame:
    rate = INDICATORS["unfilled_rate"]
    return pd.DataFrame({
        "Territoire": top["name"],
        "Métier": top["profession"],
        rate.label: [formats.percent(v) for v in top[rate.key]],
        "Offres publiées": [formats.number(v) for v in top["offers_published"]],
        "Offres non pourvues": [formats.number(v) for v in top["offers_unfilled"]],
    })


def area_ranking(table: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    ordered = table.sort_values(["rank", "name"], na_position="last")
    return pd.DataFrame({
        "Rang": [formats.number(r) for r in ordered["rank"]],
        "Territoire": ordered["name"],
        indicator.label: [shown(v, s, indicator) for v, s in zip(ordered[indicator.key], ordered[f"{indicator.key}__secret"])],
        "Population": [formats.number(p) for p in ordered["population"]],
    })


def portrait(area_row: pd.Series, departement_row: pd.Series) -> pd.DataFrame:
    """Every indicator: the area beside the département."""
    rows = []
    for indicator in INDICATORS.values():
        rows.append({
            "Indicateur": indicator.label,
            "Territoire": shown(area_row[indicator.key], area_row[f"{indicator.key}__secret"], indicator),
            "Département": shown(departement_row[indicator.key], departement_row[f"{indicator.key}__secret"], indicator),
            "Source": indicator.source,
        })
    return pd.DataFrame(rows)


def methodology() -> pd.DataFrame:
    return pd.DataFrame([
        {
            "Indicateur": i.label,
            "Nom technique": i.technical_name,
            "Définition": i.definition,
            "Formule": i.formula,
            "Unité": {"%": "pourcentage", "nombre": "nombre", "ratio": "ratio"}[i.unit],
            "Plus élevé =": "plus préoccupant" if i.higher_is_worse else "plus favorable",
            "Source": i.source,
        }
        for i in INDICATORS.values()
    ])


def sources(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Éditeur": frame["publisher"],
        "Données": frame["title"],
        "Licence": frame["licence"],
        "Lien": frame["url"].fillna(""),
        "Date de récupération": [formats.day(d) if pd.notna(d) else formats.MISSING for d in frame["retrieved_on"]],
        "Démonstration": ["oui" if d else "non" for d in frame["is_demo"]],
    })


def import_history(history: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Fichier": history["file_name"],
        "Source": history["kind"],
        "Importé le": [formats.day(d) + d.strftime(" à %H:%M") for d in pd.to_datetime(history["imported_at"])],
        "Par": history["imported_by"],
        "Années": [_years(y) for y in history["years"]],
        "Lignes lues": [formats.number(n) for n in history["rows_read"]],
        "Retenues": [formats.number(n) for n in history["rows_kept"]],
        "Écartées": [formats.number(n) for n in history["rows_rejected"]],
        "Empreinte SHA-256": history["sha256"].str.slice(0, 12) + "…",
    })


def freshness(history: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """« BMO : 2025, importé le 22/11/2026 » for the latest import of each source."""
    lines = []
    for kind, group in history.groupby("kind", sort=True):
        latest = group.iloc[-1]
        years = [y for ys in group["years"] for y in (ys if ys is not None else [])]
        span = f"{min(years)}-{max(years)}" if years and min(years) != max(years) else (str(years[0]) if years else "sans année")
        lines.append(f"{labels.get(kind, kind)} : {span}, importé le {formats.day(pd.Timestamp(latest['imported_at']))}")
    return lines


def _years(years) -> str:
    if years is None or len(years) == 0:
        return formats.MISSING
    return f"{min(years)}-{max(years)}" if len(years) > 1 else str(years[0])


def access_ranking(table: pd.DataFrame, km: int) -> pd.DataFrame:
    ordered = table.sort_values(["rank", "name"])
    return pd.DataFrame({
        "Territoire": ordered["name"],
        f"Habitants à plus de {km} km": [formats.number(v) for v in ordered["population_far"]],
        "Part de la population": [formats.percent(v) for v in ordered["far_share"]],
        "Distance maximale (km)": [formats.number(v, 1) for v in ordered["max_km"]],
    })


def access_communes(communes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Commune": communes["name"],
        "Population": [formats.number(v) for v in communes["population"]],
        "Distance (km)": [formats.number(v, 1) for v in communes["distance_km"]],
        "Temps estimé (min)": [formats.number(v) for v in communes["minutes"]],
        "Lieu de formation le plus proche": (communes["provider"].fillna("aucun dans le département") + " ("
                                             + communes["provider_commune"].fillna("–") + ")"),
        "Site": communes["website"].fillna(""),
    })


def placement_needs(needs: pd.DataFrame) -> pd.DataFrame:
    def cell(row, key, decimals=0, unit="nombre"):
        return formats.value(row[key], unit, decimals, secret=bool(row[f"{key}__secret"]))

    return pd.DataFrame([{
        "Territoire": row["area_name"],
        "Stagiaires cherchant une place": cell(row, "placements_sought"),
        "Places offertes": cell(row, "placements_offered"),
        "Places manquantes": cell(row, "shortfall"),
        "Places pour 100 stagiaires": cell(row, "placement_coverage", 1, "%"),
    } for row in needs.to_dict("records")])
