"""The login page, the only page a signed-out visitor gets: password form and optional SSO."""

from __future__ import annotations

import logging

import streamlit as st

from dashboards.session import (
    current_lang,
    language_switch,
    login_notice,
    sign_in,
    sign_out,
    sso_providers,
    sso_refused,
)
from dashboards.ui import tr
from epn.errors import EpnError

log = logging.getLogger(__name__)
USERNAME, PASSWORD = "login_username", "login_password"
REFUSAL = "login_refusal"  # the message of the last refused attempt, shown once


def render() -> None:
    _, middle, _ = st.columns([1, 1.4, 1])
    with middle:
        brand, switch = st.columns([3, 2], vertical_alignment="center")
        brand.markdown(f":material/computer: **{tr('app.title')}**")
        with switch:
            language_switch(label_visibility="collapsed")
        st.title(tr("app.login.title"), anchor=False)
        st.caption(tr("app.login.intro"))
        notice = login_notice()
        if notice:
            st.info(tr(notice), icon=":material/info:")
        password_form()
        if sso_providers():
            single_sign_on()


def password_form() -> None:
    with st.form("login_form", border=True):
        st.text_input(tr("app.login.username"), key=USERNAME, autocomplete="username")
        st.text_input(
            tr("app.login.password"),
            type="password",
            key=PASSWORD,
            help=tr("app.widget.password_help"),
            autocomplete="current-password",
        )
        st.form_submit_button(
            tr("app.login.submit"),
            type="primary",
            icon=":material/login:",
            key="login_submit",
            on_click=attempt,
            width="stretch",
        )
    refusal = st.session_state.pop(REFUSAL, None)
    if refusal:
        st.error(refusal, icon=":material/lock:")


def attempt() -> None:
    """Runs before the app reruns, so a successful login shows the app straight away."""
    username = st.session_state.get(USERNAME, "")
    password = st.session_state.get(PASSWORD, "")
    st.session_state[PASSWORD] = ""  # never kept, whatever the outcome
    if not username.strip() or not password:
        st.session_state[REFUSAL] = tr("app.login.missing")
        return
    try:
        sign_in(username, password)
    except EpnError as error:  # LoginRefused: wrong password, locked or disabled account
        st.session_state[REFUSAL] = error.message(current_lang())
    except Exception as error:
        log.exception("login failed")
        st.session_state[REFUSAL] = tr("internal_error", detail=type(error).__name__)


def single_sign_on() -> None:
    refused = sso_refused()
    if refused:
        st.warning(tr("app.login.sso_refused", email=refused), icon=":material/person_off:")
        if st.button(tr("app.login.sso_sign_out"), key="sso_sign_out"):
            sign_out()
        return
    st.caption(tr("app.login.sso_or"))
    for provider in sso_providers():
        title = tr("app.login.sso") + (f" · {provider}" if provider else "")
        if st.button(
            title, key=f"sso_{provider or 'default'}", icon=":material/key:", width="stretch"
        ):
            try:
                st.login(provider)
            except Exception:  # Authlib missing or the provider misconfigured
                log.exception("single sign-on could not start")
                st.error(tr("app.login.sso_unavailable"))


render()
