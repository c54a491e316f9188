import streamlit as st
from streamlit_folium import st_folium

from observatory import alt_text, maps, tables, ui
from observatory.indicators import INDICATORS

filters = ui.current_filters()
indicator = INDICATORS[filters.indicator]
year = filters.year_to
st.title(f"Carte : {indicator.label.lower()}, {year}")
ui.map_level_switch(filters)

with st.expander("Options de la carte"):  # folded, so that the map comes first on a phone
    options = st.columns(3)
scheme = options[0].radio("Classes", list(maps.SCHEMES), format_func=maps.SCHEMES.get, key="map_scheme", horizontal=True)
show_providers = options[1].checkbox("Lieux de formation", key="map_providers")
show_tiles = options[2].checkbox("Fond de carte (en ligne)", key="map_tiles",
                                 help="Le fond OpenStreetMap demande une connexion ; les cantons s'affichent sans.")

table = ui.query("area_table", filters, year)
providers = ui.query("providers", filters) if show_providers else None
fmap, legend = maps.choropleth(table, ui.area_shapes(), indicator, scheme, ui.leaflet_url(),
                               tiles=show_tiles, providers=providers, highlight=filters.area,
                               departement_name=ui.area_name(None), nature=ui.nature(indicator, year, year))
left, right = st.columns([3, 1])
with left:
    clicked = st_folium(fmap, height=540, width=None, returned_objects=["last_active_drawing"], key="carte")
with right:
    st.markdown(legend.html(), unsafe_allow_html=True)
    feature = (clicked or {}).get("last_active_drawing") or {}
    properties = feature.get("properties") or {}
    if properties:
        st.subheader(properties["nom"])
        st.markdown(f"{properties['type']}  \n**{indicator.label}** : {properties['valeur']}  \n"
                    f"Rang : {properties['rang']}  \nDépartement : {properties['departement']}  \n"
                    f"Nature : {properties.get('nature', '')}")
    else:
        st.caption("Cliquez sur un canton pour afficher son détail ici.")
ui.text_alternative(alt_text.map_sentence(table, indicator, year, ui.area_name(None)),
                    tables.area_ranking(table, indicator), "Voir les données de la carte")
ui.secrecy_note(table, filters.threshold)
ui.source_line(indicator.source, year, year, indicator, filters.professions)
ui.export_button(filters, key="download_carte")
