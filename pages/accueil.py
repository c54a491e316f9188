import streamlit as st

from observatory import formats, tables, ui
from observatory.indicators import INDICATORS

filters = ui.current_filters()
year = filters.year_to
st.title("Observatoire des métiers de l'accompagnement")
st.markdown(f"**{ui.area_name(None)}, {year}** — chiffres clés du département pour les métiers sélectionnés, "
            f"et évolution depuis {year - 1}.")

figures = ui.query("key_figures", filters, year)
columns = st.columns(5)
for position, row in enumerate(figures.itertuples()):
    indicator = INDICATORS[row.indicator]
    delta = None if row.secret else formats.change(row.change, indicator.change_unit)
    columns[position % 5].metric(
        indicator.label, formats.value(row.value, row.unit, indicator.decimals, secret=row.secret),
        delta=None if delta == formats.MISSING else delta,
        delta_color="inverse" if indicator.higher_is_worse else "normal",
        help=f"{indicator.definition} Source : {indicator.source}.",
    )
ui.secrecy_note(figures.rename(columns={"secret": "value__secret"}), filters.threshold)

st.subheader("Les cinq situations les plus tendues")
st.caption(f"Couples territoire × métier où la part d'offres non pourvues est la plus forte en {year} "
           "(au moins 20 offres publiées).")
top = ui.query("top_tension_pairs", filters, year)
st.dataframe(tables.top_pairs(top), hide_index=True, width="stretch")
ui.export_button(filters, key="download_accueil")

st.subheader("Fraîcheur et sources des données")
st.caption(f"Base de l'observatoire construite le {formats.day(ui.query('build_info')['built_at'])}.")
st.dataframe(tables.sources(ui.query("sources")), hide_index=True, width="stretch")
