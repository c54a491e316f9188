import streamlit as st

from observatory import alt_text, charts, ui
from observatory.indicators import INDICATORS

filters = ui.current_filters()
indicator = INDICATORS[filters.indicator]
st.title(f"Tendances : {indicator.label.lower()}")

series = ui.query("trends", filters)
departement, by_area, by_profession = series["departement"], series["areas"], series["professions"]
lines = [(ui.area_name(None), departement)]
if filters.area:
    lines.append((ui.area_name(filters.area), by_area[by_area["canton_code"] == filters.area]))
st.plotly_chart(charts.trend(lines, indicator, indicator.source,
                             f"{' et '.join(name for name, _ in lines)}, {filters.year_from}-{filters.year_to}"),
                key="trend_area")
ui.text_alternative(alt_text.trend_sentence(lines, indicator), alt_text.series_table(lines, indicator))
ui.source_line(indicator.source, filters.year_from, filters.year_to, indicator, filters.professions)
ui.nomenclature_note(filters, indicator)
ui.export_button(filters, key="download_trend_area")

# The professions (and métiers BMO) with a figure or a « s » for this indicator: the most years first.
known = by_profession[indicator.key].notna() | by_profession[f"{indicator.key}__secret"]
counts = known.groupby(by_profession["profession"]).sum()
shown = counts[counts > 0].sort_values(ascending=False, kind="stable").head(8).index
lines = [(name, frame) for name, frame in by_profession[by_profession["profession"].isin(shown)].groupby("profession")]
st.plotly_chart(charts.trend(lines, indicator, indicator.source,
                             f"Par métier ({ui.area_name(filters.area)}), huit premiers métiers sélectionnés"),
                key="trend_profession")
ui.text_alternative(alt_text.trend_sentence(lines, indicator), alt_text.series_table(lines, indicator))
ui.secrecy_note(by_profession, filters.threshold)
ui.export_button(filters, key="download_trend_profession")
