"""What a signed-in user gets at the address of a page their role may not open: the reason
in words and a link back to their home page (rather than being silently sent home)."""

from __future__ import annotations

import streamlit as st

from dashboards.navigation import home_of
from dashboards.session import current_principal
from dashboards.ui import tr


def render() -> None:
    principal = current_principal()
    home = home_of(principal.role)
    st.title(tr("app.not_allowed.title"), anchor=False)
    st.warning(
        tr("app.not_allowed.body", role=tr(f"app.role.{principal.role}")),
        icon=":material/lock:",
    )
    st.page_link(
        f"views/{home.script}",
        label=tr("app.not_allowed.back", page=tr(home.title)),
        icon=":material/arrow_back:",
    )


render()
