"""The app's pages, their sections and which roles get them.

A new page is one more :class:`PageSpec`; the login issue only changes who is asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from epn.i18n import t
from epn.principal import COORDINATOR, COPIL, EPN_USER, ROLES, Principal

VIEWS = Path(__file__).parent / "views"


@dataclass(frozen=True)
class PageSpec:
    script: str  # file name under dashboards/views/
    title: str  # catalogue code
    url_path: str  # stable whatever the language, so switching language keeps the page
    icon: str
    section: str  # catalogue code
    roles: tuple[str, ...]


PAGES = (
    PageSpec(
        "overview.py",
        "app.page.overview",
        "overview",
        ":material/monitoring:",
        "app.section.dashboards",
        ROLES,
    ),
    PageSpec(
        "findings.py",
        "app.page.findings",
        "findings",
        ":material/rule:",
        "app.section.dashboards",
        (COORDINATOR, COPIL, EPN_USER),
    ),
    PageSpec(
        "upload.py",
        "app.page.upload",
        "upload",
        ":material/upload_file:",
        "app.section.data",
        (COORDINATOR, EPN_USER),
    ),
)


def pages_for(principal: Principal, lang: str) -> dict[str, list[st.Page]]:
    """{section title: [pages]} for ``st.navigation``, in PAGES order."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if principal.role in spec.roles:
            page = st.Page(
                VIEWS / spec.script,
                title=t(spec.title, lang),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec is PAGES[0],
            )
            sections.setdefault(t(spec.section, lang), []).append(page)
    return sections
