"""Who may see what: the one place that turns a Principal into the rows a query may return.

Every query in ``dashboards.queries`` starts with :func:`scope_for`, so the rule lives here
and nowhere else: an EPN user sees its own EPN only; the coordinator and the steering
committee (COPIL) see every EPN; a Region analyst sees aggregates (per commune or for the
Region) and never a per-EPN row.
"""

from __future__ import annotations

from dataclasses import dataclass

from epn.errors import EpnError
from epn.principal import COORDINATOR, EPN_USER, REGION, Principal


class AccessDenied(EpnError):
    """The principal's role may not see or do what was asked; nothing was read or written."""


@dataclass(frozen=True)
class Scope:
    """The EPNs a query may read: ``None`` means every EPN."""

    epn_ids: tuple[str, ...] | None

    def keeps(self, epn_id: str) -> bool:
        return self.epn_ids is None or epn_id in self.epn_ids

    def where(self, column: str = "epn_id") -> tuple[str, list]:
        """An SQL condition on ``column`` and its parameters, to AND into a query."""
        if self.epn_ids is None:
            return "TRUE", []
        return f"list_contains(?::VARCHAR[], {column})", [list(self.epn_ids)]


def scope_for(principal: Principal, *, per_epn: bool) -> Scope:
    """The scope of a query; ``per_epn`` says whether its rows name single EPNs."""
    if principal.sees_all_epns():
        return Scope(None)
    if principal.role == EPN_USER and principal.epn_id:
        return Scope((principal.epn_id,))
    if principal.role == REGION and not per_epn:
        return Scope(None)
    raise AccessDenied("app.access_denied", role=principal.role)


def upload_scope(principal: Principal) -> Scope:
    """Who may file uploads: the coordinator for any EPN, an EPN user for its own EPN only.

    The COPIL and the Region read; they do not file data.
    """
    if principal.role in (COORDINATOR, EPN_USER):
        return scope_for(principal, per_epn=True)
    raise AccessDenied("app.upload_denied", role=principal.role)
