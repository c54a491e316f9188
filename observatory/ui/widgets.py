"""Pieces pages share: source lines, the secrecy note, the real/demo banner, lists, page CSS."""
from __future__ import annotations

from html import escape

import pandas as pd
import pyarrow as pa
import streamlit as st

from observatory import secrecy
from observatory.figures import provenance
from observatory.present import tables
from observatory.vocabulary import formats, wording
from observatory.figures.filter_grammar import Filters
from observatory.vocabulary.indicators import ESTIMATES
from observatory.vocabulary.outside_text import LONG, literal
from observatory.ui import data
from observatory.ui.keys import Keys

# Whole metric labels (Streamlit cuts them with an ellipsis), and a visible keyboard focus.
PAGE_CSS = """<style>
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div { white-space: normal !important; overflow: visible !important; }
[data-testid="stMetricLabel"] { height: auto !important; min-height: 2.6em; }
:focus-visible { outline: 3px solid #1f5f8b !important; outline-offset: 2px; }
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 4.5vw, 2.1rem) !important; }
h1 { overflow-wrap: normal; word-break: normal; hyphens: manual; }
@media (max-width: 640px) { h1 { font-size: 1.7rem !important; } }
/* Static tables wrap their text (long names, addresses) instead of running past the page's edge. */
[data-testid="stTable"] table { width: 100% !important; min-width: 0 !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *, [data-testid="stTable"] th * {
  overflow-wrap: break-word !important; min-width: 0 !important; font-size: 0.9rem; }
[data-testid="stTable"] a { overflow-wrap: anywhere !important; }
[data-testid="stMainBlockContainer"] { container-type: inline-size; }
@container (max-width: 700px) { [data-testid="stTable"] table { table-layout: fixed; }
  [data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *, [data-testid="stTable"] th * {
    overflow-wrap: anywhere !important; } }
/* On a phone, smaller type: four columns keep their words whole (« démonstration », « 107,6 pour 100 »). */
@container (max-width: 480px) {
  [data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *, [data-testid="stTable"] th * {
    font-size: 0.78rem !important; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { padding: 0.25rem 0.3rem !important; } }
[data-testid="stTable"] td > div, [data-testid="stTable"] th > div { display: block !important; }
</style>"""

# A two-column table of long notes (the Export page): it keeps to the width of a phone.
NOTES_CSS = """<style>
[data-testid="stTable"] table { width: 100% !important; min-width: 0 !important; table-layout: fixed; }
[data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td * { overflow-wrap: anywhere; word-break: break-word; }
[data-testid="stTable"] thead th:first-child { width: 30%; }
</style>"""

# Presentation: large type, minimal chrome (the sidebar stays reachable by its arrow).
SLIDE_CSS = """<style>
h1.slide-title { font-size: 2.2rem !important; color: #1f5f8b; padding-top: 0 !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 2.5rem !important; }
/* The deck's 1920-pixel sizes, brought to a laptop screen: one slide fits below the controls. */
/* (more specific than the deck's `.cards.three`/`.cards.four` rules, which the page writes after these) */
[data-testid="stMainBlockContainer"] .cards, [data-testid="stMainBlockContainer"] .cards.three, [data-testid="stMainBlockContainer"] .cards.four { grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 16px; }
[data-testid="stMainBlockContainer"] div.cards .card { padding: 12px 18px; border-width: 2px; }
[data-testid="stMainBlockContainer"] .cards .card .label { font-size: 1.05rem; }
[data-testid="stMainBlockContainer"] .cards .card .value { font-size: 2.6rem; }
[data-testid="stMainBlockContainer"] .change, [data-testid="stMainBlockContainer"] .nature { font-size: 0.95rem; }
[data-testid="stMainBlockContainer"] .split { gap: 24px; flex-wrap: nowrap; align-items: flex-start; }
[data-testid="stMainBlockContainer"] .map { flex: 0 1 auto; }
[data-testid="stMainBlockContainer"] .map svg { width: auto !important; height: 46vh !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] .side, [data-testid="stMainBlockContainer"] .side ol { font-size: 1rem; }
[data-testid="stMainBlockContainer"] .lead { margin-top: 12px; }
[data-testid="stMainBlockContainer"] table.compare, [data-testid="stMainBlockContainer"] table.compare.bassins, [data-testid="stMainBlockContainer"] table.compare.dense { font-size: 1.05rem; }
[data-testid="stMainBlockContainer"] table.compare td, [data-testid="stMainBlockContainer"] table.compare th,
[data-testid="stMainBlockContainer"] table.compare.bassins td, [data-testid="stMainBlockContainer"] table.compare.bassins th { padding: 6px 10px; }
[data-testid="stMainBlockContainer"] table.bassins { font-size: 0.85rem; }
[data-testid="stMainBlockContainer"] table.bassins td, [data-testid="stMainBlockContainer"] table.bassins th { padding: 3px 8px; }
@media (max-width: 640px) { [data-testid="stMainBlockContainer"] .split { flex-wrap: wrap; }
  [data-testid="stMainBlockContainer"] .map svg { width: 100% !important; height: auto !important; } }
</style>"""

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
  table, [data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td * { font-size: 0.75rem !important; }
  li { font-size: 0.75rem !important; margin: 0 !important; }
  [data-testid="stCaptionContainer"] p { font-size: 0.7rem !important; }
}
</style>"""


def compact_list(items: list[str], columns: int = 3) -> None:
    """A list set in several columns: short on screen and on a printed page."""
    entries = "".join(f"<li>{escape(item)}</li>" for item in items)
    st.markdown(f'<ul style="columns:{columns};font-size:0.85rem;margin:0">{entries}</ul>', unsafe_allow_html=True)


# A wide static table on a laptop; on a phone, where its columns would be a word wide, the same
# rows as short cards. Only one of the two is displayed (and read by a screen reader).
CARDS_CSS = """<style>
.st-key-{key}_cards {{ display: none !important; }}
@container (max-width: {narrow}px) {{ .st-key-{key}_table {{ display: none !important; }}
  .st-key-{key}_cards {{ display: flex !important; }} }}
.st-key-{key}_cards dl {{ margin: 0 0 0.6rem 0; padding-top: 0.5rem; border-top: 1px solid #d5d9de; font-size: 0.9rem; }}
.st-key-{key}_cards dl > dt:first-child {{ font-size: 1rem; margin-top: 0; }}
.st-key-{key}_cards dt {{ font-weight: 600; margin-top: 0.35rem; }}
.st-key-{key}_cards dd {{ margin: 0; overflow-wrap: anywhere; }}
</style>"""


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={pd.DataFrame: id})
def _arrow_of_shared(frame: pd.DataFrame) -> tuple[pd.DataFrame, pa.Table | pd.DataFrame]:
    # Keyed by identity, so only for frames kept whole in one of `data`'s shared caches: the entry
    # holds the frame, whose id cannot be given to another frame while it is cached.
    try:
        return frame, pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):  # mixed column: let Streamlit convert it
        return frame, frame


def static_table(frame: pd.DataFrame, shared: bool = False) -> None:
    """`frame` as a static table without its index; `shared`: a frame from one of `data`'s shared
    caches, converted for the browser once instead of at every rerun."""
    st.table(_arrow_of_shared(frame)[1] if shared else frame, hide_index=True)


def table_or_cards(frame: pd.DataFrame, key: str, cards: str | None = None, narrow: int = 480) -> None:
    """`frame` as a static table, or on a phone as one card per row (its first column as title;
    `cards`: `tables.cards_html(frame)` made beforehand, kept in a shared cache with `frame`); a wide
    table turns into cards below a wider page (`narrow`, in pixels: 720 for ten columns)."""
    st.markdown(CARDS_CSS.format(key=key, narrow=narrow), unsafe_allow_html=True)
    with st.container(key=f"{key}_table"):
        static_table(frame, shared=cards is not None)
    with st.container(key=f"{key}_cards"):
        st.markdown(cards if cards is not None else tables.cards_html(frame), unsafe_allow_html=True)


def text_alternative(sentence: str, table: pd.DataFrame, label: str = "Voir les données du graphique") -> None:
    """What a chart or map shows, in one sentence, and its numbers one click away (RGAA)."""
    st.caption("En bref : " + literal(sentence, LONG))
    with st.expander(label):
        st.dataframe(table, hide_index=True, width="stretch")


def provenance_banner(filters: Filters) -> None:
    """What is real in the selected years; in demo mode, a marker on every page and what is demo."""
    text = data.banner_text(filters.year_from, filters.year_to, filters.demo)
    box = st.container(key=Keys.provenance_banner)
    if filters.demo:
        box.warning(text, icon=":material/science:")
    elif text:
        box.info(text, icon=":material/info:")


def shown_indicators(filters: Filters) -> list[str]:
    """The indicators the selection shows: the real ones, and in demo mode the demo ones after them."""
    return data.shown_indicators(filters.demo)


def natures(year_from: int, year_to: int) -> dict[str, str]:
    """Every indicator's « donnée réelle · … » or « démonstration » over a span of years."""
    return data.indicator_natures(year_from, year_to)


def nature(indicator, year_from: int, year_to: int) -> str:
    """« donnée réelle · … » or « démonstration » for an indicator over a span of years."""
    return natures(year_from, year_to)[indicator.key]


def secrecy_note(shown: pd.DataFrame | bool, threshold: int) -> None:
    """The « s » sentence under what is shown, when any of it is masked (`shown`: a published
    frame, or whether something is masked)."""
    masked = shown if isinstance(shown, bool) else secrecy.any_secret(shown)
    if masked:
        st.caption(wording.secret_note(threshold))


def bmo_scope(professions: tuple[str, ...]) -> str:
    """« projets BMO des métiers BMO Aides-soignants (métier BMO V0X60) » for a selection."""
    return data.bmo_scope(professions)


def source_line(text: str, year_from: int, year_to: int, indicator=None, professions: tuple[str, ...] = ()) -> None:
    """The source under a chart, map or table: publisher, real or demo, which métiers BMO and the
    BMO estimate, build date."""
    parts = [f"Source : {text}"]
    if indicator is not None:
        parts.append(nature(indicator, year_from, year_to))
        if set(indicator.inputs) & set(ESTIMATES):
            parts += [bmo_scope(professions), provenance.BMO_ESTIMATE]
    built = formats.day(data.build_info()["built_at"])
    st.caption(" — ".join(parts) + f". Base de l'observatoire du {built}.")


def nomenclature_note(filters: Filters, indicator) -> None:
    """Under a BMO series spanning 2023 and 2025: which métiers BMO compare only approximately."""
    first, last = provenance.NOMENCLATURE_YEARS
    if not (set(indicator.inputs) & set(ESTIMATES) and filters.year_from <= first and filters.year_to >= last):
        return
    approximate = data.bmo_approximate_comparisons(filters.professions)
    if len(approximate):
        st.caption(provenance.nomenclature_note(approximate["bmo_label"].tolist()))


def area_name(code: str | None) -> str:
    """An area's name; without one, the name of the territory chosen in the sidebar."""
    if not code:
        return data.territory_name(st.session_state.get(Keys.territory, ""))
    return data.area_name(code)
