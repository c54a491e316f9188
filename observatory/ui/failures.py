"""An unexpected error while a page runs: the visitor reads a short French message, the details go
to the server's log for the data officer; no traceback reaches a page."""
from __future__ import annotations

import contextlib
import logging
from datetime import datetime

import streamlit as st

LOG = logging.getLogger("observatory")
UNEXPECTED = ("Cette partie de la page n'a pas pu s'afficher, à la suite d'une erreur inattendue. Les données de "
              "l'observatoire ne sont pas touchées. Si cela se reproduit, prévenez le chargé de données en "
              "indiquant la page et l'heure ({moment}) : le détail est dans le journal du serveur.")


@contextlib.contextmanager
def contained(where: str, stop: bool = False):
    """Run the block; on an unexpected error, log it with its traceback and show UNEXPECTED instead
    (then stop the run if `stop`). Streamlit's own rerun and stop signals pass through (they are
    not `Exception`s)."""
    try:
        yield
    except Exception:
        LOG.exception("Erreur inattendue : %s", where)
        st.error(UNEXPECTED.format(moment=datetime.now().strftime("%d/%m/%Y à %H:%M")), icon=":material/error:")
        if stop:
            st.stop()
