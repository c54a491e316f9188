"""The only Streamlit module of the package: cached loaders, shared filters, banner, formatting glue.

Filters live in `st.session_state` under the keys of `Keys` and are mirrored in the URL
(`?metiers=aide-soignant,infirmier&annees=2019-2025&indicateur=unfilled_rate&canton=4005`).
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from observatory import access, export, formats, maps, offline_assets, paths, provenance, queries, secrecy, store
from observatory.indicators import DEFAULT_INDICATOR, ESTIMATES, INDICATORS

DB_ENV = "OBSERVATORY_DB"
ALL_AREAS = ""


class Keys:
    professions = "f_professions"
    years = "f_years"
    indicator = "f_indicator"
    area = "f_area"
    territory = "f_territory"
    threshold = "f_secret"
    distance = "f_km"
    url_loaded = "url_loaded"
    notices = "url_notices"


# ---------------------------------------------------------------- database and cached queries


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or paths.DEFAULT_DB)


def ensure_database() -> None:
    path = db_path()
    if not path.exists():
        with st.spinner("Première ouverture : construction de la base de l'observatoire…"):
            store.build(path)


def _signature(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, inode: int, mtime: int):
    # One read-only connection per database file version; queries open their own cursor.
    return store.connect_readonly(Path(path))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(function_name: str, signature: tuple, args: tuple):
    return getattr(queries, function_name)(_connection(*signature), *args)


def query(function_name: str, *args):
    """Call `queries.<function_name>(connection, *args)`, cached per database version and args."""
    return _cached(function_name, _signature(db_path()), args)


@st.cache_resource(max_entries=64, show_spinner=False)
def _shapes(path: str, inode: int, mtime: int, territory: str) -> dict:
    # Shared, never copied: the map builders only read it.
    return maps.shapes(queries.area_geometries(_connection(path, inode, mtime), territory))


def area_shapes(territory: str | None = None) -> dict:
    """Parsed outlines and bounds of the territory's areas (the one chosen in the sidebar by
    default), computed once per database version and territory."""
    if territory is None:
        territory = st.session_state.get(Keys.territory, "")
    return _shapes(*_signature(db_path()), territory)


def leaflet_url() -> str:
    offline_assets.ensure_leaflet()
    base = st.get_option("server.baseUrlPath").strip("/")
    return "/" + "/".join(part for part in (base, offline_assets.LEAFLET_URL) if part)


# ---------------------------------------------------------------- filters


def _read_url(codes: list[str], years: list[int], territories: dict[str, str]) -> None:
    """Load the filters from the URL once per session; bad values fall back with a notice."""
    if st.session_state.get(Keys.url_loaded):
        return
    notices = []
    params = st.query_params
    chosen = []
    for code in [c for c in params.get("metiers", "").split(",") if c]:
        if code in codes:
            chosen.append(code)
        else:
            notices.append(f"métier « {code} » inconnu, ignoré")
    st.session_state[Keys.professions] = chosen

    span = (years[0], years[-1])
    text = params.get("annees", "")
    if text:
        try:
            parts = [int(p) for p in text.split("-")]
            start, end = (parts[0], parts[-1]) if len(parts) in (1, 2) else (None, None)
            if start is None or not (years[0] <= start <= end <= years[-1]):
                raise ValueError
            span = (start, end)
        except ValueError:
            notices.append(f"années « {text} » invalides (attendu {years[0]}-{years[-1]}), période complète affichée")
    st.session_state[Keys.years] = span

    indicator = params.get("indicateur", DEFAULT_INDICATOR)
    if indicator not in INDICATORS:
        notices.append(f"indicateur « {indicator} » inconnu, indicateur par défaut affiché")
        indicator = DEFAULT_INDICATOR
    st.session_state[Keys.indicator] = indicator

    threshold = params.get("secret", str(secrecy.DEFAULT_THRESHOLD))
    if threshold not in {str(t) for t in secrecy.THRESHOLDS}:
        notices.append(f"seuil de secret « {threshold} » invalide, seuil {secrecy.DEFAULT_THRESHOLD} appliqué")
        threshold = str(secrecy.DEFAULT_THRESHOLD)
    st.session_state[Keys.threshold] = int(threshold)

    km = params.get("km", str(access.DEFAULT_KM))
    if km not in {str(k) for k in access.KM_CHOICES}:
        notices.append(f"distance « {km} » invalide, {access.DEFAULT_KM} km appliqués")
        km = str(access.DEFAULT_KM)
    st.session_state[Keys.distance] = int(km)

    territory = params.get("territoire", "")
    if territory and territory not in territories:
        notices.append(f"territoire « {territory} » inconnu, tout le territoire de la base affiché")
        territory = ""
    st.session_state[Keys.territory] = territory
    area = params.get("canton", ALL_AREAS)
    if area and area not in set(query("areas", territory)["code"]):
        notices.append(f"canton « {area} » inconnu, tout le territoire affiché")
        area = ALL_AREAS
    st.session_state[Keys.area] = area
    st.session_state[Keys.notices] = notices
    st.session_state[Keys.url_loaded] = True


def _write_url(filters: queries.Filters, years: list[int]) -> None:
    wanted = {}
    if filters.professions:
        wanted["metiers"] = ",".join(filters.professions)
    if (filters.year_from, filters.year_to) != (years[0], years[-1]):
        wanted["annees"] = f"{filters.year_from}-{filters.year_to}"
    if filters.indicator != DEFAULT_INDICATOR:
        wanted["indicateur"] = filters.indicator
    if filters.territory:
        wanted["territoire"] = filters.territory
    if filters.area:
        wanted["canton"] = filters.area
    if filters.threshold != secrecy.DEFAULT_THRESHOLD:
        wanted["secret"] = str(filters.threshold)
    if filters.distance_km != access.DEFAULT_KM:
        wanted["km"] = str(filters.distance_km)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def sidebar_filters() -> queries.Filters:
    """Draw the shared filters in the sidebar and return them (called by app.py on every run)."""
    professions = query("professions")
    years = query("years")
    territories = query("territories")
    labels = dict(zip(professions["code"], professions["family"] + " · " + professions["label"]))
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
        indicator = st.selectbox("Indicateur", options=list(INDICATORS),
                                 format_func=lambda k: INDICATORS[k].label, key=Keys.indicator)
        territory = ""
        if territories:  # a database of several départements: choose the map's and tables' level
            territory = st.selectbox("Territoire", options=list(territories), format_func=territories.get,
                                     key=Keys.territory,
                                     help="France entière, une région ou un département : la carte, les tableaux "
                                          "et les totaux portent sur ce territoire.")
        areas = query("areas", territory)
        area_labels = {ALL_AREAS: f"Tout le territoire ({area_name(None)})" if territories else "Tout le département",
                       **{row.code: (f"{row.name} (ville partagée)" if row.kind == "ville" else row.name)
                          for row in areas.sort_values("name").itertuples()}}
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
        for notice in st.session_state.get(Keys.notices, []):
            st.caption(f"Lien partagé : {notice}.")
    filters = queries.Filters(year_from=int(span[0]), year_to=int(span[1]), professions=tuple(chosen),
                              indicator=indicator, area=area or None, threshold=int(threshold),
                              distance_km=int(distance), territory=territory)
    _write_url(filters, years)
    return filters


ROUTER_FILTERS = "router_filters"


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


def current_filters() -> queries.Filters:
    """The filters app.py drew in this run; a page run on its own (AppTest) draws them itself."""
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    filters = st.session_state.get(ROUTER_FILTERS)
    if filters is None and leave_pages_directory_mode():
        st.rerun()
    if filters is None:
        ensure_database()
        filters = sidebar_filters()
    return filters


# ---------------------------------------------------------------- shared pieces of pages

# Whole metric labels (Streamlit cuts them with an ellipsis), and a visible keyboard focus.
PAGE_CSS = """<style>
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div { white-space: normal !important; overflow: visible !important; }
[data-testid="stMetricLabel"] { height: auto !important; min-height: 2.6em; }
:focus-visible { outline: 3px solid #1f5f8b !important; outline-offset: 2px; }
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 4.5vw, 2.1rem) !important; }
h1 { overflow-wrap: normal; word-break: normal; hyphens: manual; }
@media (max-width: 640px) { h1 { font-size: 1.7rem !important; } }
</style>"""

# Presentation: large type, minimal chrome (the sidebar stays reachable by its arrow).
SLIDE_CSS = """<style>
h1.slide-title { font-size: 3rem !important; color: #1f5f8b; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; }
</style>"""


@st.cache_data(max_entries=32, show_spinner=False)
def _deck(signature: tuple, filters: queries.Filters, year: int, today: date) -> list:
    from observatory import deck

    return deck.slides(_connection(*signature), filters, year, area_shapes(), today)


def deck_slides(filters: queries.Filters, year: int) -> list:
    return _deck(_signature(db_path()), filters, year, date.today())


def deck_html(filters: queries.Filters, year: int) -> str:
    from observatory import deck

    return deck.html_deck(deck_slides(filters, year),
                          provenance.banner_text(query("figure_sources", filters.year_from, filters.year_to)))


# A portrait prints on A4 without the sidebar, header and toolbar.
PRINT_CSS = """<style>
@media print {
  @page { size: A4 portrait; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stBottom"], [data-testid="stDownloadButton"],
  .st-key-provenance_banner { display: none !important; }  /* the portrait's « Nature » column says it */
  .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important;
  }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; }
  [data-testid="stColumn"] { min-width: 0 !important; }
  [data-testid="stAlert"], table, svg { break-inside: avoid; }
  svg[role="img"] { width: 8cm !important; height: auto !important; }
  h1 { font-size: 1.6rem !important; padding: 0 !important; }
  h2, h3 { font-size: 1.15rem !important; padding: 0.2rem 0 !important; }
  table { font-size: 0.75rem !important; }
  li { font-size: 0.75rem !important; margin: 0 !important; }
}
</style>"""


def compact_list(items: list[str], columns: int = 3) -> None:
    """A list set in several columns: short on screen and on a printed page."""
    from html import escape

    entries = "".join(f"<li>{escape(item)}</li>" for item in items)
    st.markdown(f'<ul style="columns:{columns};font-size:0.85rem;margin:0">{entries}</ul>', unsafe_allow_html=True)


def text_alternative(sentence: str, table: pd.DataFrame, label: str = "Voir les données du graphique") -> None:
    """What a chart or map shows, in one sentence, and its numbers one click away (RGAA)."""
    st.caption(f"En bref : {sentence}")
    with st.expander(label):
        st.dataframe(table, hide_index=True, width="stretch")


def provenance_banner(filters: queries.Filters) -> None:
    """Which measures of the selected years are real and which are demo (nothing when all are real)."""
    text = provenance.banner_text(query("figure_sources", filters.year_from, filters.year_to))
    if text:
        st.container(key="provenance_banner").info(text, icon=":material/info:")


def natures(year_from: int, year_to: int) -> dict[str, str]:
    """Every indicator's « donnée réelle · … » or « démonstration » over a span of years."""
    return provenance.indicator_labels(query("figure_sources", year_from, year_to))


def nature(indicator, year_from: int, year_to: int) -> str:
    """« donnée réelle · … » or « démonstration » for an indicator over a span of years."""
    return provenance.short(query("figure_sources", year_from, year_to), indicator)


def secrecy_note(frame: pd.DataFrame, threshold: int) -> None:
    if frame.filter(like="__secret").to_numpy().any():
        st.caption(f"« s » : valeur masquée par le secret statistique (effectif de moins de {threshold} "
                   "personnes, ou case qui permettrait de le retrouver).")


LARGE_EXPORT_ROWS = 50_000  # above this, the Export page prepares the file with a progress bar


@st.cache_resource(max_entries=4, show_spinner=False)  # shared, not pickled: it can hold a million rows
def _export_table(signature: tuple, filters: queries.Filters, today: date) -> export.ExportTable:
    return export.build(_connection(*signature), filters, today)


def export_table(filters: queries.Filters) -> export.ExportTable:
    """The rows and notes of the current filters, as every export format writes them."""
    return _export_table(_signature(db_path()), filters, date.today())


@st.cache_data(max_entries=64, show_spinner=False)
def _export_notes(signature: tuple, filters: queries.Filters, today: date) -> list[tuple[str, str]]:
    return export.notes(_connection(*signature), filters, today)


def export_notes(filters: queries.Filters) -> list[tuple[str, str]]:
    return _export_notes(_signature(db_path()), filters, date.today())


@st.cache_data(max_entries=256, show_spinner=False)
def _export_file_name(signature: tuple, filters: queries.Filters, fmt: str, today: date) -> str:
    return export.file_name(_connection(*signature), filters, fmt, today)


def export_file_name(filters: queries.Filters, fmt: str) -> str:
    return _export_file_name(_signature(db_path()), filters, fmt, date.today())


@st.cache_data(show_spinner=False)
def partner_template(fmt: str, example: bool) -> bytes:
    from observatory.ingest import template

    return template.template_file(fmt, example)


@st.cache_data(show_spinner=False)
def context_template(example: bool) -> bytes:
    from observatory.ingest import contexte

    return contexte.template_file(example)


def export_button(filters: queries.Filters, key: str, fmt: str = "csv-fr") -> None:
    """A download of the current filters' rows. The file is made when the button is clicked, on
    Streamlit's download thread, and the click does not rerun the page."""
    label, _, mime = export.FORMATS[fmt]
    con = _connection(*_signature(db_path()))  # thread-safe: each query opens its own cursor
    today = date.today()

    def make() -> bytes:
        return export.render(export.build(con, filters, today), fmt)

    st.download_button(f"Télécharger les données filtrées ({label})", data=make, mime=mime,
                       file_name=export_file_name(filters, fmt), on_click="ignore", key=key,
                       icon=":material/download:")


def bmo_scope(professions: tuple[str, ...]) -> str:
    """« projets BMO des métiers BMO Aides-soignants (métier BMO V0X60) » for a selection."""
    links = query("profession_bmo")
    chosen = links[links["profession_code"].isin(professions)] if professions else links.iloc[0:0]
    return provenance.bmo_scope(list(dict.fromkeys(chosen["bmo_label"])))


def source_line(text: str, year_from: int, year_to: int, indicator=None, professions: tuple[str, ...] = ()) -> None:
    """The source under a chart, map or table: publisher, real or demo, which métiers BMO and the
    BMO estimate, build date."""
    parts = [f"Source : {text}"]
    if indicator is not None:
        parts.append(nature(indicator, year_from, year_to))
        if set(indicator.inputs) & set(ESTIMATES):
            parts += [bmo_scope(professions), provenance.BMO_ESTIMATE]
    built = formats.day(query("build_info")["built_at"])
    st.caption(" — ".join(parts) + f". Base de l'observatoire du {built}.")


def nomenclature_note(filters: queries.Filters, indicator) -> None:
    """Under a BMO series spanning 2023 and 2025: which métiers BMO compare only approximately."""
    first, last = provenance.NOMENCLATURE_YEARS
    if not (set(indicator.inputs) & set(ESTIMATES) and filters.year_from <= first and filters.year_to >= last):
        return
    approximate = query("bmo_approximate_comparisons", filters.professions)
    if len(approximate):
        st.caption(provenance.nomenclature_note(approximate["bmo_label"].tolist()))


def map_level_switch(filters: queries.Filters) -> None:
    """Département → région → France in one click above a national map (it sets the sidebar's
    territory); nothing for a database of one département."""
    levels = query("map_levels", filters.territory, filters.area)
    if len(levels) < 2:
        return
    current = next((label for label, key in levels.items() if key == filters.territory), None)

    def switch() -> None:
        st.session_state[Keys.territory] = levels[st.session_state["map_level"]]

    st.session_state["map_level"] = current
    st.radio("Échelle de la carte", list(levels), key="map_level", horizontal=True, on_change=switch,
             help="Passe la carte, les tableaux et les totaux au département, à la région ou à la France.")


def area_name(code: str | None) -> str:
    """An area's name; without one, the name of the territory chosen in the sidebar."""
    if not code:
        return query("territory_name", st.session_state.get(Keys.territory, ""))
    return query("area_name", code)


def rerun_times(script: Path, params: dict, change, runs: int) -> list[float]:
    """Seconds of each of `runs` reruns of a page script (Streamlit's AppTest, server side), each
    after `change(app_test, i)`; for `python -m observatory bench`."""
    import time

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=600)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    times = []
    for i in range(runs):
        change(at, i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"{script.name} : {at.exception[0].message}")
    return times


# ---------------------------------------------------------------- data officer's access

PASSWORD_NAME = "OBSERVATORY_ADMIN_PASSWORD"
MAX_FAILURES = 5  # then the session waits, longer at each new failure
LOCK_SECONDS = 60
MAX_UPLOAD_MB = 50  # also `server.maxUploadSize` in .streamlit/config.toml
UPLOAD_TYPES = ["csv", "json", "xml", "xlsx"]


def admin_password() -> str | None:
    """From `.streamlit/secrets.toml` (OBSERVATORY_ADMIN_PASSWORD = "…") or the environment."""
    try:
        value = st.secrets.get(PASSWORD_NAME)
    except Exception:  # no secrets file at all
        value = None
    return value or os.environ.get(PASSWORD_NAME) or None


def password_matches(given: str, expected: str) -> bool:
    import hmac

    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_admin() -> bool:
    """Draw the sign-in form until the data officer has given the password; rate-limited."""
    import time

    if st.session_state.get("admin_ok"):
        return True
    expected = admin_password()
    if expected is None:
        st.warning("L'import de données est désactivé : aucun mot de passe n'est configuré. Pour l'activer, "
                   f"définissez `{PASSWORD_NAME}` dans `.streamlit/secrets.toml` "
                   f"(`{PASSWORD_NAME} = \"…\"`) ou dans l'environnement du serveur, puis relancez l'application.")
        return False
    locked_until = st.session_state.get("admin_locked_until", 0.0)
    if time.time() < locked_until:
        st.error(f"Trop d'essais infructueux : réessayez dans {int(locked_until - time.time()) + 1} secondes.")
        return False
    with st.form("admin_login"):
        given = st.text_input("Mot de passe du chargé de données", type="password", key="admin_password")
        submitted = st.form_submit_button("Entrer")
    if submitted:
        if password_matches(given or "", expected):
            st.session_state["admin_ok"] = True
            st.session_state["admin_failures"] = 0
            st.rerun()
        failures = st.session_state.get("admin_failures", 0) + 1
        st.session_state["admin_failures"] = failures
        if failures >= MAX_FAILURES:
            st.session_state["admin_locked_until"] = time.time() + LOCK_SECONDS * (failures - MAX_FAILURES + 1)
        st.error("Mot de passe incorrect.")
    return False
