import pandas as pd
import streamlit as st

from observatory.present import export
from observatory.vocabulary import formats, wording
from observatory.ui import data, downloads, sidebar, widgets
from observatory.ui.keys import Keys

filters = sidebar.current_filters()
st.title("Export des données")
st.markdown("Les lignes exactes des filtres choisis dans la barre latérale (une ligne par année, territoire et "
            "métier). Le fichier CSV ne contient que le tableau, prêt pour Excel ou un logiciel ; les filtres, les "
            "sources, les licences et la règle du secret statistique sont dans un fichier texte à télécharger à côté "
            "(dans la deuxième feuille pour le format XLSX).")

# The page shows the count, a preview and the notes; the whole table is built only for a download.
n_rows = data.export_count(filters)
st.metric("Lignes exportées", formats.number(n_rows))
fmt = st.radio("Format", list(export.FORMATS), format_func=lambda f: export.FORMATS[f][0], key=Keys.export_format,
               horizontal=True,
               help="CSV Excel (FR) : séparateur « ; », virgule décimale, s'ouvre directement dans Excel. "
                    "CSV standard : séparateur « , », point décimal, pour les logiciels. "
                    "XLSX : feuille « Données » et feuille « Filtres et sources ». "
                    "Pour les CSV, les filtres et sources sont dans un fichier texte à part.")

if n_rows > downloads.LARGE_EXPORT_ROWS:
    # A large file is prepared with a progress bar, then downloaded without rerunning the page.
    if st.button("Préparer le fichier", key=Keys.export_prepare):
        bar = st.progress(0.0, text="Préparation du fichier…")
        st.session_state[Keys.export_bytes] = (fmt, filters, export.render(downloads.export_table(filters), fmt,
                                                                         progress=bar.progress))
        bar.empty()
    prepared = st.session_state.get(Keys.export_bytes)
    if prepared and prepared[:2] == (fmt, filters):
        st.download_button("Télécharger le fichier", data=prepared[2], file_name=downloads.export_file_name(filters, fmt),
                           mime=export.FORMATS[fmt][2], on_click="ignore", key=Keys.export_download_large)
        if fmt != "xlsx":
            downloads.notes_button(filters, downloads.export_file_name(filters, fmt), Keys.export_download_large)
else:
    downloads.export_button(filters, key=Keys.export_download, fmt=fmt)
st.caption(f"Nom du fichier : {downloads.export_file_name(filters, fmt)}")

st.subheader("Aperçu (50 premières lignes)")
header, rows = downloads.export_preview(filters)
preview = pd.DataFrame(rows, columns=header).astype(str).replace({"None": ""})
st.dataframe(preview, hide_index=True, width="stretch")
st.caption(f"« s » : {wording.SECRET_VALUE} ; case vide : pas de donnée.")

st.subheader("Filtres et sources du fichier")
st.markdown(widgets.NOTES_CSS, unsafe_allow_html=True)
st.table(pd.DataFrame(downloads.export_notes(filters), columns=["Rubrique", "Contenu"]).set_index("Rubrique"))

st.subheader("Transmettre vos chiffres (organismes partenaires)")
st.markdown("Places, candidats, inscrits, diplômés et places de stage par canton, métier et année : remplissez le "
            "modèle et transmettez-le au chargé de données de l'observatoire, qui l'importe depuis la page Données.")
columns = st.columns(4)
for position, (fmt, example, label) in enumerate([("csv", False, "Modèle vide (CSV)"), ("xlsx", False, "Modèle vide (XLSX)"),
                                                  ("csv", True, "Exemple rempli (CSV)"), ("xlsx", True, "Exemple rempli (XLSX)")]):
    columns[position].download_button(
        label, data=downloads.partner_template(fmt, example), on_click="ignore", key=Keys.template(fmt, example),
        file_name=f"observatoire_modele_partenaires{'_exemple' if example else ''}.{fmt}",
        mime=export.FORMATS["xlsx" if fmt == "xlsx" else "csv"][2])
st.markdown("Contraintes des cantons (ménages sans voiture, places d'accueil des jeunes enfants, loyers), avec leur "
            "source : modèle à part.")
cols = st.columns(2)
for position, example in enumerate((False, True)):
    cols[position].download_button(
        "Exemple rempli (CSV)" if example else "Modèle vide (CSV)", data=downloads.context_template(example),
        on_click="ignore", key=Keys.context_template(example), mime="text/csv",
        file_name=f"observatoire_modele_contraintes{'_exemple' if example else ''}.csv")
