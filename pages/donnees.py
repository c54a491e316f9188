import tempfile
from pathlib import Path

import streamlit as st

from observatory.builder import BuildError, imported_files
from observatory.present import tables
from observatory.ingest import IMPORTERS, ImportRejected
from observatory.ui import admin, data, refresh_panel, session, sidebar, stored_files
from observatory.ui.keys import Keys
from observatory.vocabulary.outside_text import literal, literal_lines

sidebar.current_filters()  # the shared sidebar, also when the page runs on its own
st.title("Données")
st.markdown("Ce qui alimente l'observatoire : sources, fraîcheur, historique des imports. Seul le chargé de "
            "données, avec le mot de passe, peut en ajouter ou en retirer.")

history = data.import_history()
st.subheader("Fraîcheur par source")
labels = {kind: module.LABEL for kind, module in IMPORTERS.items()}
lines = tables.freshness(history, labels)
st.markdown("\n".join(f"- {line}" for line in lines) if lines else "Aucun fichier importé : l'observatoire montre "
            "les données de démonstration.")
st.subheader("Sources")
st.table(tables.sources(data.sources()), hide_index=True)
st.subheader("Historique des imports")
if len(history):
    st.dataframe(tables.import_history(history), hide_index=True, width="stretch")
else:
    st.caption("Aucun import pour l'instant.")
for line in stored_files.problems(session.db_path()):
    st.warning(line, icon=":material/report:")
repairs = stored_files.repairs(session.db_path())
if repairs:
    st.markdown("**Réparations de la base**\n" + "\n".join(f"- {line}" for line in repairs))

st.subheader("Importer des fichiers")
if not admin.is_admin():
    st.stop()

uploaded = st.file_uploader("Fichiers à importer", type=admin.UPLOAD_TYPES, accept_multiple_files=True,
                            key=Keys.upload_files,
                            help="Offres France Travail (JSON), enquête BMO et table des bassins, LHEO (XML), "
                                 "baromètre DARES, ONISEP, COG de l'INSEE, modèle partenaires (CSV ou XLSX).")
too_big = [f.name for f in uploaded or [] if f.size > admin.MAX_UPLOAD_MB * 1024 * 1024]
if too_big:
    st.error(f"Fichier(s) trop gros (au plus {admin.MAX_UPLOAD_MB} Mo) : {', '.join(literal(n) for n in too_big)}.")
    st.stop()


def _saved(folder: str) -> list[Path]:
    saved = []
    for position, item in enumerate(uploaded):
        path = Path(folder) / f"{position}{Path(item.name).suffix.lower()}"
        path.write_bytes(item.getvalue())
        saved.append(path)
    return saved


names = [f.name for f in uploaded or []]
if uploaded and st.button("1. Vérifier les fichiers", key=Keys.import_check):
    with tempfile.TemporaryDirectory() as folder, st.spinner("Vérification…"):
        try:
            checked = imported_files.check_files(_saved(folder), db_path=session.db_path(), names=names)
        except (ImportRejected, BuildError) as error:
            st.session_state.pop(Keys.import_checked, None)
            st.error(f"Fichier refusé, rien n'a été modifié.\n\n{literal_lines(error)}")
        else:
            st.session_state[Keys.import_checked] = (names, checked.reports, checked.already, bool(checked.restores))

checked = st.session_state.get(Keys.import_checked)
if uploaded and checked and checked[0] == names:
    st.markdown("**Rapport de vérification**")
    for report in checked[1]:
        st.info(literal_lines(report))
    for line in checked[2]:
        st.caption(literal_lines(line))
    if (checked[1] or checked[3]) and st.button("2. Confirmer l'import", type="primary", key=Keys.import_go):
        bar = st.progress(0.2, text="Import : reconstruction de la base à côté de l'ancienne (les autres sessions "
                                    "continuent sur l'ancienne jusqu'à la bascule)…")
        with tempfile.TemporaryDirectory() as folder:
            try:
                outcome = imported_files.import_files(_saved(folder), db_path=session.db_path(), names=names,
                                               imported_by="page Données", wait=5)
            except (ImportRejected, imported_files.ImportBusy, BuildError) as error:
                bar.empty()
                st.error(f"Import refusé, rien n'a été modifié.\n\n{literal_lines(error)}")
            else:
                bar.progress(1.0, text="Terminé.")
                st.session_state.pop(Keys.import_checked, None)
                st.success(f"{len(outcome.added)} fichier(s) importé(s) : "
                           + ", ".join(literal(e.original_name) for e in outcome.added)
                           + "".join(f"\n\n{literal(line)}" for line in outcome.already))

refresh_panel.draw()

if len(history):
    st.subheader("Retirer un import")
    options = dict(zip(history["sha256"], history["file_name"] + " (" + history["kind"] + ")"))
    chosen = st.selectbox("Fichier à retirer", list(options), format_func=options.get, key=Keys.remove_choice)
    if st.button("Retirer ce fichier", key=Keys.remove_go):
        try:
            removed = imported_files.remove_import(chosen, db_path=session.db_path(), wait=5)
        except (ImportRejected, imported_files.ImportBusy, BuildError) as error:
            st.error(literal_lines(error))
        else:
            st.success(f"{literal(removed.original_name)} retiré : ses lignes ont quitté la base, le reste est intact.")

st.subheader("Connexions du chargé de données")
st.caption(f"Les {admin.LOG_SHOWN} derniers essais de mot de passe, de toutes les sessions (le mot de passe tapé "
           "n'est jamais enregistré). Après plusieurs échecs, la page fait attendre avant l'essai suivant, "
           "quelle que soit la session.")
st.dataframe(admin.attempts_table(), hide_index=True, width="stretch")
