from html import escape

import plotly.graph_objects as go
import streamlit as st

from observatory.present import deck
from observatory.ui import downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
year = filters.year_to
slides = downloads.deck_slides(filters, year)
position = min(st.session_state.get(Keys.slide, 0), len(slides) - 1)
slide = slides[position]

st.markdown(widgets.SLIDE_CSS, unsafe_allow_html=True)
controls = st.container(horizontal=True, vertical_alignment="center", gap="small")
if controls.button("← Précédente", key=Keys.slide_previous, shortcut="left", disabled=position == 0):
    st.session_state[Keys.slide] = position - 1
    st.rerun()
if controls.button("Suivante →", key=Keys.slide_next, shortcut="right", disabled=position == len(slides) - 1):
    st.session_state[Keys.slide] = position + 1
    st.rerun()
controls.caption(f"Diapositive {position + 1} sur {len(slides)} — flèches ← → du clavier", width="content")
controls.download_button("Télécharger la présentation (HTML)", data=lambda: downloads.deck_html(filters, year).encode(),
                            file_name=f"observatoire_presentation_{year}.html", mime="text/html", on_click="ignore",
                            key=Keys.deck_download)

if st.toggle("Défilement automatique (toutes les 20 secondes)", key=Keys.slide_auto):
    @st.fragment(run_every=20)
    def advance() -> None:
        # The fragment also runs once as soon as it is drawn: only the timed runs advance.
        if st.session_state.get(Keys.slide_tick):
            st.session_state[Keys.slide] = (position + 1) % len(slides)
            st.session_state[Keys.slide_tick] = False
            st.rerun(scope="app")
        st.session_state[Keys.slide_tick] = True

    advance()

st.markdown(f'<h1 class="slide-title">{escape(slide.title)}</h1>', unsafe_allow_html=True)
if slide.figure is not None:
    # the deck's 1920-pixel chart, brought to the page's width and one screen's height
    figure = go.Figure(slide.figure).update_layout(width=None, height=400, autosize=True, font=dict(size=14),
                                                   margin=dict(l=10, r=30, t=30, b=30))
    figure.update_xaxes(tickfont=dict(size=13)).update_yaxes(tickfont=dict(size=13)).update_traces(textfont=dict(size=13))
    st.plotly_chart(figure, key=Keys.slide_chart(position), width="stretch")
    st.caption("En bref : " + " ; ".join(f"{k} : {v}" for k, v in slide.values.items()) + ".")
    with st.expander("Voir les données du graphique"):
        st.table({"": list(slide.values.keys()), "Valeur": list(slide.values.values())})
else:
    # st.markdown keeps the inline SVG map (st.html's sanitiser drops it)
    st.markdown(f"<style>{' '.join(deck.CONTENT_STYLE.split())}</style>{slide.body}", unsafe_allow_html=True)
st.caption(slide.source)
