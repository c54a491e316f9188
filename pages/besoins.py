import streamlit as st

from observatory.figures import outlook, provenance
from observatory.present import alt_text, charts, maps, outlook_tables
from observatory.vocabulary import formats
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
place = widgets.area_name(None)
st.title("Besoins à venir : les personnes âgées et l'aide qu'il leur faudra")
st.markdown("Combien de personnes âgées auront besoin d'aide en 2030, 2040 et 2050, et combien de professionnels "
            "cela demande. Tout ce qui suit la dernière année observée est une **projection** : un ordre de "
            "grandeur calculé selon une méthode dite plus bas, jamais une mesure.")

result = data.outlook_of(filters.territory)
if result is None:
    st.info(f"{place} : pas de projection possible. Il y faut les bénéficiaires de l'APA (DREES), l'estimation "
            "de la population de 75 ans et plus (INSEE) et la projection de la population âgée (DREES) ; l'un "
            "d'eux manque pour ce territoire (les départements d'outre-mer n'ont pas de projection publiée).")
    st.stop()
if result.missing:
    st.caption(f"Non comptés, faute de données : {'; '.join(f'{name} ({what})' for _, name, what in result.missing)}.")

parameters = {p.key: st.session_state.get(Keys.outlook_parameter(p.key), p.default) for p in outlook.PARAMETERS}
with st.container(border=True):
    st.markdown(f"**À retenir** — {outlook.summary(result, place, parameters)}")

horizons = outlook_tables.horizons(result)
st.caption("Personnes de 75 ans et plus et bénéficiaires de l'APA : observés, puis projetés (de « tendance » à "
           "« taux constant », arrondis à la dizaine).")
widgets.table_or_cards(horizons, key="outlook_horizons")

st.subheader("Les personnes de 75 ans et plus, de 1975 à 2050")
st.plotly_chart(charts.outlook_population(result.population, "75 ans et plus : observé, puis projection"),
                key=Keys.outlook_population_chart)
widgets.text_alternative(alt_text.outlook_population_sentence(result, place), outlook_tables.population(result.population))
if result.gap is not None:
    year, gap = result.gap
    st.caption(f"En {year}, la projection de la DREES diffère de l'estimation de l'INSEE de "
               f"{formats.change(gap, 'percent')} : elle part d'une population de base plus ancienne.")

st.subheader("Les bénéficiaires de l'APA, observés puis projetés")
which = st.radio("Bénéficiaires", list(outlook_tables.PLACES), format_func=lambda p: outlook_tables.PLACES[p],
                 key=Keys.outlook_place, horizontal=True)
band = outlook.band(result, which)
what = {"at_home": "à domicile", "in_institution": "en établissement", "total": ""}[which]
st.plotly_chart(charts.outlook_beneficiaries(result.observed, band, which,
                                             f"APA {what} : observé, puis projection".replace("  ", " ")),
                key=Keys.outlook_apa_chart)
widgets.text_alternative(alt_text.outlook_beneficiaries_sentence(result, band, place, what),
                         outlook_tables.beneficiaries(result, band, which))
now = outlook.base(result)
st.caption(f"Taux observé en {result.base_year} : {formats.number(now['rate_total'], 1)} bénéficiaires de l'APA pour "
           f"100 personnes de 75 ans et plus ({formats.number(now['rate_at_home'], 1)} à domicile, "
           f"{formats.number(now['rate_in_institution'], 1)} en établissement). L'APA va aussi à des personnes de 60 à "
           f"74 ans : c'est un rapport, pas une probabilité. {outlook.trend_sentence(result)}")

st.subheader("Ce que cela représente en professionnels")
choice = st.columns(2)
horizon = choice[0].selectbox("Horizon", outlook.HORIZONS, key=Keys.outlook_horizon)
scenario = choice[1].radio("Scénario", list(outlook.SCENARIOS), format_func=outlook.SCENARIOS.get,
                           key=Keys.outlook_scenario, horizontal=True)
inputs = st.columns(len(outlook.PARAMETERS))
for column, parameter in zip(inputs, outlook.PARAMETERS):
    parameters[parameter.key] = column.number_input(
        parameter.label, min_value=0, max_value=10_000, value=parameter.default, step=parameter.step, format="%d",
        key=Keys.outlook_parameter(parameter.key), help=parameter.source, placeholder="à renseigner")
need = outlook.workers(result, horizon, scenario, parameters)
cards = st.columns(2)
cards[0].metric(f"Bénéficiaires à domicile en plus d'ici {horizon} (projection)", outlook.about(need["extra_at_home"]))
cards[0].metric("Équivalents temps plein d'aide à domicile en plus (projection)",
                outlook.about(need["home_fte"]) if need["home_fte"] is not None else "à renseigner")
cards[1].metric(f"Bénéficiaires en établissement en plus d'ici {horizon} (projection)",
                outlook.about(need["extra_in_institution"]))
cards[1].metric("Équivalents temps plein en établissement en plus (projection)",
                outlook.about(need["institution_fte"]) if need["institution_fte"] is not None else "à renseigner")
with st.expander("D'où viennent les valeurs par défaut"):
    for parameter in outlook.PARAMETERS:
        st.markdown(f"- **{parameter.label}** : {parameter.source}")

st.subheader("Face à l'offre d'aujourd'hui")
projects = data.care_projects(filters.territory)
home_help = projects[projects["bmo_code"] == outlook.CARE_BMO[0]]
if len(home_help) and need["home_fte"] is not None:
    last = home_help.iloc[-1]
    count = formats.number(last["projects"]) if last["withheld"] == 0 else f"au moins {formats.number(last['projects'])}"
    ratio = outlook.years_of(need["home_fte"], last["projects"])
    st.markdown(f"Les employeurs du territoire prévoyaient **{count} projets de recrutement** d'aides à domicile et "
                f"auxiliaires de vie en {int(last['year'])} (enquête Besoins en main-d'œuvre, donnée réelle). Les "
                f"quelque {outlook.about(need['home_fte'])} équivalents temps plein d'aide à domicile de plus en "
                f"{horizon} (projection) en représentent environ **{formats.number(ratio, 1)} année(s)**, au rythme "
                "de ces projets, qui comptent aussi les remplacements et les emplois à temps partiel.")
if len(projects):
    widgets.table_or_cards(outlook_tables.recruitment_projects(projects), key="outlook_projects")
staff = data.departement_staff(filters.territory)
if len(staff):
    st.markdown(outlook.staff_sentence(staff, place))
    with st.expander("Le personnel social et médico-social du département, par catégorie"):
        widgets.table_or_cards(outlook_tables.departement_staff(staff), key="outlook_staff")
graduates = data.care_graduates(filters)
if graduates is None:
    st.info(provenance.no_real_figures("de diplômés des formations d'aide à domicile, d'aide-soignant et "
                                       "d'accompagnant éducatif et social",
                                       "les effectifs des écoles s'importent depuis la page Données (modèle "
                                       "partenaire)"))
elif graduates["secret"]:
    st.caption("Diplômés de ces formations : s (secret statistique).")
else:
    nature = provenance.DEMO if graduates["is_demo"] else provenance.REAL
    years = outlook.years_of((need["home_fte"] or 0) + (need["institution_fte"] or 0), graduates["graduates"])
    st.markdown(f"Diplômés d'aide à domicile, d'aide-soignant et d'accompagnant éducatif et social en "
                f"{filters.year_to} : **{formats.number(graduates['graduates'])}** ({nature}). Le besoin "
                f"supplémentaire de {horizon} (projection) en représente environ **{formats.number(years, 1)} "
                "année(s)** de diplômés, sans compter les départs à remplacer.")

if len(result.departements) > 1:
    st.subheader(f"Les départements, de la plus forte croissance projetée à la plus faible ({horizon})")
    ranking = data.outlook_ranking(horizon)
    shown = ranking[ranking["code"].isin(result.departements)].reset_index(drop=True)
    svg, legend = maps.growth_svg(shown, data.areas(filters.territory), data.area_shapes(filters.territory),
                                  f"Croissance projetée des 75 ans et plus, {result.base_year}-{horizon} (projection)")
    left, right = st.columns([3, 1])
    left.markdown(svg, unsafe_allow_html=True)
    right.markdown(legend.html(), unsafe_allow_html=True)
    widgets.text_alternative(alt_text.outlook_ranking_sentence(shown, horizon),
                             outlook_tables.ranking(shown, result.base_year, horizon), "Voir le classement")

st.subheader("Télécharger la série")
columns = st.columns(2)
for column, fmt in zip(columns, ("csv-fr", "xlsx")):
    with column:
        downloads.outlook_button(result, place, parameters, fmt, key=Keys.download(f"besoins_{fmt}"))
st.caption(f"Sources : {outlook.APA_SOURCE} ; {outlook.POPULATION_SOURCE} ; {outlook.PROJECTION_SOURCE} "
           "(projection). La page Méthodologie détaille la méthode.")
