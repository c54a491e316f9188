"""The queries pages call, cached per version of the database and arguments.

Each name here is the `queries` function of the same name without its connection argument:
`data.area_table(filters, year)` is `queries.area_table(connection, filters, year)`, cached.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st

from observatory.figures import (
    barriers, bassin_tensions, headlines, jobs, needs, outlook, portrait, provenance, queries, tensions, training_needs,
    training_sites,
)
from observatory.present import cards, maps, tables, training_tables
from observatory.vocabulary.indicators import INDICATORS
from observatory.ui import session

P = ParamSpec("P")
R = TypeVar("R")


def _cached(function: Callable[Concatenate[Any, P], R], max_entries: int = 128, shared: bool = False) -> Callable[P, R]:
    """`function` without its connection argument, cached by Streamlit per database version;
    `shared`: its result kept whole and never copied (`st.cache_resource`), for a small value the
    pages only read (a copy per call would cost more than the query saved)."""
    def call(version: session.Signature, *args):
        return function(session.connection(version), *args)

    # Streamlit keys a cache by the function's module, qualified name and source: one name each.
    call.__qualname__ = call.__name__ = f"cached_{function.__name__}"
    cache = st.cache_resource if shared else st.cache_data
    cached = cache(max_entries=max_entries, show_spinner=False)(call)

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return cached(session.signature(), *args, **kwargs)

    return wrapper


def _shared(max_entries: int):
    """A function of (version, *args) kept whole per database version and arguments and shared by
    every visitor, never copied (`st.cache_resource`): for what a page only reads and redraws at
    each rerun. The decorated name takes `*args` only; the current version is added."""
    def decorate(function: Callable[Concatenate[Any, P], R]) -> Callable[P, R]:
        cached = st.cache_resource(max_entries=max_entries, show_spinner=False)(function)

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(session.signature(), *args, **kwargs)

        return wrapper

    return decorate


# reference and sources (one value per database version)
professions = _cached(queries.professions, 4)
profession_bmo = _cached(queries.profession_bmo, 4)
years = _cached(queries.years, 4)
territories = _cached(queries.territories, 4)
areas = _cached(queries.areas)
area_name = _cached(queries.area_name, 512)
area_departement = _cached(queries.area_departement, 512)
territory_name = _cached(queries.territory_name)
map_levels = _cached(queries.map_levels)
build_info = _cached(queries.build_info, 4, shared=True)  # read only
sources = _cached(queries.sources, 4)
figure_sources = _cached(queries.figure_sources)
import_history = _cached(queries.import_history, 4)
bmo_approximate_comparisons = _cached(queries.bmo_approximate_comparisons)
# figures of a selection
area_table = _cached(queries.area_table)
area_table_and_territory = _cached(queries.area_table_and_territory)
key_figures = _cached(queries.key_figures)
top_tension_pairs = _cached(queries.top_tension_pairs)
trends = _cached(queries.trends)
non_localised_offers = _cached(queries.non_localised_offers)
_partial_offers = _cached(queries.partial_offers)


@st.cache_resource(max_entries=4, show_spinner=False)
def _has_snapshots(version: session.Signature) -> bool:
    return bool(session.connection(version).execute("SELECT COUNT(*) FROM source WHERE partial").fetchone()[0])


def partial_offers(filters, year: int) -> list:
    """The rows of `queries.partial_offers` (records with its columns as attributes), not even asked
    for when the base holds no search snapshot (most bases): the home page's rerun need not pay for it."""
    if not _has_snapshots(session.signature()):
        return []
    return list(_partial_offers(filters, year).itertuples())
departement_context = _cached(queries.departement_context)
placement_needs = _cached(queries.placement_needs)
access_table = _cached(queries.access_table)
access_communes = _cached(queries.access_communes)
providers = _cached(queries.providers)
profession_diplomas = _cached(training_sites.diplomas)
export_count = _cached(queries.export_count)
export_preview = _cached(queries.export_preview)
# why recruiting is hard (DARES), for the selection
tension_table = _cached(tensions.table)
tension_series = _cached(tensions.series)
shortage_list = _cached(tensions.shortage)
tension_place_names = _cached(tensions.place_names)
bassin_pairs = _cached(bassin_tensions.pairs)
territory_headlines = _cached(headlines.for_territory)
hiring_intensity = _cached(jobs.hiring_intensity)
# the people the professions serve
population_ages = _cached(needs.ages)
area_population_change = _cached(needs.area_change)
# what the territory will need (projections)
outlook_of = _cached(outlook.for_territory)
outlook_ranking = _cached(outlook.ranking, 8)
care_projects = _cached(outlook.care_projects)
care_graduates = _cached(outlook.care_graduates)
departement_staff = _cached(outlook.departement_staff)
# barriers to training and work
social_housing = _cached(barriers.housing)
# one area
communes_of_area = _cached(portrait.communes_of_area)
councillors_of_area = _cached(portrait.councillors_of_area)
bmo_of_area = _cached(portrait.bmo_of_area)
area_population = _cached(portrait.area_population)
canton_context = _cached(portrait.canton_context)


@_shared(64)
def area_shapes(version: session.Signature, territory: str) -> dict:
    """Parsed outlines and bounds of the territory's areas, once per database version (the map
    builders only read them)."""
    return maps.shapes(queries.area_geometries(session.connection(version), territory))


# The sidebar's choices, drawn at every run of every page: shared, never copied (2 000 areas at
# France level would otherwise be unpickled and relabelled at each rerun).
@_shared(64)
def area_choices(version: session.Signature, territory: str) -> dict[str, str]:
    """code → label (« Dax », « Pau (ville partagée) ») of the territory's areas, by name. Read only."""
    areas = queries.areas(session.connection(version), territory).sort_values("name")
    return {row.code: tables.area_label(row.name, row.kind) for row in areas.itertuples()}


@_shared(4)
def profession_choices(version: session.Signature) -> dict[str, str]:
    """code → « Aide-soignant (Aide et soin à domicile) », by name. Read only."""
    # the name first, so that a chosen chip cut by the narrow sidebar still names the profession
    ordered = queries.professions(session.connection(version)).sort_values(["label", "code"])
    return dict(zip(ordered["code"], ordered["label"] + " (" + ordered["family"] + ")"))


@_shared(4)
def profession_labels(version: session.Signature) -> dict[str, str]:
    """code → « Aide-soignant ». Read only."""
    return queries.profession_labels(session.connection(version))


# What the Accès page shows of the territory whatever the profession: built once per database
# version, not at each change of profession (2 000 areas and 10 000 CFA rows at France level).
@st.cache_data(max_entries=16, show_spinner=False)
def _housing_view(version: session.Signature, territory: str, territory_name: str):
    housing = barriers.housing(session.connection(version), territory)
    if housing.empty:
        return None
    total = barriers.housing_total(housing)
    return (barriers.housing_sentence(housing, total, territory_name),
            tables.social_housing(housing, total, territory_name), total)


def housing_view(territory: str, territory_name: str):
    """(sentence, table, territory's total) of the social housing, or None when not loaded."""
    return _housing_view(session.signature(), territory, territory_name)


@st.cache_data(max_entries=16, show_spinner=False)
def _cfa_views(version: session.Signature, territory: str) -> dict:
    outcomes = barriers.cfa_outcomes(session.connection(version), territory)
    return {cohort: tables.cfa_outcomes(outcomes[outcomes["cohort"] == cohort])
            for cohort in sorted(outcomes["cohort"].unique(), reverse=True)}


def cfa_views(territory: str) -> dict:
    """The CFAs' outcomes table of each cohort, the latest first (empty when not loaded)."""
    return _cfa_views(session.signature(), territory)


@st.cache_data(max_entries=32, show_spinner=False)
def _indicator_natures(version: session.Signature, year_from: int, year_to: int) -> dict[str, str]:
    return provenance.indicator_labels(queries.figure_sources(session.connection(version), year_from, year_to))


@_shared(4)
def real_indicators(version: session.Signature) -> tuple[str, ...]:
    """The indicators with real figures in some year of the database: the picker's list without
    demo mode."""
    con = session.connection(version)
    every = queries.years(con)
    return tuple(provenance.real_indicators(queries.figure_sources(con, every[0], every[-1])))


def shown_indicators(demo: bool) -> list[str]:
    """The indicators a selection shows: the real ones, and in demo mode the demo ones after them."""
    real = list(real_indicators())
    return real + ([key for key in INDICATORS if key not in real] if demo else [])


def indicator_natures(year_from: int, year_to: int) -> dict[str, str]:
    """Every indicator's « donnée réelle · … » or « démonstration » over a span of years, once per
    database version and span (not at each change of profession)."""
    return _indicator_natures(session.signature(), year_from, year_to)


# What a rerun with unchanged filters draws again, kept whole and shared by every visitor (not
# copied: the pages only read them). A visitor whose filters equal another's recomputes nothing.
@_shared(256)
def home_headlines(version: session.Signature, professions: tuple[str, ...], territory: str, year: int) -> tuple:
    """The home page's real figures: those of the selection from the cached bassin pairs (the page
    shows them too), those of the whole territory cached apart (a change of profession keeps them)."""
    return tuple(headlines.of_selection(bassin_pairs(professions, territory), year) + territory_headlines(territory, year))


@_shared(256)
def most_tense_table(version: session.Signature, professions: tuple[str, ...], territory: str):
    """(table, its cards for a phone, year) of the five most tense bassin × métier pairs, or Nones. Read only."""
    pairs = bassin_tensions.most_tense(bassin_pairs(professions, territory))
    if pairs.empty:
        return None, None, None
    table = tables.most_tense_bassins(pairs, profession_labels())
    return table, tables.cards_html(table), int(pairs["year"].max())


@_shared(64)
def bassin_table(version: session.Signature, professions: tuple[str, ...], territory: str):
    """(rows, their cards for a phone) of the bassin × métier table of a selection, or Nones. Read only."""
    pairs = bassin_pairs(professions, territory)
    if pairs.empty:
        return None, None
    rows = tables.bassin_tension_rows(pairs, profession_labels())
    return rows, tables.cards_html(rows)


@_shared(8)
def sources_table(version: session.Signature, demo: bool):
    """(table, its cards for a phone): the sources of the base (the real ones only, unless `demo`). Read only."""
    table = tables.sources(queries.sources(session.connection(version)), demo=demo)
    return table, tables.cards_html(table)


@st.cache_resource(max_entries=1, show_spinner=False)
def methodology_table():
    """(table, its cards for a phone): every indicator's definition, the same for every base. Read only."""
    table = tables.methodology()
    return table, tables.cards_html(table)


@_shared(64)
def banner_text(version: session.Signature, year_from: int, year_to: int, demo: bool) -> str:
    """The banner of every page over a span of years: what is real, or in demo mode what is demo."""
    sources = queries.figure_sources(session.connection(version), year_from, year_to)
    return provenance.demo_banner_text(sources) if demo else provenance.real_banner_text(sources)


@_shared(256)
def bmo_scope(version: session.Signature, professions: tuple[str, ...]) -> str:
    """« projets BMO des métiers BMO Aides-soignants (métier BMO V0X60) » for a selection."""
    links = queries.profession_bmo(session.connection(version))
    chosen = links[links["profession_code"].isin(professions)] if professions else links.iloc[0:0]
    return provenance.bmo_scope(list(dict.fromkeys(chosen["bmo_label"])))


@_shared(256)
def home_cards(version: session.Signature, filters, year: int) -> tuple:
    """(cards, whether one is masked): the home page's figure cards of the selection. Read only."""
    figures = key_figures(filters, year)
    shown = shown_indicators(filters.demo)
    made = cards.indicator_cards(figures, shown, indicator_natures(year, year))
    return made + cards.headline_cards(home_headlines(filters.professions, filters.territory, year)), bool(
        figures[figures["indicator"].isin(shown)]["secret"].any())


# The training sites' tables, made once per base version and selection (a rerun redraws them), from
# the formations of a whole territory or area read once (a change of profession reads nothing). Read only.
@_shared(64)
def _formations(version: session.Signature, territory: str, area: str | None):
    return training_sites.formations(session.connection(version), (), territory, area)


@_shared(256)
def territory_training(version: session.Signature, profession: str, territory: str):
    """(sums by département, their cards, caption, every formation) of a profession's formations in the
    territory, or None when none is published."""
    intakes = training_sites.leading_to(_formations(territory, None), (profession,))
    if intakes.empty:
        return None
    totals = training_tables.training_totals(training_sites.totals(intakes))
    return (totals, tables.cards_html(totals),
            training_sites.caption(intakes, "Somme exacte des formations de chaque département, par diplôme, année et source"),
            training_tables.site_intakes(intakes))


@_shared(256)
def area_training(version: session.Signature, area: str, professions: tuple[str, ...]):
    """(every formation of an area's sites, their cards, caption), or None when none is published."""
    sites = training_sites.leading_to(_formations("", area), professions)
    if sites.empty:
        return None
    table = training_tables.site_intakes(sites)
    return table, tables.cards_html(table), training_sites.caption(sites, "Chiffres de chaque formation, tels que publiés")


@_shared(256)
def training_needs_view(version: session.Signature, professions: tuple[str, ...], territory: str, place: str):
    """(sentence, table, its cards) of the places for 100 recruitment projects, or None when no métier has both."""
    found = training_needs.rows(session.connection(version), professions, territory)
    if not found:
        return None
    table = training_needs.table(found)
    return training_needs.sentence(found, place), table, tables.cards_html(table)
