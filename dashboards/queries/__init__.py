"""The data access layer of the app.

Every function takes the :class:`~epn.principal.Principal` first and scopes itself on the
server through :func:`dashboards.access.scope_for`; each opens the warehouse briefly and
returns a DataFrame. Pages call these and render; they hold no SQL.
"""

from dashboards.queries.activity import available_years, compliance_share, kpis, visits_by_month
from dashboards.queries.findings import findings
from dashboards.queries.registry import epn_list
from dashboards.queries.uploads import upload_history, upload_weeks

__all__ = [
    "available_years",
    "compliance_share",
    "epn_list",
    "findings",
    "kpis",
    "upload_history",
    "upload_weeks",
    "visits_by_month",
]
