"""The shared filters: drawn in the sidebar, kept in `st.session_state` under `Keys`, mirrored in
the URL (`?metiers=aide-soignant,infirmier&annees=2019-2025&indicateur=unfilled_rate&canton=4005`).
What a filter may hold, and the French notice for a bad value, is `filter_grammar`'s."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from observatory import secrecy
from observatory.figures import access, filter_grammar, provenance
from observatory.figures.filter_grammar import Filters
from observatory.vocabulary.indicators import INDICATORS
from observatory.vocabulary.outside_text import LONG, literal
from observatory.ui import data, session, widgets
from observatory.ui.keys import Keys

ALL_AREAS = ""


def _read_url(professions: list[str], years: list[int], territories: dict[str, str]) -> None:
    """Load the filters from the URL once per session; bad values fall back with a notice."""
    if st.session_state.get(Keys.url_loaded):
        last = st.session_state.get(Keys.router_filters)
        if last is not None and Keys.years not in st.session_state:
            # Streamlit drops the widgets' values when a page is switched from code (a button's
            # « Ouvrir sa fiche canton »): put back the last filters, with the area just chosen.
            _restore(replace(last, area=st.session_state.get(Keys.area) or last.area))
        return
    filters, notices = filter_grammar.from_url(
        st.query_params, professions, years, territories, lambda territory: set(data.area_choices(territory)),
        data.real_indicators())
    _restore(filters)
    st.session_state[Keys.notices] = notices
    st.session_state[Keys.url_loaded] = True


def _restore(filters: Filters) -> None:
    """Set every sidebar widget to `filters`."""
    st.session_state[Keys.professions] = list(filters.professions)
    st.session_state[Keys.years] = (filters.year_from, filters.year_to)
    st.session_state[Keys.indicator] = filters.indicator
    st.session_state[Keys.threshold] = filters.threshold
    st.session_state[Keys.distance] = filters.distance_km
    st.session_state[Keys.territory] = filters.territory
    st.session_state[Keys.area] = filters.area or ALL_AREAS
    st.session_state[Keys.demo] = filters.demo


def _write_url(filters: Filters, years: list[int]) -> None:
    wanted = filter_grammar.to_url(filters, years)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def sidebar_filters() -> Filters:
    """Draw the shared filters in the sidebar and return them (called by app.py on every run)."""
    years = data.years()
    territories = data.territories()
    labels = data.profession_choices()
    _read_url(list(labels), years, territories)

    with st.sidebar:
        st.header("Filtres")
        chosen = st.multiselect("Métiers", options=list(labels), format_func=labels.get,
                                key=Keys.professions, placeholder="Tous les métiers")
        if years[0] < years[-1]:
            span = st.slider("Années", min_value=years[0], max_value=years[-1], step=1, format="%d",
                             key=Keys.years, help="La dernière année de la période est l'année affichée.")
        else:
            span = (years[0], years[0])
        demo = bool(st.session_state.get(Keys.demo, False))
        real = data.real_indicators()
        # real indicators first; the demo ones only in demo mode, marked
        options = list(real) + ([k for k in INDICATORS if k not in real] if demo else [])
        if st.session_state.get(Keys.indicator) not in options:  # demo mode just turned off
            st.session_state[Keys.indicator] = filter_grammar.parse_indicator(None, options)[0]
        indicator = st.selectbox(
            "Indicateur", options=options, key=Keys.indicator,
            format_func=lambda k: INDICATORS[k].label + ("" if k in real else f" ({provenance.DEMO})"))
        territory = ""
        if territories:  # a database of several départements: choose the map's and tables' level
            territory = st.selectbox("Territoire", options=list(territories), format_func=territories.get,
                                     key=Keys.territory,
                                     help="France entière, une région ou un département : la carte, les tableaux "
                                          "et les totaux portent sur ce territoire.")
        area_labels = {ALL_AREAS: f"Tout le territoire ({widgets.area_name(None)})" if territories
                       else "Tout le département", **data.area_choices(territory)}
        if st.session_state.get(Keys.area) not in area_labels:  # the area left the territory
            st.session_state[Keys.area] = ALL_AREAS
        area = st.selectbox("Canton", options=list(area_labels), format_func=area_labels.get, key=Keys.area)
        with st.expander("Réglages"):
            threshold = st.selectbox(
                "Seuil du secret statistique", options=list(secrecy.THRESHOLDS), key=Keys.threshold,
                help="Les effectifs de personnes inférieurs à ce seuil sont masqués (« s ») partout : "
                     "écran, carte, graphiques et fichiers exportés.")
            distance = st.selectbox(
                "Loin d'une formation au-delà de (km)", options=list(access.KM_CHOICES), key=Keys.distance,
                help="Distance à vol d'oiseau au lieu de formation le plus proche (page « Accès aux métiers »).")
            st.toggle("Inclure les chiffres de démonstration", key=Keys.demo,
                      help="Ajoute les chiffres fictifs qui montrent ce que l'outil fera quand les fichiers "
                           "manquants seront importés ; ils sont marqués « démonstration » partout.")
    notices = st.session_state.pop(Keys.notices, [])
    if notices:  # once, at the top of the page, where the reader of a shared link looks
        st.warning(literal("Lien partagé : " + " ; ".join(notices) + ".", LONG), icon=":material/link_off:")
    filters = Filters(year_from=int(span[0]), year_to=int(span[1]), professions=tuple(chosen),
                      indicator=indicator, area=area or None, threshold=int(threshold),
                      distance_km=int(distance), territory=territory, demo=demo)
    _write_url(filters, years)
    return filters


def leave_pages_directory_mode() -> bool:
    """A `pages/` folder beside the entry script puts a fresh server in Streamlit's old multipage
    mode until `st.navigation` is first called: its first run either runs a deep-linked page
    without app.py, or runs app.py as a page whose widgets the next run forgets. Leave that mode
    (the caller then reruns through the router)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        return True
    return False


def current_filters() -> Filters:
    """The filters app.py drew in this run; a page run on its own (AppTest) draws them itself."""
    st.markdown(widgets.PAGE_CSS, unsafe_allow_html=True)
    filters = st.session_state.get(Keys.router_filters)
    if filters is None and leave_pages_directory_mode():
        st.rerun()
    if filters is None:
        session.ensure_database()
        filters = sidebar_filters()
    return filters


def choose_area(code: str) -> None:
    """A button's callback: pick `code` in the sidebar's « Canton » and ask for its portrait (the
    page that drew the button switches at its next run; the other filters are kept)."""
    st.session_state[Keys.area] = code
    st.session_state[Keys.portrait_wanted] = True


def map_level_switch(filters: Filters) -> None:
    """Département → région → France in one click above a national map (it sets the sidebar's
    territory); nothing for a database of one département."""
    levels = data.map_levels(filters.territory, filters.area)
    if len(levels) < 2:
        return
    current = next((label for label, key in levels.items() if key == filters.territory), None)

    def switch() -> None:
        st.session_state[Keys.territory] = levels[st.session_state[Keys.map_level]]

    st.session_state[Keys.map_level] = current
    st.radio("Échelle de la carte", list(levels), key=Keys.map_level, horizontal=True, on_change=switch,
             help="Passe la carte, les tableaux et les totaux au département, à la région ou à la France.")
