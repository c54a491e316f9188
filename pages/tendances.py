import streamlit as st

from observatory.figures import training_needs
from observatory.present import alt_text, charts
from observatory.vocabulary.indicators import INDICATORS
from observatory.vocabulary.outside_text import chart_text
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

PROFESSION_LINES = 8  # more lines than this cannot be told apart

filters = sidebar.current_filters()
indicator = INDICATORS[filters.indicator]
st.title(f"Tendances : {indicator.label.lower()}")

series = data.trends(filters)
territory, by_area, by_profession = series["territory"], series["areas"], series["professions"]
lines = [(widgets.area_name(None), territory)]
if filters.area:
    lines.append((widgets.area_name(filters.area), by_area[by_area["canton_code"] == filters.area]))
st.plotly_chart(charts.trend(lines, indicator, indicator.source,
                             f"{' et '.join(name for name, _ in lines)}, {filters.year_from}-{filters.year_to}"),
                key=Keys.trend_area)
widgets.text_alternative(alt_text.trend_sentence(lines, indicator), alt_text.series_table(lines, indicator))
widgets.source_line(indicator.source, filters.year_from, filters.year_to, indicator, filters.professions)
widgets.nomenclature_note(filters, indicator)
downloads.export_button(filters, key=Keys.download("trend_area"))

# The professions (and métiers BMO) whose figure moved most: the story of the period, not the alphabet.
shown = charts.most_changed(by_profession, indicator, PROFESSION_LINES)
lines = [(name, by_profession[by_profession["profession"] == name]) for name in shown]
total = by_profession.loc[by_profession[indicator.key].notna(), "profession"].nunique()
st.plotly_chart(charts.trend(lines, indicator, indicator.source,
                             f"Par métier ({chart_text(widgets.area_name(filters.area))}) : les {len(lines)} dont l'indicateur a "
                             f"le plus changé sur {total}", reference=False),
                key=Keys.trend_profession)
if total > len(lines):
    st.caption(f"Les {len(lines)} métiers (sur {total} avec un chiffre) dont l'indicateur a le plus varié entre la "
               "première et la dernière année connues ; choisissez des métiers dans la barre latérale pour en voir "
               "d'autres.")
widgets.text_alternative(alt_text.trend_sentence(lines, indicator), alt_text.series_table(lines, indicator))
widgets.secrecy_note(by_profession, filters.threshold)
downloads.export_button(filters, key=Keys.download("trend_profession"))

st.subheader("Former assez pour recruter ? Places de formation pour 100 projets de recrutement")
needs = data.training_needs_view(filters.professions, filters.territory, widgets.area_name(None))
if needs is None:
    st.info(training_needs.NONE)
else:
    sentence, needs_table, needs_cards = needs
    st.markdown(sentence)
    widgets.table_or_cards(needs_table, key="training_needs", cards=needs_cards, narrow=720)
    st.caption(f"{training_needs.DEFINITION} Sources : {training_needs.SOURCE} (données réelles). Chaque côté garde "
               "son année, écrite dans le tableau ; « au plus » : des projets du métier ne sont pas publiés.")
