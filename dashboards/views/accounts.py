"""Accounts of the app, for the administrator: list, create, disable or enable, change a role,
reset a password. Every change is recorded in the audit log by the back end."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.session import current_principal, fixed_language
from dashboards.ui import empty_state, guarded, label, table, tr
from epn.principal import EPN_USER, ROLES
from services.accounts import (
    change_role,
    create_account,
    reset_account_password,
    set_account_disabled,
)

LISTED = ("username", "display_name", "email", "role", "epn_id", "state", "created_at")
FLASH = "accounts_flash"  # what the last change did, shown once after the page reloads


def render() -> None:
    principal = current_principal()
    st.title(tr("app.page.accounts"))
    st.caption(tr("app.accounts.caption"))
    flash()
    with guarded():
        users = queries.account_list(principal)
        epns = queries.epn_choices(principal)
        listing(users)
        add_tab, manage_tab = st.tabs(
            [tr("app.accounts.add_title"), tr("app.accounts.manage_title")]
        )
        with add_tab:
            add_form(principal, epns)
        with manage_tab:
            manage(principal, users, epns)


def listing(users: pd.DataFrame) -> None:
    if users.empty:
        empty_state("app.accounts.empty")
        return
    state = users.apply(
        lambda u: "disabled" if u["disabled"] else "locked" if u["locked"] else "active", axis=1
    )
    shown = users.assign(
        role=users["role"].map(lambda r: label("app.role", r)),
        state=state.map(lambda s: tr(f"app.accounts.state.{s}")),
    ).loc[:, list(LISTED)]
    table(
        shown.rename(columns={c: tr(f"app.accounts.col.{c}") for c in LISTED}),
        [tr(f"app.accounts.col.{c}") for c in LISTED],
        export="accounts",
    )


def add_form(principal, epns: pd.DataFrame) -> None:
    with st.form("account_add", clear_on_submit=True, border=False):
        left, right = st.columns(2)
        username = left.text_input(tr("app.accounts.username"), key="acc_new_username")
        name = right.text_input(tr("app.accounts.display_name"), key="acc_new_name")
        email = left.text_input(tr("app.accounts.email"), key="acc_new_email")
        role = right.selectbox(
            tr("app.accounts.role"),
            ROLES,
            format_func=fixed_language(lambda r: label("app.role", r)),
            key="acc_new_role",
        )
        epn_id = epn_picker(left, epns, "acc_new_epn")
        password = right.text_input(
            tr("app.accounts.initial_password"),
            type="password",
            help=f"{tr('app.accounts.password_help')} {tr('app.widget.password_help')}",
            key="acc_new_password",
        )
        submitted = st.form_submit_button(
            tr("app.accounts.add_submit"),
            type="primary",
            icon=":material/person_add:",
            key="acc_add_submit",
        )
    if submitted:
        with guarded():
            epn_id = epn_id if role == EPN_USER else None
            given = create_account(principal, username, role, epn_id, name, email, password)
            done("app.accounts.created", username.strip(), None if password else given)


def manage(principal, users: pd.DataFrame, epns: pd.DataFrame) -> None:
    if users.empty:
        empty_state("app.accounts.empty")
        return
    roles = dict(zip(users["username"], users["role"], strict=True))
    username = st.selectbox(
        tr("app.accounts.pick_user"),
        list(roles),
        format_func=fixed_language(lambda u: f"{u} — {label('app.role', roles[u])}"),
        key="acc_pick",
    )
    account = users.set_index("username").loc[username]
    status, role_cell, password_cell = st.columns(3, border=True)
    with status:
        switch_state(principal, username, bool(account["disabled"]))
    with role_cell:
        role_form(principal, username, account, epns)
    with password_cell:
        password_form(principal, username)


def switch_state(principal, username: str, disabled: bool) -> None:
    st.markdown(f"**{tr('app.accounts.state_title')}**")
    st.caption(tr("app.accounts.state_help"))
    code, icon = (
        ("app.accounts.enable", ":material/check_circle:")
        if disabled
        else ("app.accounts.disable", ":material/block:")
    )
    if st.button(tr(code), key="acc_switch", icon=icon):
        with guarded():
            set_account_disabled(principal, username, not disabled)
            done("app.accounts.updated", username)


def role_form(principal, username: str, account, epns: pd.DataFrame) -> None:
    with st.form("account_role", border=False):
        st.markdown(f"**{tr('app.accounts.role_title')}**")
        role = st.selectbox(
            tr("app.accounts.role"),
            ROLES,
            index=ROLES.index(account["role"]),
            format_func=fixed_language(lambda r: label("app.role", r)),
            key=f"acc_role_{username}",  # one per account: each opens on its own role
        )
        epn_id = epn_picker(st, epns, f"acc_role_epn_{username}", account["epn_id"])
        if st.form_submit_button(tr("app.accounts.role_submit"), key="acc_role_submit"):
            with guarded():
                change_role(principal, username, role, epn_id if role == EPN_USER else None)
                done("app.accounts.updated", username)


def password_form(principal, username: str) -> None:
    with st.form("account_password", clear_on_submit=True, border=False):
        st.markdown(f"**{tr('app.accounts.reset_title')}**")
        password = st.text_input(
            tr("app.accounts.new_password"),
            type="password",
            help=f"{tr('app.accounts.password_help')} {tr('app.widget.password_help')}",
            key="acc_reset_password",
        )
        if st.form_submit_button(tr("app.accounts.reset_submit"), key="acc_reset_submit"):
            with guarded():
                given = reset_account_password(principal, username, password)
                done("app.accounts.reset_done", username, None if password else given)


def epn_picker(container, epns: pd.DataFrame, key: str, current: str | None = None):
    names = dict(zip(epns["epn_id"], epns["name"], strict=True))
    options = list(names)
    return container.selectbox(
        tr("app.accounts.epn"),
        options,
        index=options.index(current) if current in names else None,
        format_func=lambda e: f"{e} — {names[e]}",
        placeholder=tr("app.accounts.epn_placeholder"),
        help=tr("app.accounts.epn_help"),
        key=key,
    )


def done(code: str, username: str, generated: str | None = None) -> None:
    """Reloads the page (the list changed) with what was done, and a generated password."""
    st.session_state[FLASH] = (code, username, generated)
    st.rerun()


def flash() -> None:
    shown = st.session_state.pop(FLASH, None)
    if shown is None:
        return
    code, username, generated = shown
    st.success(tr(code, username=username), icon=":material/check_circle:")
    if generated:  # shown once: the administrator passes it on
        st.caption(tr("app.accounts.generated"))
        st.code(generated, language=None)


render()
