"""What both entry pages share: which EPN they fill for, and sending the file they build."""

from __future__ import annotations

import streamlit as st

from dashboards import queries
from dashboards.outcome import show_outcome
from dashboards.ui import empty_state, plain_text, tr
from epn.principal import EPN_USER


def entry_epn(principal, lang: str, key: str) -> tuple[str | None, dict | None] | None:
    """(the EPN id to pass to queries, its registry identity), or None when there is none.

    An EPN user fills for its own EPN, taken from the server's principal (the id passed on
    is None); the coordinator, who records what came by post, picks one.
    """
    epn_id = None
    if principal.role != EPN_USER:
        epns = queries.epn_list(principal, lang)
        if epns.empty:
            empty_state("app.my_epn.no_epn")
            return None
        names = dict(zip(epns["epn_id"], epns["name"], strict=True))
        epn_id = st.selectbox(
            tr("app.filter.epn"), list(names), format_func=lambda e: f"{e} — {names[e]}", key=key
        )
    identity = queries.epn_identity(principal, lang, epn_id)
    if identity is None:
        st.warning(tr("app.my_epn.unknown_epn", epn_id=queries.own_epn(principal, epn_id)))
        return None
    st.markdown(f"**{plain_text(identity['epn_id'])} — {plain_text(identity['name'])}**")
    return epn_id, identity


def remember_outcome(key: str, filename: str, outcome) -> None:
    """Keeps an upload's outcome for the rerun that shows the warehouse as it left it."""
    st.session_state[key] = (filename, outcome)


def show_remembered_outcome(key: str) -> None:
    if key in st.session_state:
        filename, outcome = st.session_state.pop(key)
        show_outcome(outcome, filename)
