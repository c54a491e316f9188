"""Display tables in French, built from query results (no Streamlit here, so exports can reuse them)."""
from __future__ import annotations

from html import escape

import pandas as pd

from observatory import secrecy
from observatory.figures import barriers, bassin_tensions, jobs, tensions
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS, Indicator


def area_label(name: str, kind: str | None) -> str:
    """An area as a reader tells it apart: a shared town is marked (a canton may bear its name)."""
    return f"{name} (ville partagée)" if kind == "ville" else name


def shown(value, secret, indicator: Indicator, lower_bound: bool = False) -> str:
    return formats.value(value, indicator.unit, indicator.decimals, secret=bool(secret), lower_bound=bool(lower_bound))


def shown_in(row: pd.Series, indicator: Indicator) -> str:
    """An indicator's value in a published row, « s » or « au moins … » as its flags say."""
    return shown(row[indicator.key], secrecy.is_secret(row, indicator.key), indicator,
                 secrecy.row_lower_bound(row, indicator.key))


def shown_column(frame: pd.DataFrame, key: str, unit: str = "nombre", decimals: int = 0) -> list[str]:
    """`shown_in` for a whole column at once (thousands of rows: no pandas row per value)."""
    return [formats.value(v, unit, decimals, secret=bool(s), lower_bound=bool(lb)) for v, s, lb in zip(
        frame[key], secrecy.secret_flags(frame, key), secrecy.lower_bound(frame, key))]


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
        indicator.label: [shown(v, s, indicator, lb) for v, s, lb in zip(
            ordered[indicator.key], ordered[secrecy.secret_column(indicator.key)], secrecy.lower_bound(ordered, indicator.key))],
        "Population": [formats.number(p) for p in ordered["population"]],
    })


def portrait(area_row: pd.Series, departement_row: pd.Series, natures: dict[str, str],
             shown: list[str] | None = None) -> pd.DataFrame:
    """Every indicator `shown` (default: all): the area beside the département, with its source and
    nature (real or demo), in one column so that the table fits a phone."""
    rows = []
    for indicator in (i for key, i in INDICATORS.items() if shown is None or key in shown):
        rows.append({
            "Indicateur": indicator.label,
            "Territoire": shown_in(area_row, indicator),
            "Département": shown_in(departement_row, indicator),
            "Source et nature": f"{indicator.source} — {natures.get(indicator.key, '')}",
        })
    return pd.DataFrame(rows)


def methodology() -> pd.DataFrame:
    return pd.DataFrame([
        {
            "Indicateur": i.label,
            "Terme des spécialistes": i.technical_name,
            "Définition": i.definition,
            "Formule": i.formula,
            # unit and direction in one short column: the table fits a laptop beside the sidebar
            "Lecture": {"%": "pourcentage", "pour 100": "pour 100", "nombre": "nombre"}[i.unit]
                       + " ; plus élevé = " + ("plus préoccupant" if i.higher_is_worse else "plus favorable"),
            "Source": i.source,
        }
        for i in INDICATORS.values()
    ])


def sources(frame: pd.DataFrame, demo: bool = True) -> pd.DataFrame:
    """The sources of the database; without `demo`, the real ones only."""
    frame = frame if demo else frame[~frame["is_demo"].astype(bool)]
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
        years = [y for ys in group["years"] for y in _year_list(ys)]
        span = f"{min(years)}-{max(years)}" if years and min(years) != max(years) else (str(years[0]) if years else "sans année")
        lines.append(f"{labels.get(kind, kind)} : {span}, importé le {formats.day(pd.Timestamp(latest['imported_at']))}")
    return lines


def _year_list(years) -> list[int]:
    """The years a file's rows cover: none for a file that kept no row (NULL in the database)."""
    return [] if years is None or not hasattr(years, "__len__") else list(years)


def _years(years) -> str:
    years = _year_list(years)
    if not years:
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
    return pd.DataFrame({
        "Territoire": needs["area_name"],
        "Stagiaires cherchant une place": shown_column(needs, "placements_sought"),
        "Places offertes": shown_column(needs, "placements_offered"),
        "Places manquantes": shown_column(needs, "shortfall"),
        "Places pour 100 stagiaires": shown_column(needs, "placement_coverage", INDICATORS["placement_coverage"].unit, 1),
    }).reset_index(drop=True)


def bmo_bassins(frame: pd.DataFrame, by_metier: bool) -> pd.DataFrame:
    """The canton portrait's BMO working: each bassin's published projects (per métier BMO when
    `by_metier`, else all métiers of the selection together), the area's share and its estimate.
    A sum holding a value the source withheld (« * ») is the published part: « au moins … »."""
    keys = ["bmo_label", "bassin_code", "bassin_name"] if by_metier else ["bassin_code", "bassin_name"]
    grouped = frame.groupby(keys, sort=True).agg(
        projects=("recruitment_projects", lambda v: v.sum(min_count=1)),
        withheld=("recruitment_projects_secret", "any"), share=("share", "first")).reset_index()

    def count(value, withheld, factor=1.0, decimals=0):
        if pd.isna(value):
            return formats.SECRET + " (secret de la source)"
        return formats.value(value * factor, "nombre", decimals, lower_bound=bool(withheld))

    table = pd.DataFrame({
        "Bassin d'emploi": [f"{n.title()} ({c})" for n, c in zip(grouped["bassin_name"], grouped["bassin_code"])],
        "Projets du bassin": [count(v, w) for v, w in zip(grouped["projects"], grouped["withheld"])],
        "Part du territoire": [formats.percent(100 * v) for v in grouped["share"]],
        "Estimation pour le territoire": [count(v, w, sh, 1) for v, w, sh in zip(
            grouped["projects"], grouped["withheld"], grouped["share"])],
    })
    if by_metier:
        table.insert(0, "Métier BMO", grouped["bmo_label"])
    return table


def tension_overview(rows: pd.DataFrame, names: dict[str, str], on_list: set[tuple[str, str]]) -> pd.DataFrame:
    """One row per FAP 2009 family: its DARES tension at each place (indicator and category), the
    strongest component at the first place, and whether it is on the official shortage list."""
    out = []
    for family, group in rows.groupby("fap2009", sort=True):
        by_place = group.set_index("place")
        first = next((p for p in names if p in by_place.index), None)
        line = {"Métier (FAP 2009)": tensions.family_label(group.iloc[0])}
        for place, name in names.items():
            row = by_place.loc[place] if place in by_place.index else None
            line[name] = (formats.MISSING if row is None else
                                        f"{formats.number(row['tension'], 2)} ({tensions.category_text(row['category'])})")
        strongest = tensions.strongest(by_place.loc[first]) if first else []
        line["Composante la plus marquée"] = ", ".join(strongest) or formats.MISSING
        listed = [names[p] for p in names if (p, family) in on_list]
        line["Liste des métiers en tension 2024"] = ", ".join(listed) if listed else "non"
        out.append(line)
    return pd.DataFrame(out)


def bassin_label(name: str, code: str, share: float = 1.0) -> str:
    """« Mont De Marsan (7534) »: a bassin d'emploi as its publisher names it, with its code, and the
    part of its population in the territory when it straddles it."""
    part = "" if share >= 1 else f", {formats.percent(100 * share)} de sa population dans le territoire"
    return f"{name.title()} ({code}{part})"


def rome_fiche_label(row, profession_labels: dict[str, str]) -> str:
    """« Soins d'hygiène, de confort du patient (ROME K1301 : aide-soignant) »: the fiche and the
    professions of ours it leads to (all of them, for a fiche that groups several)."""
    ours = ", ".join(profession_labels.get(code, code).lower() for code in row["professions"])
    return f"{row['rome_label']} (ROME {row['rome_code']} : {ours})"


def bassin_tension_rows(pairs: pd.DataFrame, profession_labels: dict[str, str]) -> pd.DataFrame:
    """One row per bassin × fiche: offers and job-seekers of 2021 as published (decimals: annual
    means), job-seekers per offer, the category of each year and the most marked components."""
    year = bassin_tensions.COUNTS_YEAR
    table = pd.DataFrame({
        "Bassin d'emploi": [bassin_label(n, c, sh) for n, c, sh in zip(pairs["bassin_name"], pairs["bassin_code"],
                                                                        pairs["share"])],
        "Métier (fiche ROME)": [rome_fiche_label(row, profession_labels) for _, row in pairs.iterrows()],
        f"Offres enregistrées {year}": [formats.number(v) for v in pairs["offers"]],
        f"Demandeurs d'emploi {year}": [formats.number(v) for v in pairs["job_seekers"]],
        "Demandeurs pour une offre": [formats.number(v, 1) for v in pairs["seekers_per_offer"]],
    })
    for each in bassin_tensions.years(pairs):
        table[f"Tension {each}"] = [tensions.category_text(v) for v in pairs[f"category_{each}"]]
    table["Composante la plus marquée"] = [", ".join(top) or formats.MISSING for top in pairs["strongest"]]
    return table


def most_tense_bassins(pairs: pd.DataFrame, profession_labels: dict[str, str]) -> pd.DataFrame:
    """The home page's « most tense situations »: bassin × fiche, category and job-seekers per offer."""
    year = int(pairs["year"].max()) if len(pairs) else bassin_tensions.COUNTS_YEAR
    return pd.DataFrame({
        "Bassin d'emploi": [bassin_label(n, c, sh) for n, c, sh in zip(pairs["bassin_name"], pairs["bassin_code"],
                                                                        pairs["share"])],
        "Métier (fiche ROME)": [rome_fiche_label(row, profession_labels) for _, row in pairs.iterrows()],
        f"Tension {year}": [tensions.category_text(v) for v in pairs["category"]],
        "Demandeurs pour une offre": [formats.number(v, 1) for v in pairs["seekers_per_offer"]],
        f"Offres enregistrées {bassin_tensions.COUNTS_YEAR}": [formats.number(v) for v in pairs["offers"]],
    })


def tension_components(rows: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The numbers behind the components chart: one row per component, one column per place."""
    out = {"Composante": list(tensions.COMPONENTS.values())}
    for place, name in names.items():
        row = rows[rows["place"] == place]
        out[name] = [formats.MISSING if row.empty or pd.isna(row.iloc[0][key]) else formats.number(row.iloc[0][key])
                     for key in tensions.COMPONENTS]
    return pd.DataFrame(out)


def tension_series(series: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Année": series["year"].astype(int).astype(str),
                         "Indicateur de tension (France)": [formats.number(v, 2) for v in series["tension"]]})


def oldest_population(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Année": frame["year"].astype(int).astype(str),
                         "75 ans et plus": [formats.number(v) for v in frame["population"]],
                         "Part de la population": [formats.percent(v) for v in frame["share"]]})


def area_needs(change: pd.DataFrame, areas: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Per area, fastest growing first: its population change beside the selected indicator."""
    merged = change.merge(areas, on="code", how="left", suffixes=("", "_area")).sort_values("change", ascending=False)
    first, last = int(change["first_year"].iloc[0]), int(change["last_year"].iloc[0])
    return pd.DataFrame({
        "Territoire": merged["name"],
        f"Population {first}": [formats.number(v) for v in merged["first_population"]],
        f"Population {last}": [formats.number(v) for v in merged["last_population"]],
        "Évolution": [formats.change(v, "percent") for v in merged["change"]],
        f"{indicator.label} (dernière année)": [shown_in(row, indicator) for _, row in merged.iterrows()],
    })


def social_housing(frame: pd.DataFrame, total: pd.Series, territory: str) -> pd.DataFrame:
    """The territory's line, then its areas from the fewest social dwellings per inhabitant."""
    rows = pd.concat([total.to_frame().T.assign(name=territory), frame.sort_values(["per_1000", "name"])])
    return pd.DataFrame({
        "Territoire": [area_label(n, k) for n, k in zip(rows["name"], rows.get("kind", [None] * len(rows)))],
        "Logements sociaux": [formats.number(v) for v in rows["stock"]],
        "Pour 1 000 habitants": [formats.number(v, 1) for v in rows["per_1000"]],
        "Vacants": [barriers.vacant_count(v, s) for v, s in zip(rows["vacant"], rows["secret_communes"])],
        "Taux de vacance": [formats.percent(v) for v in rows["vacancy_rate"]],
    })


NOT_PUBLISHED = "non publié"


def cfa_outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    """One cohort's CFAs with their rates; « non publié » where InserJeunes gives none."""
    out = pd.DataFrame({"CFA": [barriers.cfa_name(n) for n in frame["name"]]})
    for key, label in barriers.RATE_LABELS.items():
        out[label] = [NOT_PUBLISHED if pd.isna(v) else formats.percent(v, 0) for v in frame[key]]
    out["Numéro UAI"] = frame["uai"].to_numpy()
    return out


def hiring_intensity(areas: pd.DataFrame, total: pd.Series, territory: str,
                     measures: tuple[str, ...] = tuple(jobs.PER_JOBS)) -> pd.DataFrame:
    """The territory's line, then its areas from the most hiring for 100 jobs; the columns of the
    hiring `measures` shown (without demo mode: the real ones)."""
    first = jobs.PER_JOBS[measures[0]] if measures else "name"
    rows = pd.concat([total.to_frame().T.assign(name=territory),
                      areas.sort_values([first, "name"], ascending=[False, True])])
    year = int(total["jobs_year"])
    out = pd.DataFrame({
        "Territoire": [area_label(n, k) for n, k in zip(rows["name"], rows["kind"])],
        f"Emplois salariés du secteur ({year})": [formats.number(v) for v in rows["jobs"]],
        f"Évolution depuis {year - jobs.TREND_YEARS}": [formats.change(v, "%") for v in rows["jobs_change"]],
    })
    for key, ratio in jobs.PER_JOBS.items():
        if key not in measures:
            continue
        label = "Offres" if key == "offers_published" else "Projets de recrutement"
        out[f"{label} pour 100 emplois"] = shown_column(rows, ratio, "nombre", 1)
    return out


def cards_html(frame: pd.DataFrame) -> str:
    """`frame` as one card per row for a phone: its first column as the card's title, then each
    non-empty column as a term and its value (a web address as a link)."""
    title, *rest = frame.columns
    cards = []
    for row in frame.itertuples(index=False):
        fields = "".join(f"<dt>{escape(str(column))}</dt><dd>{_cell_html(value)}</dd>"
                         for column, value in zip(rest, row[1:]) if str(value).strip())
        cards.append(f"<dl><dt><strong>{escape(str(row[0]))}</strong></dt>{fields}</dl>")
    return "".join(cards)


def _cell_html(value) -> str:
    text = str(value)
    return f'<a href="{escape(text)}">{escape(text)}</a>' if text.startswith(("https://", "http://")) else escape(text)
