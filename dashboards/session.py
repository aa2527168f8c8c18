"""What the app knows about the current browser session: who is asking, in which language."""

from __future__ import annotations

import streamlit as st

from epn.i18n import normalize_language
from epn.principal import COORDINATOR, Principal
from epn.settings import get_settings

LANG_KEY = "lang"


def current_principal() -> Principal:
    """The principal every page and query acts for; the only place it is decided.

    Until the login lands the app runs as the regional coordinator.
    """
    return Principal("coordinator", COORDINATOR)


def current_lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalize_language(get_settings().language)
    return normalize_language(st.session_state[LANG_KEY])
