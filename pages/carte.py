import streamlit as st

from observatory.figures import bassin_tensions, provenance
from observatory.present import alt_text, maps, tables
from observatory.vocabulary.indicators import INDICATORS
from observatory.vocabulary.outside_text import literal
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.area_map import area_map
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
if st.session_state.pop(Keys.portrait_wanted, False):  # « Ouvrir sa fiche canton » was clicked
    st.switch_page("pages/fiche_canton.py")
indicator = INDICATORS[filters.indicator]
year = filters.year_to
st.title(f"Carte : {indicator.label.lower()}, {year}")
sidebar.map_level_switch(filters)

with st.expander("Options de la carte"):  # folded, so that the map comes first on a phone
    options = st.columns(4)
scheme = options[0].radio("Classes", list(maps.SCHEMES), format_func=maps.SCHEMES.get, key=Keys.map_scheme, horizontal=True)
show_providers = options[1].checkbox("Lieux de formation", key=Keys.map_providers)
show_tiles = options[2].checkbox("Fond de carte (en ligne)", key=Keys.map_tiles,
                                 help="Le fond OpenStreetMap demande une connexion ; les cantons s'affichent sans.")
show_names = options[3].checkbox("Noms des cantons", value=True, key=Keys.map_names,
                                 help="Pour trouver un canton, on peut aussi le choisir dans « Canton » (barre "
                                      "latérale) : il est alors entouré sur la carte.")

table = data.area_table(filters, year)
providers = data.providers(filters) if show_providers else None
if providers is not None and providers.empty:
    st.caption(provenance.NO_REAL_PROVIDERS)
shapes = data.area_shapes(filters.territory)
spec, legend = maps.choropleth(table, shapes, indicator, scheme, tiles=show_tiles, providers=providers,
                               highlight=filters.area, departement_name=widgets.area_name(None),
                               nature=widgets.nature(indicator, year, year), names=show_names, clickable=True)
left, right = st.columns([3, 1])
with left:
    clicked = area_map(spec, shapes, key=Keys.map, height=540)
with right:
    st.markdown(legend.html(), unsafe_allow_html=True)
    properties = maps.detail(spec, shapes, clicked)
    if properties:
        st.subheader(literal(properties["nom"]))
        st.markdown(f"{literal(properties['type'])}  \n**{indicator.label}** : {literal(properties['valeur'])}  \n"
                    f"Rang : {literal(properties['rang'])}  \n{literal(widgets.area_name(None))} : "
                    f"{literal(properties['departement'])}  \nNature : {literal(properties.get('nature', ''))}")
        st.button("Ouvrir sa fiche canton", key=Keys.open_portrait, icon=":material/description:",
                  on_click=sidebar.choose_area, args=(properties["code"],),
                  help="La fiche garde les métiers, les années et l'indicateur choisis.")
    else:
        st.caption("Cliquez sur un canton pour afficher son détail ici.")
widgets.text_alternative(alt_text.map_sentence(table, indicator, year, widgets.area_name(None)),
                    tables.area_ranking(table, indicator), "Voir les données de la carte")
widgets.secrecy_note(table, filters.threshold)
widgets.source_line(indicator.source, year, year, indicator, filters.professions)
# The same question at its own grain: offers and job-seekers belong to their bassin. A région or
# France has hundreds of bassins: their long table is made only when asked for.
many = bool(data.territories()) and not filters.territory.startswith("D:")
if not many or st.toggle("Voir le tableau des bassins d'emploi du territoire (long)", key=Keys.map_bassins):
    rows, cards = data.bassin_table(filters.professions, filters.territory)
    if rows is not None:
        with st.expander("Les bassins d'emploi du territoire : offres, demandeurs d'emploi et tension", expanded=many):
            widgets.table_or_cards(rows, key="map_bassins", cards=cards)
            st.caption(f"Source : {bassin_tensions.SOURCE} ({provenance.REAL}). Chiffres publiés par bassin d'emploi, "
                       "jamais répartis entre les cantons ; la page Causes des tensions les explique.")
downloads.export_button(filters, key=Keys.download("carte"))
