"""Entry point of the EPN app: ``streamlit run dashboards/app.py --server.address 127.0.0.1``.

Sets the page, asks who is signed in and builds the navigation for them: a signed-out
visitor gets the login page and the public page; the pages live in dashboards/views/.
"""

from __future__ import annotations

import streamlit as st

from dashboards.navigation import PAGES, VIEWS, pages_for, public_page
from dashboards.session import (
    current_principal,
    keep_language,
    language_switch,
    sign_out,
    sync_browser,
)
from dashboards.ui import plain_text
from epn.i18n import t
from warehouse.db import held_open

lang = keep_language()
st.set_page_config(page_title=t("app.title", lang), page_icon=":material/computer:", layout="wide")


def login_pages() -> list[st.Page]:
    """The login page, also behind every page's address (hidden): a bookmark or a link
    shows the login, then the page it named once the user is signed in and allowed. The
    public page is the only other page a signed-out visitor may open."""
    title = t("app.login.title", lang)
    return [
        st.Page(VIEWS / "login.py", title=title, icon=":material/login:", url_path="login"),
        *(
            st.Page(VIEWS / "login.py", title=title, url_path=spec.url_path, visibility="hidden")
            for spec in PAGES
        ),
        public_page(lang),
    ]


def refused_pages(role: str) -> list[st.Page]:
    """The pages this role may not open, each behind its address (hidden): a bookmark or a
    typed address says so in words, with a way back, instead of silently showing home."""
    return [
        st.Page(
            VIEWS / "not_allowed.py",
            title=t(spec.title, lang),
            url_path=spec.url_path,
            visibility="hidden",
        )
        for spec in PAGES
        if role not in spec.roles
    ]


def run_page() -> None:
    principal = current_principal()
    if principal is None:
        st.navigation(login_pages(), position="top").run()
        sync_browser()  # after the form: its frame takes no room above it
        return
    with st.sidebar:
        sync_browser()
        language_switch()
        st.caption(
            t(
                "app.signed_in_as",
                lang,
                user=plain_text(principal.username),
                role=t(f"app.role.{principal.role}", lang),
            )
        )
        if st.button(t("app.logout", lang), icon=":material/logout:", key="logout"):
            sign_out()
            st.rerun()
    sections = pages_for(principal, lang)
    next(iter(sections.values())).extend(refused_pages(principal.role))
    # expanded: no « View 7 more » button, a text of Streamlit that only reads in English
    st.navigation(sections, expanded=True).run()


with held_open():  # a run's queries share one connection to the warehouse
    run_page()
