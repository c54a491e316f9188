"""The Données page's « Mettre à jour depuis les éditeurs » (behind the password): check what each
publisher has that the base has not, then fetch, check and import one source with a progress bar.
The same functions as `python -m observatory fetch`; the report is the same."""
from __future__ import annotations

import streamlit as st

from observatory.builder import imported_files
from observatory.fetching import catalogue, command, offers_api, refresh, transfer
from observatory.ui import session
from observatory.ui.keys import Keys
from observatory.vocabulary.outside_text import LONG, literal, literal_lines

NO_CREDENTIALS = ("identifiants de l'API France Travail non configurés sur ce serveur : l'administrateur les "
                  "renseigne une fois (voir « Mettre à jour les données » dans le guide d'installation).")


def _line(status) -> str:
    """The status in Markdown, the publisher's page (from our catalogue) as a link."""
    source = status.source
    text = NO_CREDENTIALS if source.method == "francetravail" and offers_api.credentials() is None else status.line
    head = f"**{literal(source.name)}** ({literal(source.publisher)}) : "
    if source.page and source.page in text:
        before, after = text.split(source.page, 1)
        return head + literal(before.rstrip(), LONG) + f" [sa page]({source.page})" + literal(after, LONG)
    return head + literal(text, LONG)


def draw() -> None:
    st.subheader("Mettre à jour depuis les éditeurs")
    st.caption("L'observatoire demande à chaque éditeur (data.gouv.fr, portails des ministères, URSSAF, API de "
               "France Travail) s'il a une édition plus récente que la base. « Mettre à jour » télécharge le "
               "fichier officiel, le vérifie comme un fichier déposé ci-dessus, puis l'importe ; en cas d'échec, "
               "la base reste telle qu'elle était.")
    db = session.db_path()
    if st.button("Vérifier les nouvelles éditions", key=Keys.editions_check):
        with st.spinner("Interrogation des éditeurs…"):
            found, offline = command.statuses(list(catalogue.load().values()), db, transfer.Settings(timeout=15, attempts=2))
        st.session_state[Keys.editions_found] = (found, offline)
    checked = st.session_state.get(Keys.editions_found)
    if not checked:
        return
    found, offline = checked
    if offline:
        st.warning("Les éditeurs sont injoignables depuis ce serveur (pas de réseau, ou un proxy à déclarer) : les "
                   "éditions en ligne n'ont pas été vérifiées. Voici ce que la base a.", icon=":material/wifi_off:")
    for status in sorted(found, key=lambda s: not s.source.fetchable):  # what can be fetched first
        line = _line(status)
        if not status.source.fetchable or offline:
            st.markdown(line)
            continue
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(line)
        if right.button("Mettre à jour", key=Keys.fetch_source(status.source.key),
                        type="primary" if status.newer else "secondary"):
            _fetch(status.source, db)


def _fetch(source, db) -> None:
    bar = st.progress(0.0, text=f"{source.name} : téléchargement…")

    def progress(done: int, total: int | None, unit: str) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.5, text=f"{source.name} : {refresh.progress_text(done, total, unit)}")

    try:
        lines = refresh.fetch(source, db, settings=transfer.Settings(timeout=30, attempts=4), progress=progress)
    except (transfer.FetchError, imported_files.ImportBusy) as error:
        bar.empty()
        st.error(literal_lines(error))
        return
    bar.progress(1.0, text="Terminé.")
    st.session_state.pop(Keys.editions_found, None)  # the base changed: check again
    st.success(literal_lines("\n\n".join(lines)))
