from dataclasses import replace

import streamlit as st

from observatory.figures import access, barriers, provenance, training_sites
from observatory.present import alt_text, maps, tables
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import ACCESS_INDICATOR, INDICATORS
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.area_map import area_map
from observatory.ui.keys import Keys

ACCESS_ROWS_SHOWN = 1000


def deserts(filters, profession: str, km: int) -> None:
    table = data.access_table(filters, profession)
    indicator = ACCESS_INDICATOR
    shapes = data.area_shapes(filters.territory)
    spec, legend = maps.choropleth(table, shapes, indicator, "quantiles",
                                   providers=data.providers(replace(filters, professions=(profession,))),
                                   departement_name=widgets.area_name(None))
    left, right = st.columns([3, 1])
    with left:
        area_map(spec, shapes, key=Keys.access_map, height=480)
    with right:
        st.markdown(legend.html(), unsafe_allow_html=True)
        st.caption("Points bleus : lieux de formation au métier (cliquez pour le lien vers le site de l'organisme).")
    widgets.text_alternative(alt_text.map_sentence(table, indicator, filters.year_to, widgets.area_name(None)),
                        tables.access_ranking(table, km), "Voir les données de la carte")
    communes = data.access_communes(profession, filters.territory, ACCESS_ROWS_SHOWN)
    n_communes = int(communes["communes_in_territory"].iloc[0]) if len(communes) else 0
    st.caption(f"Distance à vol d'oiseau (Lambert-93) au lieu de formation le plus proche ; le temps indiqué est une "
               f"estimation grossière ({formats.number(access.DETOUR, 1)} × la distance à {access.SPEED_KMH} km/h), pas un itinéraire.")
    if n_communes > ACCESS_ROWS_SHOWN:  # a région or France: the farthest first
        st.caption(f"Les {formats.number(ACCESS_ROWS_SHOWN)} communes les plus éloignées sur "
                   f"{formats.number(n_communes)} ; choisissez un département pour les voir toutes.")
    st.dataframe(tables.access_communes(communes), hide_index=True, width="stretch")


filters = sidebar.current_filters()
professions = data.professions()
choices = list(filters.professions) or professions["code"].tolist()
labels = dict(zip(professions["code"], professions["label"]))
st.title("Accès aux métiers : formation et stages")
if len(choices) == 1:
    profession = choices[0]
else:
    # Distances are to the places that train for one profession: the map needs a single one.
    profession = st.selectbox(
        "Métier dont on cherche les lieux de formation", choices, format_func=labels.get, key=Keys.access_profession,
        index=choices.index("aide-soignant") if "aide-soignant" in choices else 0,
        help="La distance à un lieu de formation dépend du métier : la carte en montre un à la fois, choisi parmi "
             "les métiers de la barre latérale (tous si aucun n'y est choisi). Les places de stage, plus bas, portent "
             "sur toute la sélection de la barre latérale ; le logement et le devenir des apprentis ne dépendent pas "
             "du métier.")
    st.caption(f"Carte et communes ci-dessous : {labels[profession]} seulement, parmi "
               + (f"les {len(choices)} métiers choisis dans la barre latérale." if filters.professions
                  else "tous les métiers (aucun n'est choisi dans la barre latérale)."))
km = filters.distance_km

st.subheader(f"Déserts de formation : habitants à plus de {km} km d'un lieu qui forme au métier")
diplomas = data.profession_diplomas(profession)
every_provider = data.providers(replace(filters, professions=(profession,), demo=True))
if training_sites.listed(diplomas):  # real places from Parcoursup: the demo ones of the profession are gone
    st.caption(training_sites.sites_sentence(diplomas))
    deserts(filters, profession, km)
elif not filters.demo and bool(every_provider["is_demo"].any()):
    # distances are computed to every known place: with a demo one among them, they are demo too
    st.info(training_sites.NO_OPEN_LIST.format(label=labels[profession]))
else:
    if bool(every_provider["is_demo"].any()):
        st.caption(provenance.DEMO_PROVIDERS)
    deserts(filters, profession, km)

st.markdown(f"**Formations publiées dans le territoire ({labels[profession]}) : places, candidats, élèves**")
training = data.territory_training(profession, filters.territory)
if training is None:
    st.caption("Aucune formation de ce métier n'est publiée dans le territoire (Parcoursup, fichiers des lycées) : "
               "la plus proche de chaque commune est dans le tableau des distances, quand il y en a un.")
else:
    totals, totals_cards, caption, every_formation = training
    widgets.table_or_cards(totals, key="training_totals", cards=totals_cards, narrow=720)
    st.caption(caption)
    with st.expander("Voir chaque formation"):
        st.dataframe(every_formation, hide_index=True, width="stretch")

year = filters.year_to
st.subheader(f"Places de stage en {year} : où les stagiaires en manquent le plus")
coverage = INDICATORS["placement_coverage"]
if coverage.key in widgets.shown_indicators(filters):
    needs = data.placement_needs(filters, year)
    st.dataframe(tables.placement_needs(needs), hide_index=True, width="stretch")
    st.caption(f"{coverage.label} : {coverage.definition} Son évolution est sur la page Tendances "
               "(indicateur « Places de stage pour 100 stagiaires qui en cherchent »).")
    widgets.secrecy_note(needs, filters.threshold)
else:
    st.info(provenance.no_real_figures("de places de stage"))

territory = widgets.area_name(None)
st.subheader("Se loger pour se former ou travailler : le logement social")
housing = data.housing_view(filters.territory, territory)
if housing is None:
    st.info("Le parc de logements sociaux n'est pas encore chargé pour ce territoire.")
else:
    sentence, housing_table, total = housing
    st.markdown(sentence)
    st.dataframe(housing_table, hide_index=True, width="stretch")
    st.caption(f"Source : {barriers.HOUSING_SOURCE}, 1er janvier {total['year']} (donnée réelle) ; habitants : "
               f"populations municipales {int(total['population_year'])} (INSEE). {barriers.HOUSING_NOTE}")

st.subheader("Que deviennent les apprentis des CFA du territoire ?")
cohorts = data.cfa_views(filters.territory)
if not cohorts:
    st.info("Les résultats InserJeunes des CFA ne sont pas encore chargés pour ce territoire.")
else:
    cohort = st.selectbox("Sortants", list(cohorts), format_func=barriers.cohort_label, key=Keys.cfa_cohort)
    st.dataframe(cohorts[cohort], hide_index=True, width="stretch")
    st.caption(f"Source : {barriers.OUTCOMES_SOURCE} (donnée réelle). {barriers.OUTCOMES_NOTE}")
downloads.export_button(filters, key=Keys.download("acces"))
