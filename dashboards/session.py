"""What the app knows about the current browser session: who is asking, in which language.

Who is asking is decided here only, again on every rerun: the login opens a server-side
session (``warehouse.app_sessions``) whose id is kept under a key that no widget has (a
browser cannot write it); every rerun asks the warehouse whether that session still lives,
so a logout, a disabled account, a new role or a new password end it at the next click.
Nothing a page, a widget, a URL or the identity provider sends becomes a role or an EPN.

A reload, a bookmark or a new tab starts a new Streamlit session: the browser then sends
the ``epn_session`` cookie, an opaque token the server knows only hashed. The page never
sees that token: after a login it sends a one-time code to ``dashboards/server.py``, whose
answer sets the cookie (HttpOnly, SameSite=Strict); a logout asks the same route to end the
session and delete the cookie.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st

from epn.i18n import t
from epn.locale import LANGUAGES, normalize_language
from epn.principal import Principal
from epn.settings import get_settings, warehouse_path
from warehouse import accounts, app_sessions, audit
from warehouse.db import connect

log = logging.getLogger(__name__)
LANG_KEY = "lang"
_SIGNED_IN = "_epn_signed_in"  # never a widget key
_NOTICE = "_epn_login_notice"  # why the last session ended, shown on the login page
_SSO_REFUSED = "_epn_sso_refused"  # the e-mail the identity provider vouched for, unknown here
_HANDOFF = "_epn_handoff"  # (session id, one-time code) the page trades for the cookie
_FORGET_COOKIE = "_epn_forget_cookie"  # the browser holds a cookie of an ended session
_DEAD_TOKEN = "_epn_dead_token"  # that cookie, so that it is forgotten once per tab
PASSWORD, SSO = "password", "sso"
COOKIE = "epn_session"
HANDOFF_PATH = "/_epn/session"  # routes of dashboards/server.py
END_PATH = "/_epn/session/end"
# Why a session ended -> what the login page says (a logout needs no word).
ENDED_NOTICE = {
    app_sessions.DISABLED: "app.login.ended",
    app_sessions.ROLE_CHANGED: "app.session.ended.role_changed",
    app_sessions.PASSWORD_RESET: "app.session.ended.password_reset",
    app_sessions.EXPIRED: "app.session.ended.expired",
}


@dataclass(frozen=True)
class _SignedIn:
    """A login as this module stored it: a plain value under the key is not one."""

    username: str
    method: str  # PASSWORD | SSO
    session_id: str
    email: str | None = None


def current_principal() -> Principal | None:
    """The principal every page and query acts for, or None when nobody is signed in.

    An account disabled or removed since the last click ends the session (and reruns the
    app, which then shows the login page with a notice).
    """
    signed = st.session_state.get(_SIGNED_IN)
    if not isinstance(signed, _SignedIn):
        return _from_cookie() or _from_identity_provider()
    with connect(warehouse_path()) as con:
        principal, reason = app_sessions.principal_of(con, signed.session_id)
    if principal is None or (signed.method == SSO and _sso_email() != signed.email):
        reason = reason or "provider_signed_out"
        _audit(signed.username, "logout", "ok", method=signed.method, reason=reason)
        if principal is not None:  # the provider signed out: our session ends with it
            _end_server_session(signed.session_id, reason)
        _end_session(ENDED_NOTICE.get(reason, "app.login.ended"))
        st.session_state[_FORGET_COOKIE] = signed.method == PASSWORD
        st.rerun()
    return principal


def sign_in(username: str, password: str) -> Principal:
    """Checks the password and opens the session; raises LoginRefused (audited, counted)."""
    # No transaction around it: a refused attempt must stay counted towards the lock-out.
    with connect(warehouse_path()) as con:
        principal = accounts.authenticate(con, username.strip(), password)
    session_id, code = _open_server_session(principal, PASSWORD)
    _open_session(_SignedIn(principal.username, PASSWORD, session_id))
    st.session_state[_HANDOFF] = (session_id, code)
    return principal


def sign_out() -> None:
    """Ends the session here, on the server and in the browser's cookie (and the identity
    provider's, for a single sign-on)."""
    signed = st.session_state.get(_SIGNED_IN)
    if isinstance(signed, _SignedIn):
        _end_server_session(signed.session_id, app_sessions.LOGOUT)
        _audit(signed.username, "logout", "ok", method=signed.method)
    _clear_session()
    st.session_state[_FORGET_COOKIE] = True
    if isinstance(signed, _SignedIn) and signed.method == SSO:
        st.logout()


def authorised_at_click(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """``build`` for a download button, run at the click only while the session that drew the
    button still lives: a disabled account (or a changed role, a logout in another tab) gets
    no file from a button still on its screen."""
    signed = st.session_state.get(_SIGNED_IN)
    session_id = signed.session_id if isinstance(signed, _SignedIn) else None

    def produce() -> bytes:
        with connect(warehouse_path()) as con:
            alive = session_id is not None and app_sessions.principal_of(con, session_id)[0]
        if not alive:
            raise PermissionError("the session that drew this button has ended")
        return build()

    return produce


def sync_browser() -> None:
    """Tells the browser what changed: a cookie to take after a login, one to forget after
    a logout or an ended session. An invisible frame runs one same-origin ``fetch``; the
    cookie itself is set by the server's answer, out of the page's reach."""
    handoff = st.session_state.get(_HANDOFF)
    if handoff is not None:
        with connect(warehouse_path()) as con:
            taken = app_sessions.handed_over(con, handoff[0])
        if taken:
            del st.session_state[_HANDOFF]
        else:  # sent again at every run until the server has traded it
            _post(HANDOFF_PATH, {"code": handoff[1]})
    if st.session_state.pop(_FORGET_COOKIE, False):
        _post(END_PATH, {})


def _post(path: str, body: dict) -> None:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    url = (f"/{base}" if base else "") + path
    request = json.dumps(
        {
            "method": "POST",
            "credentials": "same-origin",
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(body),
        }
    )
    st.iframe(f"<script>fetch({json.dumps(url)}, {request});</script>", height="content")


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


# The language a choice widget's labels were drawn in (see ``fixed_language``).
_PINNED_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("lang", default=None)
# What a choice holds, for ``_keep_choices``: codes, numbers, dates (never a file or a click).
_CHOICE_VALUES = (str, int, float, dt.date)


def current_lang() -> str:
    pinned = _PINNED_LANG.get()
    if pinned is not None:
        return pinned
    return normalize_language(st.session_state.get(LANG_KEY) or get_settings().language)


def fixed_language(format_func: Callable[[object], str]) -> Callable[[object], str]:
    """``format_func`` always naming options in the language of the run that drew them.

    Streamlit calls a widget's ``format_func`` again later, when the language may have
    changed in between: in the next run, to name the value it kept, and in ``AppTest``,
    outside any run. The labels must then match the options as they were drawn (else the
    value is not found among them: AppTest fails with « ... is not in list »).
    """
    lang = current_lang()

    def in_drawn_language(value: object) -> str:
        token = _PINNED_LANG.set(lang)
        try:
            return format_func(value)
        finally:
            _PINNED_LANG.reset(token)

    return in_drawn_language


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
        on_change=_keep_choices,
    )


def _keep_choices() -> None:
    """Keeps every choice across a language switch.

    The browser holds a choice by its label (« EPN pour 100 000 habitants »); left alone, it
    would go on showing that label in the new language, since nothing tells it the choice's
    new name. Here, before the run in the new language, each choice's value (the code, read
    while the old labels still apply) is set again: the widgets then send the browser that
    code under its new label.
    """
    for key in list(st.session_state.keys()):
        if key == LANG_KEY or key.startswith("_"):
            continue
        try:
            value = st.session_state[key]
        except (KeyError, st.errors.StreamlitAPIException):
            continue
        items = value if isinstance(value, list | tuple) else [value]
        if value is None or isinstance(value, bool) or not items:
            continue
        if all(isinstance(v, _CHOICE_VALUES) and not isinstance(v, bool) for v in items):
            try:
                st.session_state[key] = value
            except st.errors.StreamlitAPIException:  # a widget whose value cannot be set
                continue


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
    # No cookie of ours: the identity provider's own cookie (st.login) brings the user back.
    session_id, _ = _open_server_session(principal, SSO)
    _open_session(_SignedIn(principal.username, SSO, session_id, email))
    _audit(principal.username, "login", "ok", method=SSO)
    return principal


def _from_cookie() -> Principal | None:
    """The user of a live session the browser's cookie names (a reload, a new tab)."""
    token = browser_cookie()
    if not isinstance(token, str) or not token or token == st.session_state.get(_DEAD_TOKEN):
        return None
    with connect(warehouse_path()) as con:
        found = app_sessions.session_of_token(con, token)
        principal, _ = app_sessions.principal_of(con, found[0]) if found else (None, None)
    if principal is None or found[1] != PASSWORD:
        st.session_state[_DEAD_TOKEN] = token  # ended meanwhile: forget it, once
        st.session_state[_FORGET_COOKIE] = True
        return None
    _open_session(_SignedIn(principal.username, PASSWORD, found[0]))
    return principal


def browser_cookie() -> str | None:
    """The session cookie the browser sent when this tab connected."""
    return st.context.cookies.get(COOKIE)


def _open_server_session(principal: Principal, method: str) -> tuple[str, str]:
    with connect(warehouse_path()) as con:
        return app_sessions.open_session(con, principal, method)


def _end_server_session(session_id: str, reason: str) -> None:
    with connect(warehouse_path()) as con:
        app_sessions.end_session(con, session_id, reason)


def _open_session(signed: _SignedIn) -> None:
    _clear_session()
    st.session_state[_SIGNED_IN] = signed


def _end_session(notice: str) -> None:
    _clear_session()
    st.session_state[_NOTICE] = notice


def _clear_session() -> None:
    """Forgets everything but the language (and a dead cookie, so that it is not read
    again), so nothing of one user reaches the next."""
    for key in list(st.session_state.keys()):
        if key not in (LANG_KEY, _DEAD_TOKEN):
            del st.session_state[key]


def _audit(username: str, action: str, outcome: str, **detail: object) -> None:
    with connect(warehouse_path()) as con:
        audit.record(con, username, action, username, outcome, **detail)
