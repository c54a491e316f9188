import streamlit as st

from observatory import alt_text, charts, secrecy
from observatory.indicators import INDICATORS
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

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

# The professions (and métiers BMO) with a figure or a « s » for this indicator: the most years first.
known = by_profession[indicator.key].notna() | secrecy.secret_flags(by_profession, indicator.key)
counts = known.groupby(by_profession["profession"]).sum()
shown = counts[counts > 0].sort_values(ascending=False, kind="stable").head(8).index
lines = [(name, frame) for name, frame in by_profession[by_profession["profession"].isin(shown)].groupby("profession")]
st.plotly_chart(charts.trend(lines, indicator, indicator.source,
                             f"Par métier ({widgets.area_name(filters.area)}), huit premiers métiers sélectionnés"),
                key=Keys.trend_profession)
widgets.text_alternative(alt_text.trend_sentence(lines, indicator), alt_text.series_table(lines, indicator))
widgets.secrecy_note(by_profession, filters.threshold)
downloads.export_button(filters, key=Keys.download("trend_profession"))
