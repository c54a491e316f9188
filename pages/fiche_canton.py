from dataclasses import replace

import streamlit as st

from observatory.figures import barriers, training_sites
from observatory.present import maps, tables
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import CANTON_PRESSURES
from observatory.vocabulary.outside_text import literal
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
if not filters.area:
    st.title("Fiche canton")
    st.info("Choisissez un canton dans le filtre « Canton » de la barre latérale pour afficher sa fiche.")
    st.stop()

year = filters.year_to
# Compared with its own département, whatever the territory chosen (France, a région…).
table, departement = data.area_table_and_territory(
    replace(filters, territory=f"D:{data.area_departement(filters.area)}"), year)
area = table.set_index("code").loc[filters.area]
st.markdown(widgets.PRINT_CSS, unsafe_allow_html=True)
st.title(f"Fiche canton : {literal(area['name'])} ({year})")
if area["kind"] == "ville":
    st.info(f"{literal(area['name'])} est partagée entre plusieurs cantons ; comme l'INSEE, l'observatoire la compte "
            "à part, avec son propre contour et ses propres chiffres.")

left, right = st.columns([3, 2])
with left:
    series = data.area_population(filters.area)
    latest = f" {int(series['year'].iloc[-1])}" if len(series) else ""
    st.metric(f"Population municipale{latest}", formats.number(area["population"]))
    if len(series) > 1:
        first, last = series.iloc[0], series.iloc[-1]
        change = 100 * (last["population"] / first["population"] - 1)
        st.caption(f"Population municipale {int(first['year'])} : {formats.number(first['population'])} ; "
                   f"{int(last['year'])} : {formats.number(last['population'])} "
                   f"({formats.change(change, '%')}) — donnée réelle · INSEE.")
    st.table(tables.portrait(area, departement, widgets.natures(year, year),
                             widgets.shown_indicators(filters)).set_index("Indicateur"))
    widgets.secrecy_note(table, filters.threshold)
    widgets.source_line("voir la colonne « Source et nature » ; population : INSEE (populations municipales)", year, year)
    downloads.export_button(filters, key=Keys.download("fiche"))
with right:
    # Located among the areas of its own département, whatever the territory chosen.
    st.markdown(maps.locator_svg(data.area_shapes(f"D:{area['departement_code']}"), filters.area),
                unsafe_allow_html=True)
    st.caption(f"Carte de situation : {literal(area['name'])} (en orange, contour épais) parmi les territoires "
               f"du département.")
    st.subheader("Conseillers départementaux")
    councillors = data.councillors_of_area(filters.area)
    for canton, people in councillors.groupby("canton_code"):
        lines = [f"- {literal(p.first_name)} {literal(p.last_name.title())}" + (f" — {literal(p.role)}" if p.role else "")
                 for p in people.itertuples()]
        st.markdown(f"**{literal(widgets.area_name(canton))}**\n" + "\n".join(lines))
bassins = data.bmo_of_area(filters, filters.area, year)
if len(bassins):
    st.subheader(f"Projets de recrutement {year} : les chiffres exacts des bassins d'emploi")
    st.caption("L'enquête BMO publie ses chiffres par bassin d'emploi et par métier BMO (ici : "
               + ("les métiers BMO des métiers choisis" if filters.professions else "tous les métiers BMO suivis, "
                  "additionnés ; choisissez un métier pour le détail") + "). Le chiffre du territoire ci-dessus est "
               "une estimation : chiffre du bassin × part du territoire dans la population des communes du bassin "
               "situées dans le département.")
    st.table(tables.bmo_bassins(bassins, by_metier=bool(filters.professions)).set_index("Bassin d'emploi"))
st.subheader("Contraintes du territoire")
context = data.canton_context(filters.area)
lines = []
housing = data.social_housing(f"D:{area['departement_code']}")
if housing.empty:
    lines.append("- Logements sociaux : non renseigné")
else:
    housing_row = housing.set_index("code").loc[filters.area]
    lines.append(f"- {barriers.housing_line(housing_row, barriers.housing_total(housing))} ({barriers.HOUSING_SOURCE}, "
                 "donnée réelle)")
for key, (label, unit) in CANTON_PRESSURES.items():
    rows = context[context["indicator"] == key]
    if rows.empty:
        lines.append(f"- {label} : non renseigné")
    else:
        last = rows.iloc[-1]
        lines.append(f"- {label} : {formats.number(last['value'], 1)} {unit} ({int(last['year'])} ; source : "
                     f"{literal(last['source_label'])})")
st.markdown("\n".join(lines))
st.caption(f"{barriers.HOUSING_NOTE} Les autres contraintes sont des chiffres transmis par les partenaires avec "
           "leur source (modèle « contraintes des cantons », page Export), jamais estimés par l'observatoire.")

st.subheader("Lieux de formation")
training = data.area_training(filters.area, filters.professions)
if training is None:
    st.caption(training_sites.NO_AREA_SITES.format(chosen=" pour les métiers choisis" if filters.professions else ""))
else:
    formations, formation_cards, caption = training
    widgets.table_or_cards(formations, key="area_sites", cards=formation_cards, narrow=720)
    st.caption(caption)

communes = data.communes_of_area(filters.area)
st.subheader(f"Communes ({len(communes)})")
widgets.compact_list([f"{c.name} ({formats.number(c.population)})" for c in communes.itertuples()])
