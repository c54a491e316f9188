import streamlit as st

from observatory.figures import bassin_tensions, provenance
from observatory.present import tables
from observatory.vocabulary import formats
from observatory.vocabulary.outside_text import literal
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
year = filters.year_to
st.title("Observatoire des métiers de l'accompagnement")
st.markdown(f"**{literal(widgets.area_name(None))}, {year}** — chiffres clés pour les métiers sélectionnés. "
            "Chaque source a ses années : celle de chaque chiffre est écrite dessous.")

# A wrapping row of fixed-width cards: five across on a laptop, three on a tablet, one on a phone;
# under each figure, its source and year, or « démonstration ».
home_cards, masked = data.home_cards(filters, year)
row = st.container(horizontal=True, wrap=True, gap="small")
for spec in home_cards:
    card = row.container(border=True, width=166, gap="small")
    card.metric(spec.label, spec.value, delta=spec.delta, delta_color=spec.delta_color, help=spec.help)
    for caption in spec.captions:
        card.caption(caption)
widgets.secrecy_note(masked, filters.threshold)
st.caption(f"Recrutements prévus et jugés difficiles : {widgets.bmo_scope(filters.professions)} ; "
           f"{provenance.BMO_ESTIMATE}. Offres, demandeurs d'emploi et tension : bassins d'emploi du territoire, "
           "un bassin qui en déborde compté au prorata de sa population. Apprentissage et population : tout le "
           "territoire, tous métiers.")
non_localised = data.non_localised_offers(filters, year) if filters.demo else 0
if non_localised:
    st.info(f"{formats.number(non_localised)} offre(s) d'emploi de {year} ne précisent que le département "
            "(« non localisées ») : elles ne figurent dans aucun canton et ne sont pas comptées ci-dessus.")
for snapshot in data.partial_offers(filters, year):
    st.info(provenance.partial_offers_sentence(snapshot.offers, snapshot.non_localised, snapshot.coverage, year))

st.subheader("Les cinq situations les plus tendues")
most_tense, most_tense_cards, latest = data.most_tense_table(filters.professions, filters.territory)
if most_tense is None:
    st.info("Aucun indicateur de tension par bassin d'emploi pour ces métiers : le fichier de Pôle emploi n'a "
            "pas de fiche métier qui leur corresponde, ou il n'a pas été chargé (page Données).")
else:
    st.caption(f"Couples bassin d'emploi × métier les plus en tension en {latest} : la catégorie "
               "de tension la plus forte d'abord, puis le moins de demandeurs d'emploi par offre. "
               f"Source : {bassin_tensions.SOURCE} ({provenance.REAL}).")
    widgets.table_or_cards(most_tense, key="most_tense", cards=most_tense_cards)
if filters.demo:
    st.subheader(f"Les cinq offres les moins pourvues ({provenance.DEMO})")
    st.caption(f"Couples territoire × métier où la part d'offres non pourvues est la plus forte en {year} "
               f"(au moins 20 offres publiées) : {provenance.DEMO_SENTENCE}.")
    st.table(tables.top_pairs(data.top_tension_pairs(filters, year)), hide_index=True)
downloads.export_button(filters, key=Keys.download("accueil"))

st.subheader("Fraîcheur et sources des données")
st.caption(f"Base de l'observatoire construite le {formats.day(data.build_info()['built_at'])}.")
sources, _ = data.sources_table(filters.demo)
with st.expander(f"Voir les {len(sources)} sources (éditeur, licence, lien, date)"):
    widgets.static_table(sources, shared=True)
