"""The data officer's access to the Données page: a password, rate-limited across sessions
(`sign_in_log`), and a sign-in that ends after a while without action."""
from __future__ import annotations

import hmac
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from observatory.ui import session, sign_in_log
from observatory.ui.keys import Keys
from observatory.vocabulary import formats

PASSWORD_NAME = "OBSERVATORY_ADMIN_PASSWORD"
LOG_SHOWN = 100  # sign-in attempts listed on the Données page
IDLE_MINUTES = 30  # a signed-in session without action for this long signs out
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


def _session_and_address() -> tuple[str, str | None]:
    """This session's id (shortened in the log) and the client's address when Streamlit knows it."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    try:
        address = st.context.ip_address
    except Exception:  # no request behind this run (tests)
        address = None
    address = address if isinstance(address, str) and address else None  # None: localhost or unknown
    return (context.session_id if context else "?")[:8], address


def _still_signed_in() -> bool:
    """Signed in, and active within the last IDLE_MINUTES; each run counts as an action."""
    seen = st.session_state.get(Keys.admin_ok)
    if not seen:
        return False
    now = sign_in_log.clock()
    if now - seen > IDLE_MINUTES * 60:
        del st.session_state[Keys.admin_ok]
        st.info(f"Accès du chargé de données fermé après {IDLE_MINUTES} minutes sans action : "
                "saisissez de nouveau le mot de passe.")
        return False
    st.session_state[Keys.admin_ok] = now
    return True


def _wait_message(seconds: float) -> str:
    return f"Trop d'essais infructueux : réessayez dans {int(seconds) + 1} secondes."


def is_admin() -> bool:
    """Draw the sign-in form until the data officer has given the password; rate-limited."""
    if _still_signed_in():
        return True
    expected = admin_password()
    if expected is None:
        st.warning("L'import de données est désactivé : aucun mot de passe n'est configuré. Pour l'activer, "
                   f"définissez `{PASSWORD_NAME}` dans `.streamlit/secrets.toml` "
                   f"(`{PASSWORD_NAME} = \"…\"`) ou dans l'environnement du serveur, puis relancez l'application.")
        return False
    log = sign_in_log.log_path(session.db_path())
    session_id, address = _session_and_address()
    wait = sign_in_log.current_wait(log, address)
    if wait > 0:  # the form is not even drawn: nothing typed meanwhile is read
        st.error(_wait_message(wait))
        return False
    with st.form(Keys.admin_login):
        given = st.text_input("Mot de passe du chargé de données", type="password", key=Keys.admin_password)
        submitted = st.form_submit_button("Entrer")
    if submitted:
        outcome, wait = sign_in_log.attempt(log, lambda: password_matches(given or "", expected), session_id, address)
        if outcome == sign_in_log.SUCCESS:
            st.session_state[Keys.admin_ok] = sign_in_log.clock()
            st.rerun()
        st.error(_wait_message(wait) if outcome == sign_in_log.LOCKED else
                 "Mot de passe incorrect." + (f" {_wait_message(wait)}" if wait > 0 else ""))
    return False


def attempts_table(latest: int = LOG_SHOWN) -> pd.DataFrame:
    """The latest sign-in attempts, newest first, for the data officer (never a password)."""
    attempts = sign_in_log.read(sign_in_log.log_path(session.db_path()))[-latest:][::-1]
    paris = ZoneInfo("Europe/Paris")
    return pd.DataFrame({
        "Date et heure (Paris)": [formats.moment(datetime.fromtimestamp(a.at, paris)) for a in attempts],
        "Résultat": [a.outcome for a in attempts],
        "Session": [a.session for a in attempts],
        "Adresse": [a.address or "inconnue" for a in attempts],
    })
