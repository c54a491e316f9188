"""Files people take away: the filtered rows (CSV FR, CSV, XLSX), the import templates and the
conference deck, each made from the same masked rows as the pages."""
from __future__ import annotations

from datetime import date

import streamlit as st

from observatory.figures import provenance
from observatory.present import deck, export
from observatory.figures.filter_grammar import Filters
from observatory.ingest import contexte, template
from observatory.ui import data, session

LARGE_EXPORT_ROWS = 50_000  # above this, the Export page prepares the file with a progress bar


@st.cache_resource(max_entries=4, show_spinner=False)  # shared, not pickled: it can hold a million rows
def _export_table(version: session.Signature, filters: Filters, today: date) -> export.ExportTable:
    return export.prepare(session.connection(version), filters, today)


def export_table(filters: Filters) -> export.ExportTable:
    """The rows and notes of the current filters, as every export format writes them."""
    return _export_table(session.signature(), filters, date.today())


@st.cache_data(max_entries=32, show_spinner=False)
def _export_preview(version: session.Signature, filters: Filters) -> list[list]:
    con = session.connection(version)
    table = export.from_rows(data.export_preview(filters), [], export.kept_measures(con, filters), filters.demo)
    return [table.columns] + table.rows


def export_preview(filters: Filters) -> tuple[list[str], list[list]]:
    """The header and first rows of the export, as the file writes them."""
    header, *rows = _export_preview(session.signature(), filters)
    return header, rows


@st.cache_data(max_entries=64, show_spinner=False)
def _export_notes(version: session.Signature, filters: Filters, today: date) -> list[tuple[str, str]]:
    return export.notes(session.connection(version), filters, today)


def export_notes(filters: Filters) -> list[tuple[str, str]]:
    return _export_notes(session.signature(), filters, date.today())


@st.cache_resource(max_entries=256, show_spinner=False)  # a string: shared, not copied
def _export_file_name(version: session.Signature, filters: Filters, fmt: str, today: date) -> str:
    return export.file_name(session.connection(version), filters, fmt, today)


def export_file_name(filters: Filters, fmt: str) -> str:
    return _export_file_name(session.signature(), filters, fmt, date.today())


def export_button(filters: Filters, key: str, fmt: str = "csv-fr") -> None:
    """A download of the current filters' rows. The file is made when the button is clicked, on
    Streamlit's download thread, and the click does not rerun the page."""
    label, _, mime = export.FORMATS[fmt]
    con = session.connection()  # thread-safe: each query opens its own cursor
    today = date.today()

    def make() -> bytes:
        return export.render(export.prepare(con, filters, today), fmt)

    name = export_file_name(filters, fmt)
    st.download_button(f"Télécharger les données filtrées ({label})", data=make, mime=mime,
                       file_name=name, on_click="ignore", key=key, icon=":material/download:")
    if fmt != "xlsx":
        notes_button(filters, name, key)


def notes_button(filters: Filters, data_file_name: str, key: str) -> None:
    """The text file of a CSV's filters, sources, licences and secrecy rule (a CSV holds rows only),
    made when the button is clicked: a rerun does not pay for notes nobody asked for."""
    con = session.connection()  # thread-safe: each query opens its own cursor
    today = date.today()

    def make() -> bytes:
        return export.render_notes(export.notes(con, filters, today))

    st.download_button("Filtres et sources du fichier (texte)", data=make,
                       mime="text/plain", file_name=export.notes_file_name(data_file_name), on_click="ignore",
                       key=f"{key}_notes", icon=":material/description:", type="tertiary")


def outlook_button(result, place: str, parameters: dict, fmt: str, key: str) -> None:
    """The outlook's series (`export.outlook_file`), made when clicked; beside a CSV, its method,
    parameters and sources as a text file (a workbook holds them in its second sheet)."""
    label, extension, mime = export.FORMATS[fmt]
    today = date.today()

    def table() -> export.PlainTable:
        return export.outlook_file(result, place, parameters, today)

    name = f"observatoire_besoins-a-venir_{export.slug(place)}_{today.isoformat()}.{extension}"
    st.download_button(f"Série et méthode ({label})", data=lambda: export.render_plain(table(), fmt), mime=mime,
                       on_click="ignore", key=key, file_name=name, icon=":material/download:")
    if fmt != "xlsx":
        st.download_button("Méthode, paramètres et sources (texte)", data=lambda: export.render_notes(table().notes),
                           mime="text/plain", file_name=export.notes_file_name(name), on_click="ignore",
                           key=f"{key}_notes", icon=":material/description:", type="tertiary")


@st.cache_data(show_spinner=False)
def partner_template(fmt: str, example: bool) -> bytes:
    return template.template_file(fmt, example)


@st.cache_data(show_spinner=False)
def context_template(example: bool) -> bytes:
    return contexte.template_file(example)


@st.cache_data(max_entries=32, show_spinner=False)
def _deck(version: session.Signature, filters: Filters, year: int, today: date) -> list:
    return deck.slides(session.connection(version), filters, year, data.area_shapes(filters.territory), today)


def deck_slides(filters: Filters, year: int) -> list:
    return _deck(session.signature(), filters, year, date.today())


def deck_html(filters: Filters, year: int) -> str:
    return deck.html_deck(deck_slides(filters, year),
                          provenance.deck_notice(data.figure_sources(filters.year_from, filters.year_to), filters.demo))
