import streamlit as st

from observatory.figures import bassin_tensions, provenance
from observatory.present import tables
from observatory.vocabulary import formats, wording
from observatory.vocabulary.indicators import INDICATORS
from observatory.vocabulary.outside_text import literal
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
year = filters.year_to
st.title("Observatoire des métiers de l'accompagnement")
st.markdown(f"**{literal(widgets.area_name(None))}, {year}** — chiffres clés pour les métiers sélectionnés. "
            "Chaque source a ses années : celle de chaque chiffre est écrite dessous.")

figures = data.key_figures(filters, year)
shown = widgets.shown_indicators(filters)
figures = figures[figures["indicator"].isin(shown)]
natures = widgets.natures(year, year)
# A wrapping row of fixed-width cards: five across on a laptop, fewer on a tablet, one on a phone;
# under each figure, its source and year, or « démonstration ».
cards = st.container(horizontal=True, wrap=True, gap="small")
for row in figures.itertuples():
    indicator = INDICATORS[row.indicator]
    delta = None if row.secret else formats.change(row.change, indicator.change_unit)
    card = cards.container(border=True, width=166, gap="small")  # five a row on a laptop, three on a tablet
    card.metric(
        indicator.label,
        # a lower bound in short (« ≥ 1 999 ») to fit the card, in words in the caption below
        formats.value(row.value, row.unit, indicator.decimals, secret=row.secret, lower_bound=row.lower_bound,
                      short=True),
        # st.metric reads the sign from an ASCII hyphen, not from the typographic minus
        delta=None if delta in (None, formats.MISSING) else delta.replace(formats.MINUS, "-", 1),
        delta_color="inverse" if indicator.higher_is_worse else "normal",
        help=f"{indicator.definition} Source : {indicator.source}.",
    )
    if row.lower_bound:
        card.caption(f"{formats.value(row.value, row.unit, indicator.decimals, lower_bound=True)} : "
                     f"{wording.PARTLY_MASKED}")
    card.caption(natures[indicator.key])
for headline in data.home_headlines(filters.professions, filters.territory, year):
    card = cards.container(border=True, width=166, gap="small")
    card.metric(headline.label, headline.value, help=headline.help)
    card.caption(provenance.headline_nature(headline.source, headline.year, headline.note))
widgets.secrecy_note(bool(figures["secret"].any()), filters.threshold)
st.caption(f"Recrutements prévus et jugés difficiles : {widgets.bmo_scope(filters.professions)} ; "
           f"{provenance.BMO_ESTIMATE}. Offres, demandeurs d'emploi et tension : bassins d'emploi du territoire, "
           "un bassin qui en déborde compté au prorata de sa population. Apprentissage et population : tout le "
           "territoire, tous métiers.")
non_localised = data.non_localised_offers(filters, year) if filters.demo else 0
if non_localised:
    st.info(f"{formats.number(non_localised)} offre(s) d'emploi de {year} ne précisent que le département "
            "(« non localisées ») : elles ne figurent dans aucun canton et ne sont pas comptées ci-dessus.")
for snapshot in data.partial_offers(filters, year).itertuples():
    st.info(provenance.partial_offers_sentence(snapshot.offers, snapshot.non_localised, snapshot.coverage, year))

st.subheader("Les cinq situations les plus tendues")
pairs = bassin_tensions.most_tense(data.bassin_pairs(filters.professions, filters.territory))
if pairs.empty:
    st.info("Aucun indicateur de tension par bassin d'emploi pour ces métiers : le fichier de Pôle emploi n'a "
            "pas de fiche métier qui leur corresponde, ou il n'a pas été chargé (page Données).")
else:
    st.caption(f"Couples bassin d'emploi × métier les plus en tension en {int(pairs['year'].max())} : la catégorie "
               "de tension la plus forte d'abord, puis le moins de demandeurs d'emploi par offre. "
               f"Source : {bassin_tensions.SOURCE} ({provenance.REAL}).")
    widgets.table_or_cards(tables.most_tense_bassins(pairs, data.profession_labels()), key="most_tense")
if filters.demo:
    st.subheader(f"Les cinq offres les moins pourvues ({provenance.DEMO})")
    st.caption(f"Couples territoire × métier où la part d'offres non pourvues est la plus forte en {year} "
               f"(au moins 20 offres publiées) : {provenance.DEMO_SENTENCE}.")
    st.table(tables.top_pairs(data.top_tension_pairs(filters, year)), hide_index=True)
downloads.export_button(filters, key=Keys.download("accueil"))

st.subheader("Fraîcheur et sources des données")
st.caption(f"Base de l'observatoire construite le {formats.day(data.build_info()['built_at'])}.")
sources = tables.sources(data.sources(), demo=filters.demo)
with st.expander(f"Voir les {len(sources)} sources (éditeur, licence, lien, date)"):
    st.table(sources, hide_index=True)
