import streamlit as st

from observatory import deck
from observatory.ui import downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
year = filters.year_to
slides = downloads.deck_slides(filters, year)
position = min(st.session_state.get(Keys.slide, 0), len(slides) - 1)
slide = slides[position]

st.markdown(widgets.SLIDE_CSS, unsafe_allow_html=True)
controls = st.columns([1.4, 1.4, 3, 2.2])
if controls[0].button("← Précédente", key=Keys.slide_previous, shortcut="left", disabled=position == 0):
    st.session_state[Keys.slide] = position - 1
    st.rerun()
if controls[1].button("Suivante →", key=Keys.slide_next, shortcut="right", disabled=position == len(slides) - 1):
    st.session_state[Keys.slide] = position + 1
    st.rerun()
controls[2].caption(f"Diapositive {position + 1} sur {len(slides)} — flèches ← → du clavier")
controls[3].download_button("Télécharger la présentation (HTML)", data=lambda: downloads.deck_html(filters, year).encode(),
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

st.markdown(f'<h1 class="slide-title">{slide.title}</h1>', unsafe_allow_html=True)
if slide.figure is not None:
    st.plotly_chart(slide.figure, key=Keys.slide_chart(position))
    st.caption("En bref : " + " ; ".join(f"{k} : {v}" for k, v in slide.values.items()) + ".")
    with st.expander("Voir les données du graphique"):
        st.table({"": list(slide.values.keys()), "Valeur": list(slide.values.values())})
else:
    # st.markdown keeps the inline SVG map (st.html's sanitiser drops it)
    st.markdown(f"<style>{' '.join(deck.CONTENT_STYLE.split())}</style>{slide.body}", unsafe_allow_html=True)
st.caption(slide.source)
