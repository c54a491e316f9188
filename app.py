"""Router and frame of the dashboard: page config, navigation, shared filters, banner saying which figures are real or demo."""
import streamlit as st

from observatory import paths
from observatory.ui import failures, session, sidebar, widgets
from observatory.ui.keys import Keys

# A fresh server's very first run happens in Streamlit's old pages-folder mode (our pages live in
# `pages/`); widgets made in that run would be forgotten at the next one. Rerun at once instead.
if sidebar.leave_pages_directory_mode():
    st.rerun()

st.set_page_config(page_title="Observatoire des métiers de l'accompagnement", page_icon=str(paths.STATIC_DIR / "icone.png"), layout="wide")

with failures.contained("cadre de l'application (base, filtres)", stop=True):
    session.ensure_database()
    filters = sidebar.sidebar_filters()
    st.session_state[Keys.router_filters] = filters

pages = [
    st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
    st.Page("pages/carte.py", title="Carte", icon=":material/map:"),
    st.Page("pages/tendances.py", title="Tendances", icon=":material/show_chart:"),
    st.Page("pages/tensions.py", title="Causes des tensions", icon=":material/troubleshoot:"),
    st.Page("pages/besoins.py", title="Besoins à venir", icon=":material/elderly:"),
    st.Page("pages/fiche_canton.py", title="Fiche canton", icon=":material/description:"),
    st.Page("pages/acces.py", title="Accès aux métiers", icon=":material/route:"),
    st.Page("pages/presentation.py", title="Présentation", icon=":material/slideshow:"),
    st.Page("pages/export.py", title="Export", icon=":material/download:"),
    st.Page("pages/donnees.py", title="Données", icon=":material/database:"),
    st.Page("pages/methodologie.py", title="Méthodologie", icon=":material/menu_book:"),
]
page = st.navigation(pages)
with failures.contained(f"page {page.title}"):
    widgets.provenance_banner(filters)
    page.run()
