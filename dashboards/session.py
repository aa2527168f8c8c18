"""What the app knows about the current browser session: who is asking, in which language.

Who is asking is decided here only, again on every rerun: the username stored at login,
under a key that no widget has (a browser cannot write it), is looked up in the warehouse,
so a disabled account or a new role takes effect at the next click. Nothing a page, a
widget, a URL or the identity provider sends becomes a role or an EPN.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from epn.i18n import t
from epn.locale import LANGUAGES, normalize_language
from epn.principal import Principal
from epn.settings import get_settings, warehouse_path
from warehouse import accounts, audit
from warehouse.db import connect

log = logging.getLogger(__name__)
LANG_KEY = "lang"
_SIGNED_IN = "_epn_signed_in"  # never a widget key
_NOTICE = "_epn_login_notice"  # why the last session ended, shown on the login page
_SSO_REFUSED = "_epn_sso_refused"  # the e-mail the identity provider vouched for, unknown here
PASSWORD, SSO = "password", "sso"


@dataclass(frozen=True)
class _SignedIn:
    """A login as this module stored it: a plain value under the key is not one."""

    username: str
    method: str  # PASSWORD | SSO
    email: str | None = None


def current_principal() -> Principal | None:
    """The principal every page and query acts for, or None when nobody is signed in.

    An account disabled or removed since the last click ends the session (and reruns the
    app, which then shows the login page with a notice).
    """
    signed = st.session_state.get(_SIGNED_IN)
    if not isinstance(signed, _SignedIn):
        return _from_identity_provider()
    with connect(warehouse_path()) as con:
        principal = accounts.principal_for(con, signed.username)
    if principal is None or (signed.method == SSO and _sso_email() != signed.email):
        reason = "account_disabled" if principal is None else "provider_signed_out"
        _audit(signed.username, "logout", "ok", method=signed.method, reason=reason)
        _end_session("app.login.ended")
        st.rerun()
    return principal


def sign_in(username: str, password: str) -> Principal:
    """Checks the password and opens the session; raises LoginRefused (audited, counted)."""
    # No transaction around it: a refused attempt must stay counted towards the lock-out.
    with connect(warehouse_path()) as con:
        principal = accounts.authenticate(con, username.strip(), password)
    _open_session(_SignedIn(principal.username, PASSWORD))
    return principal


def sign_out() -> None:
    """Ends the session (and the identity provider's, for a single sign-on)."""
    signed = st.session_state.get(_SIGNED_IN)
    if isinstance(signed, _SignedIn):
        _audit(signed.username, "logout", "ok", method=signed.method)
    _clear_session()
    if isinstance(signed, _SignedIn) and signed.method == SSO:
        st.logout()


def login_notice() -> str | None:
    """The catalogue code of why the last session ended, if it did not end by a logout."""
    return st.session_state.get(_NOTICE)


def sso_providers() -> list[str | None]:
    """The identity providers configured in secrets.toml's ``[auth]`` section, if any.

    ``None`` stands for the unnamed provider of ``[auth]`` itself, as ``st.login`` takes it.
    """
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml: no single sign-on
        return []
    except Exception:
        log.exception("secrets.toml could not be read: single sign-on is off")
        return []
    if not isinstance(section, Mapping):
        return []
    named = [
        name
        for name, value in section.items()
        if isinstance(value, Mapping) and "client_id" in value
    ]
    return named or ([None] if "client_id" in section else [])


def sso_refused() -> str | None:
    """The e-mail the identity provider signed in but no account of ours has."""
    return st.session_state.get(_SSO_REFUSED)


def _sso_email() -> str | None:
    """The verified e-mail of the identity provider's signed-in user, lower-cased."""
    if not sso_providers() or not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    if not isinstance(email, str) or not email.strip() or st.user.get("email_verified") is False:
        return None
    return email.strip().lower()


def current_lang() -> str:
    return normalize_language(st.session_state.get(LANG_KEY) or get_settings().language)


def keep_language() -> str:
    """The language, set again at the start of every run (app.py does it first thing).

    The radio is a different widget on the login page and in the sidebar; Streamlit would
    drop its value when it moves from one to the other, and a new user would lose theirs.
    """
    st.session_state[LANG_KEY] = current_lang()
    return st.session_state[LANG_KEY]


def language_switch(label_visibility: str = "visible") -> None:
    """The language radio (on the login page, then in the sidebar)."""
    st.radio(
        t("app.language", current_lang()),
        LANGUAGES,
        key=LANG_KEY,
        format_func=str.upper,
        horizontal=True,
        label_visibility=label_visibility,
    )


def _from_identity_provider() -> Principal | None:
    """Signs in a user the identity provider vouches for, if our users table knows them."""
    email = _sso_email()
    if email is None:
        return None
    with connect(warehouse_path()) as con:
        rows = con.execute(
            "SELECT username FROM app_user WHERE lower(email) = ?", [email]
        ).fetchall()
        # Role and EPN come from our table; an e-mail shared by two accounts names nobody.
        principal = accounts.principal_for(con, rows[0][0]) if len(rows) == 1 else None
    if principal is None:
        if sso_refused() != email:  # recorded once, not at every rerun
            _audit(email, "login", "refused", method=SSO, reason="unknown_email")
            st.session_state[_SSO_REFUSED] = email
        return None
    _open_session(_SignedIn(principal.username, SSO, email))
    _audit(principal.username, "login", "ok", method=SSO)
    return principal


def _open_session(signed: _SignedIn) -> None:
    _clear_session()
    st.session_state[_SIGNED_IN] = signed


def _end_session(notice: str) -> None:
    _clear_session()
    st.session_state[_NOTICE] = notice


def _clear_session() -> None:
    """Forgets everything but the language, so nothing of one user reaches the next."""
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]


def _audit(username: str, action: str, outcome: str, **detail: object) -> None:
    with connect(warehouse_path()) as con:
        audit.record(con, username, action, username, outcome, **detail)
