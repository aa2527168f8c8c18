"""The app's pages, their sections and which roles get them.

A new page is one more :class:`PageSpec`; the login issue only changes who is asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from epn.i18n import t
from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION, Principal

VIEWS = Path(__file__).parent / "views"


@dataclass(frozen=True)
class PageSpec:
    script: str  # file name under dashboards/views/
    title: str  # catalogue code
    url_path: str  # stable whatever the language, so switching language keeps the page
    icon: str
    section: str  # catalogue code
    roles: tuple[str, ...]
    home_of: tuple[str, ...] = ()  # roles that land on this page (else on PAGES[0])


PAGES = (
    PageSpec(
        "overview.py",
        "app.page.overview",
        "overview",
        ":material/monitoring:",
        "app.section.dashboards",
        (EPN_USER, COORDINATOR, COPIL, REGION),  # the administrator reads no data
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
        "coordinator.py",
        "app.coordinator.title",
        "coordination",
        ":material/fact_check:",
        "app.section.dashboards",
        (COORDINATOR,),
    ),
    PageSpec(
        "copil_dashboard.py",
        "app.copil_dashboard.title",
        "steering",
        ":material/insights:",
        "app.section.dashboards",
        (COORDINATOR, COPIL),
    ),
    PageSpec(
        "region.py",
        "app.page.region",
        "region",
        ":material/map:",
        "app.section.dashboards",
        (REGION, COORDINATOR, COPIL),
    ),
    PageSpec(
        "reminders.py",
        "reminders.page.title",
        "reminders",
        ":material/notifications:",
        "app.section.dashboards",
        (COORDINATOR,),
    ),
    PageSpec(
        "upload.py",
        "app.page.upload",
        "upload",
        ":material/upload_file:",
        "app.section.data",
        (COORDINATOR, EPN_USER),
    ),
    PageSpec(
        "my_epn.py",
        "app.page.my_epn",
        "my-epn",
        ":material/storefront:",
        "app.section.my_epn",
        (EPN_USER, COORDINATOR),
        home_of=(EPN_USER,),
    ),
    PageSpec(
        "weekly_entry.py",
        "app.page.weekly_entry",
        "weekly-statistics",
        ":material/edit_calendar:",
        "app.section.my_epn",
        (EPN_USER, COORDINATOR),
    ),
    PageSpec(
        "report_entry.py",
        "app.page.report_entry",
        "annual-report",
        ":material/edit_document:",
        "app.section.my_epn",
        (EPN_USER, COORDINATOR),
    ),
    PageSpec(
        "registry_board.py",
        "app.page.registry_board",
        "registry",
        ":material/assignment:",
        "app.section.registry",
        (COORDINATOR, COPIL),
    ),
    PageSpec(
        "copil.py",
        "app.page.copil",
        "copil",
        ":material/gavel:",
        "app.section.registry",
        (COORDINATOR, COPIL),
    ),
    PageSpec(
        "charter.py",
        "app.page.charter",
        "charter",
        ":material/handshake:",
        "app.section.registry",
        (COORDINATOR, COPIL),
    ),
    PageSpec(
        "charter_whatif.py",
        "app.page.charter_whatif",
        "charter-what-if",
        ":material/tune:",
        "app.section.registry",
        (COPIL, COORDINATOR),
    ),
    PageSpec(
        "epn_card.py",
        "app.page.epn_card",
        "epn-card",
        ":material/badge:",
        "app.section.registry",
        (COORDINATOR, COPIL, EPN_USER),
    ),
    PageSpec(
        "audit.py",
        "app.page.audit",
        "audit",
        ":material/history:",
        "app.section.admin",
        (COORDINATOR,),
    ),
    PageSpec(
        "accounts.py",
        "app.page.accounts",
        "accounts",
        ":material/manage_accounts:",
        "app.section.admin",
        (ADMIN,),
    ),
)


# Open to everyone, signed in or not: the directory, the published figures, open data.
PUBLIC = PageSpec(
    "public.py",
    "app.page.public",
    "public",
    ":material/public:",
    "app.section.public",
    (EPN_USER, COORDINATOR, COPIL, REGION, ADMIN),
)


def public_page(lang: str) -> st.Page:
    return st.Page(
        VIEWS / PUBLIC.script,
        title=t(PUBLIC.title, lang),
        icon=PUBLIC.icon,
        url_path=PUBLIC.url_path,
    )


def home_of(role: str) -> PageSpec:
    """The page a role lands on."""
    specs = [spec for spec in PAGES if role in spec.roles]
    return next((spec for spec in specs if role in spec.home_of), specs[0] if specs else PAGES[0])


def pages_for(principal: Principal, lang: str) -> dict[str, list[st.Page]]:
    """{section title: [pages]} for ``st.navigation``, in PAGES order, the role's home first."""
    specs = [spec for spec in PAGES if principal.role in spec.roles]
    home = home_of(principal.role)
    sections: dict[str, list[st.Page]] = {}
    for spec in sorted(specs, key=lambda spec: spec is not home):  # stable: PAGES order
        page = st.Page(
            VIEWS / spec.script,
            title=t(spec.title, lang),
            icon=spec.icon,
            # the home is served at « / » but still reserves its name: the alias below
            # answers its public address
            url_path=f"{spec.url_path}-home" if spec is home else spec.url_path,
            default=spec is home,
        )
        sections.setdefault(t(spec.section, lang), []).append(page)
    # The home's own address (a link from a user of another role, whose page it is; a
    # bookmark taken signed out) would open Streamlit's « Page not found », in English.
    home_alias = st.Page(
        VIEWS / home.script,
        title=t(home.title, lang),
        url_path=home.url_path,
        visibility="hidden",
    )
    next(iter(sections.values())).append(home_alias)
    sections.setdefault(t(PUBLIC.section, lang), []).append(public_page(lang))
    return sections
