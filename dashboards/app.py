"""Entry point of the EPN app: ``streamlit run dashboards/app.py --server.address 127.0.0.1``.

Sets the page, the language switch and the navigation; the pages live in dashboards/views/.
"""

from __future__ import annotations

import streamlit as st

from dashboards.navigation import pages_for
from dashboards.session import LANG_KEY, current_lang, current_principal
from epn.i18n import LANGUAGES, t

lang = current_lang()
st.set_page_config(page_title=t("app.title", lang), page_icon=":material/computer:", layout="wide")

principal = current_principal()
with st.sidebar:
    st.radio(
        t("app.language", lang), LANGUAGES, key=LANG_KEY, format_func=str.upper, horizontal=True
    )
    st.caption(
        t(
            "app.signed_in_as",
            lang,
            user=principal.username,
            role=t(f"app.role.{principal.role}", lang),
        )
    )

st.navigation(pages_for(principal, lang)).run()
