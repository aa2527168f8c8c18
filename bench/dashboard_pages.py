"""What each page of the app asks the warehouse when it opens, as the role that opens it.

One entry per page of ``dashboards.navigation.PAGES`` (a test checks none is missing): the
role whose view is the heaviest, and the queries the page runs with what it shows first
(the latest year, the first EPN of a list, every tab). Each query is a function of a
``Visit``: who asks, for which year, in which language, about which EPN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from dashboards.mart_freshness import ensure_findings_fresh
from dashboards.queries import (
    accounts,
    activity,
    audit,
    charter,
    charter_whatif,
    entry,
    my_epn,
    registry,
    uploads,
)
from dashboards.queries import coordinator as coordination
from dashboards.queries import epn_card as card
from dashboards.queries import region as region_queries
from dashboards.queries import registry_board as board
from dashboards.queries import reminders as reminder_queries
from dashboards.queries.findings import findings
from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION, Principal
from services import reminders


@dataclass(frozen=True)
class Visit:
    principal: Principal
    year: int
    epn_id: str
    lang: str = "fr"


Query = Callable[[Visit], object]


def _page_queries(page: str) -> dict[str, Query]:
    """The queries a page lists itself (``PAGE_QUERIES``), each taking (principal, year)."""
    return {q.__name__: partial(_principal_and_year, q) for q in coordination.PAGE_QUERIES[page]}


def _principal_and_year(query, visit: Visit) -> object:
    return query(visit.principal, visit.year)


def _region_queries() -> dict[str, Query]:
    return {
        "region_years": lambda v: region_queries.region_years(v.principal),
        "figures": lambda v: region_queries.figures(v.principal, v.year, v.lang),
        "figures (previous year)": lambda v: region_queries.figures(
            v.principal, v.year - 1, v.lang
        ),
        "live_vs_published": lambda v: region_queries.live_vs_published(
            v.principal, v.year, v.lang
        ),
        "snapshot_history": lambda v: region_queries.snapshot_history(v.principal, v.year, v.lang),
    }


# page (url path) -> (the role opening it, its queries by name), in the menu's order
PAGE_VISITS: dict[str, tuple[str, dict[str, Query]]] = {
    "overview": (
        COORDINATOR,
        {
            "available_years": lambda v: activity.available_years(v.principal),
            "visits_by_month": lambda v: activity.visits_by_month(v.principal, v.year, v.lang),
            "compliance_share": lambda v: activity.compliance_share(v.principal),
            "kpis": lambda v: activity.kpis(v.principal, v.year),
        },
    ),
    "findings": (
        COORDINATOR,
        {
            "epn_list": lambda v: registry.epn_list(v.principal, v.lang),
            "available_years": lambda v: activity.available_years(v.principal),
            "findings": lambda v: findings(v.principal, v.year, v.lang),
        },
    ),
    "coordination": (COORDINATOR, _page_queries("coordinator")),
    "steering": (COPIL, _page_queries("copil_dashboard")),
    "region": (REGION, _region_queries()),
    "reminders": (
        COORDINATOR,
        {
            "preview": lambda v: reminders.preview(v.principal, dt.date.today()),
            "outbox": lambda v: reminder_queries.outbox(v.principal),
        },
    ),
    "upload": (COORDINATOR, {"upload_history": lambda v: uploads.upload_history(v.principal, 50)}),
    "my-epn": (
        EPN_USER,
        {
            "epn_identity": lambda v: my_epn.epn_identity(v.principal, v.lang),
            "epn_years": lambda v: my_epn.epn_years(v.principal),
            "epn_submissions": lambda v: my_epn.epn_submissions(v.principal),
            "figures_against_median": lambda v: my_epn.figures_against_median(v.principal, v.year),
            "weekly_visits_against_median": lambda v: my_epn.weekly_visits_against_median(
                v.principal, v.year
            ),
            "own_findings": lambda v: my_epn.own_findings(v.principal, v.year, v.lang),
        },
    ),
    "weekly-statistics": (
        EPN_USER,
        {
            "first_unreported_week": lambda v: entry.first_unreported_week(
                v.principal, dt.date.today()
            ),
            "weeks_in_force": lambda v: entry.weeks_in_force(
                v.principal, dt.date(v.year, 1, 1), dt.date(v.year, 12, 31)
            ),
        },
    ),
    "annual-report": (
        EPN_USER,
        {"report_draft": lambda v: entry.report_draft(v.principal, v.year - 1)},
    ),
    "registry": (
        COORDINATOR,
        {
            "board": lambda v: board.board(v.principal, v.lang),
            "epn_list": lambda v: registry.epn_list(v.principal, v.lang),
        },
    ),
    "copil": (
        COPIL,
        {
            "available_years": lambda v: activity.available_years(v.principal),
            "withdrawal_candidates": lambda v: board.withdrawal_candidates(
                v.principal, v.year, v.lang
            ),
            "epn_list": lambda v: registry.epn_list(v.principal, v.lang),
            "awaiting_ratification": lambda v: board.awaiting_ratification(v.principal, v.lang),
        },
    ),
    "charter": (
        COORDINATOR,
        {
            "charter_calendar": lambda v: charter.charter_calendar(v.principal),
            "charter_versions": lambda v: charter.charter_versions(v.principal),
        },
    ),
    "charter-what-if": (  # a COPIL member raises the public hours: two judgements of a year
        COPIL,
        {
            "closed_years": lambda v: charter_whatif.closed_years(v.principal),
            "what_if": lambda v: charter_whatif.what_if(
                v.principal, v.year, {"min_public_hours": 20.0}, v.lang
            ),
        },
    ),
    "epn-card": (
        COORDINATOR,
        {
            "epn_list": lambda v: registry.epn_list(v.principal, v.lang),
            "card_identity": lambda v: card.card_identity(v.principal, v.epn_id, v.lang),
            "label_history": lambda v: card.label_history(v.principal, v.epn_id, v.lang),
            "card_submissions": lambda v: card.card_submissions(v.principal, v.epn_id),
            "card_findings": lambda v: card.card_findings(v.principal, v.epn_id, v.lang),
            "card_documents": lambda v: card.card_documents(v.principal, v.epn_id),
        },
    ),
    "audit": (
        COORDINATOR,
        {
            "audit_choices": lambda v: audit.audit_choices(v.principal),
            "audit_entries": lambda v: audit.audit_entries(v.principal),
        },
    ),
    "accounts": (
        ADMIN,
        {
            "account_list": lambda v: accounts.account_list(v.principal),
            "epn_choices": lambda v: accounts.epn_choices(v.principal),
        },
    ),
}

# run once per day and process before the dashboards read the findings mart
BEFORE_PAGES = ensure_findings_fresh


def principal_for(role: str, epn_id: str) -> Principal:
    return Principal(f"bench-{role}", role, epn_id if role == EPN_USER else None)
