"""The coordination's reviews of charter findings and the exchange about them, as the
coordinator's non-compliance page and « Mon EPN » show them (read only)."""

from __future__ import annotations

from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import scope_for
from warehouse import finding_review
from warehouse.db import connect
from warehouse.finding_review import FindingKey


def reviews(principal: Principal, epn_id: str, years: list[int]) -> dict[FindingKey, dict]:
    """Key -> the current review {status, reason, reviewed_on, by} of the EPN's findings."""
    if not scope_for(principal, per_epn=True).keeps(epn_id):
        return {}
    with connect(warehouse_path()) as con:
        return finding_review.current_reviews(con, years, [epn_id])


def exchange(principal: Principal, key: FindingKey) -> list[dict]:
    """The finding's reviews and messages, oldest first (nothing outside the scope)."""
    if not scope_for(principal, per_epn=True).keeps(key.epn_id):
        return []
    with connect(warehouse_path()) as con:
        return finding_review.thread(con, key)
