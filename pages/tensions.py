import streamlit as st

from observatory.figures import bassin_tensions, jobs, needs, provenance, tensions
from observatory.present import alt_text, charts, tables
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS
from observatory.ui import data, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
st.title("Pourquoi recrute-t-on difficilement ?")
st.markdown("L'indicateur de tension de la DARES résume, pour chaque famille de métiers, la difficulté à "
            "recruter ; il est d'autant plus élevé que le métier est en tension. Ses six composantes disent "
            "pourquoi : chacune est classée de 1 (très faible) à 5 (très forte). Chiffres de l'édition "
            f"{tensions.EDITION}, par département, région et France, pour les métiers sélectionnés.")

rows = data.tension_table(filters)
names = data.tension_place_names(filters.territory)
if rows.empty:
    st.info("Aucun indicateur de tension de la DARES pour ces métiers : leur famille professionnelle n'a pas "
            "de correspondance, ou le fichier de la DARES n'a pas été chargé.")
    st.stop()
listed = {(r.place, r.fap2009) for r in data.shortage_list(filters).itertuples()}
overview = tables.tension_overview(rows, names, listed)
st.caption("Pour chaque territoire : l'indicateur de tension et sa catégorie (de 1 à 5).")
st.dataframe(overview, hide_index=True, width="stretch")
if not listed:
    st.caption(f"Aucun de ces métiers ne figure sur la liste officielle des métiers en tension de 2024 "
               f"({', '.join(n for p, n in names.items() if not p.startswith('D:'))}).")

st.subheader("Les composantes de la tension")
families = {row["fap2009"]: tensions.family_label(row) for _, row in rows.drop_duplicates("fap2009").iterrows()}
family = st.selectbox("Métier", list(families), format_func=families.get, key=Keys.tension_family)
chosen = rows[rows["fap2009"] == family]
first = next(place for place in names if place in set(chosen["place"]))
st.markdown(tensions.sentence(chosen[chosen["place"] == first].iloc[0], names[first]))
st.plotly_chart(charts.tension_components(chosen, names, tensions.COMPONENTS), key=Keys.tension_chart)
widgets.text_alternative(alt_text.tension_sentence(chosen, names), tables.tension_components(chosen, names))

series = data.tension_series(filters)
series = series[series["fap2009"] == family]
if len(series):
    st.plotly_chart(charts.tension_series(series, f"{families[family]} : la tension en France, "
                                                   f"{series['year'].min()}-{series['year'].max()}"),
                    key=Keys.tension_series)
    widgets.text_alternative(alt_text.tension_series_sentence(series, families[family]),
                             tables.tension_series(series))
st.caption(f"Source : {tensions.SOURCE} ; liste officielle des métiers en tension : Ministère du Travail "
           "(mars 2024). Donnée réelle. À l'échelle des cantons, la page Carte montre les offres non pourvues "
           "et les recrutements jugés difficiles.")

st.subheader("Par bassin d'emploi : offres, demandeurs d'emploi et tension")
pairs = data.bassin_pairs(filters.professions, filters.territory)
if pairs.empty:
    st.info("Aucun chiffre par bassin d'emploi pour ces métiers : leur fiche métier n'a pas de correspondance "
            "dans le fichier de Pôle emploi, ou ce fichier n'a pas été chargé (page Données).")
else:
    st.caption(f"Pour chaque bassin d'emploi et métier : offres enregistrées et demandeurs d'emploi de "
               f"{bassin_tensions.COUNTS_YEAR} (moyennes de l'année, arrondies à l'unité), "
               f"{bassin_tensions.SEEKERS_PER_OFFER.lower()}, et la catégorie de tension de chaque année (1 à 5).")
    rows, cards = data.bassin_table(filters.professions, filters.territory)
    widgets.table_or_cards(rows, key="bassin_tensions", cards=cards)
    st.markdown(bassin_tensions.change_sentence(pairs))
    for shared in bassin_tensions.shared_bassins(pairs).itertuples():
        st.caption(bassin_tensions.shared_sentence(shared._asdict(), widgets.area_name(None)))
    st.caption(bassin_tensions.SOURCES_DIFFER)
    st.caption(f"Source : {bassin_tensions.SOURCE}. Donnée réelle. {bassin_tensions.SEEKERS_PER_OFFER} : "
               f"{bassin_tensions.SEEKERS_PER_OFFER_DEFINITION}")

year = filters.year_to
st.subheader(f"Les embauches rapportées aux emplois du secteur, par canton ({year})")
intensity, whole = data.hiring_intensity(filters, year)
hiring = tuple(key for key in jobs.PER_JOBS if key in widgets.shown_indicators(filters))
if intensity.empty:
    st.info("Les emplois salariés du secteur sanitaire et social ne sont pas encore chargés pour ce territoire.")
elif not filters.demo and (bool(whole["is_demo"]) or not hiring):
    st.info(provenance.no_real_figures("d'emplois salariés du secteur par canton",
                                       "le fichier de l'URSSAF (établissements et effectifs salariés par commune) "
                                       "s'importe depuis la page Données"))
else:
    st.dataframe(tables.hiring_intensity(intensity, whole, widgets.area_name(None), hiring),
                 hide_index=True, width="stretch")
    st.caption(jobs.caption(whole, year))
    widgets.secrecy_note(bool(intensity.filter(like="_per_100_jobs_secret").any(axis=None)), filters.threshold)

st.subheader("Les besoins : une population qui vieillit")
place = widgets.area_name(None)
oldest = needs.oldest(data.population_ages(filters.territory))
if len(oldest):
    first, last = oldest.iloc[0], oldest.iloc[-1]
    cards = st.columns(3)
    cards[0].metric(f"Personnes de 75 ans et plus ({int(last['year'])})", formats.number(last["population"]))
    cards[1].metric("Part de la population", formats.percent(last["share"]))
    cards[2].metric(f"Depuis {int(first['year'])}", formats.change(100 * (last["population"] / first["population"] - 1),
                                                                    "percent"))
    st.plotly_chart(charts.oldest_population(oldest, f"{place} : personnes de 75 ans et plus, "
                                                     f"{int(first['year'])}-{int(last['year'])}"),
                    key=Keys.oldest_chart)
    widgets.text_alternative(alt_text.oldest_sentence(oldest, place), tables.oldest_population(oldest))
change = data.area_population_change(filters.territory)
if len(change):
    indicator = INDICATORS[filters.indicator]
    st.markdown(f"**Où la population augmente le plus, et où l'on recrute le plus difficilement** "
                f"({indicator.label.lower()}, {filters.year_to})")
    st.dataframe(tables.area_needs(change, data.area_table(filters, filters.year_to), indicator),
                 hide_index=True, width="stretch")
st.caption(f"Source : {needs.SOURCE} (donnée réelle) ; l'indicateur des cantons : "
           f"{widgets.nature(INDICATORS[filters.indicator], filters.year_to, filters.year_to)}.")
