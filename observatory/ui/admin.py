"""The data officer's access to the Données page: a password, rate-limited per session."""
from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from observatory.ui.keys import Keys

PASSWORD_NAME = "OBSERVATORY_ADMIN_PASSWORD"
MAX_FAILURES = 5  # then the session waits, longer at each new failure
LOCK_SECONDS = 60
MAX_UPLOAD_MB = 50  # also `server.maxUploadSize` in .streamlit/config.toml
UPLOAD_TYPES = ["csv", "json", "xml", "xlsx"]


def admin_password() -> str | None:
    """From `.streamlit/secrets.toml` (OBSERVATORY_ADMIN_PASSWORD = "…") or the environment."""
    try:
        value = st.secrets.get(PASSWORD_NAME)
    except Exception:  # no secrets file at all
        value = None
    return value or os.environ.get(PASSWORD_NAME) or None


def password_matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_admin() -> bool:
    """Draw the sign-in form until the data officer has given the password; rate-limited."""
    if st.session_state.get(Keys.admin_ok):
        return True
    expected = admin_password()
    if expected is None:
        st.warning("L'import de données est désactivé : aucun mot de passe n'est configuré. Pour l'activer, "
                   f"définissez `{PASSWORD_NAME}` dans `.streamlit/secrets.toml` "
                   f"(`{PASSWORD_NAME} = \"…\"`) ou dans l'environnement du serveur, puis relancez l'application.")
        return False
    locked_until = st.session_state.get(Keys.admin_locked_until, 0.0)
    if time.time() < locked_until:
        st.error(f"Trop d'essais infructueux : réessayez dans {int(locked_until - time.time()) + 1} secondes.")
        return False
    with st.form(Keys.admin_login):
        given = st.text_input("Mot de passe du chargé de données", type="password", key=Keys.admin_password)
        submitted = st.form_submit_button("Entrer")
    if submitted:
        if password_matches(given or "", expected):
            st.session_state[Keys.admin_ok] = True
            st.session_state[Keys.admin_failures] = 0
            st.rerun()
        failures = st.session_state.get(Keys.admin_failures, 0) + 1
        st.session_state[Keys.admin_failures] = failures
        if failures >= MAX_FAILURES:
            st.session_state[Keys.admin_locked_until] = time.time() + LOCK_SECONDS * (failures - MAX_FAILURES + 1)
        st.error("Mot de passe incorrect.")
    return False
