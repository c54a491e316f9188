import streamlit as st

from observatory.figures import provenance
from observatory.present import tables
from observatory.vocabulary import formats, wording
from observatory.vocabulary.indicators import INDICATORS
from observatory.vocabulary.outside_text import literal
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
year = filters.year_to
st.title("Observatoire des métiers de l'accompagnement")
st.markdown(f"**{literal(widgets.area_name(None))}, {year}** — chiffres clés du département pour les métiers sélectionnés, "
            f"et évolution depuis {year - 1}.")

figures = data.key_figures(filters, year)
natures = widgets.natures(year, year)
# A wrapping row of fixed-width cards: five across on a laptop, fewer on a tablet, one on a phone;
# under each figure, whether it is real (and its source) or demo.
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
widgets.secrecy_note(bool(figures["secret"].any()), filters.threshold)
st.caption(f"Recrutements prévus et jugés difficiles : {widgets.bmo_scope(filters.professions)} ; "
           f"{provenance.BMO_ESTIMATE}.")
non_localised = data.non_localised_offers(filters, year)
if non_localised:
    st.info(f"{formats.number(non_localised)} offre(s) d'emploi de {year} ne précisent que le département "
            "(« non localisées ») : elles ne figurent dans aucun canton et ne sont pas comptées ci-dessus.")
for snapshot in data.partial_offers(filters, year).itertuples():
    st.info(provenance.partial_offers_sentence(snapshot.offers, snapshot.non_localised, snapshot.coverage, year))
context = data.departement_context(filters.territory)
apprenticeship = context[(context["indicator"] == "apprenticeship_contracts") & (context["year"] <= year)]
if len(apprenticeship):
    latest = apprenticeship.iloc[-1]
    partial = f", année incomplète (au {formats.day(latest['period_end'])})" if latest["partial"] else ""
    st.caption(f"Contrats d'apprentissage signés dans le département en {int(latest['year'])}, tous secteurs : "
               f"{formats.number(latest['value'])}{partial}. Source : {latest['publisher']}, {latest['licence']}.")

st.subheader("Les cinq situations les plus tendues")
st.caption(f"Couples territoire × métier où la part d'offres non pourvues est la plus forte en {year} "
           "(au moins 20 offres publiées).")
top = data.top_tension_pairs(filters, year)
st.table(tables.top_pairs(top), hide_index=True)
downloads.export_button(filters, key=Keys.download("accueil"))

st.subheader("Fraîcheur et sources des données")
st.caption(f"Base de l'observatoire construite le {formats.day(data.build_info()['built_at'])}.")
sources = tables.sources(data.sources())
with st.expander(f"Voir les {len(sources)} sources (éditeur, licence, lien, date)"):
    st.table(sources, hide_index=True)
