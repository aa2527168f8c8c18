"""The data access layer of the app.

Every function takes the :class:`~epn.principal.Principal` first and scopes itself on the
server through :func:`services.access.scope_for`; each opens the warehouse briefly and
returns a DataFrame. Pages call these and render; they hold no SQL.
"""

from dashboards.queries.accounts import account_list, epn_choices
from dashboards.queries.activity import available_years, compliance_share, kpis, visits_by_month
from dashboards.queries.audit import audit_choices, audit_entries
from dashboards.queries.findings import findings
from dashboards.queries.my_epn import (
    epn_identity,
    epn_submissions,
    epn_years,
    figures_against_median,
    own_epn,
    own_findings,
    weekly_visits_against_median,
)
from dashboards.queries.registry import epn_list
from dashboards.queries.uploads import upload_history, upload_weeks

__all__ = [
    "account_list",
    "audit_choices",
    "audit_entries",
    "available_years",
    "compliance_share",
    "epn_choices",
    "epn_identity",
    "epn_list",
    "epn_submissions",
    "epn_years",
    "figures_against_median",
    "findings",
    "kpis",
    "own_epn",
    "own_findings",
    "upload_history",
    "upload_weeks",
    "visits_by_month",
    "weekly_visits_against_median",
]
