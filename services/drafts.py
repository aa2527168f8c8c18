"""The annual report drafts an EPN fills in the browser: save and discard.

Each write checks the principal (an EPN user keeps drafts of its own EPN only; the
coordinator may fill one for any EPN, as it records files received by post), runs in one
transaction and is audited in it. Sending the report is not here: the form builds the
workbook and hands it to ``services.uploads.submit``, the path of every upload.
"""

from __future__ import annotations

from epn.errors import EpnError
from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import AccessDenied, upload_scope
from warehouse import audit, drafts
from warehouse.db import connect, transaction

STEPS = ("epn", "staff", "activities", "audience", "cooperation", "narrative")
MAX_DRAFT_CHARS = 200_000  # a report, not a file store


def save_draft(principal: Principal, epn_id: str, year: int, content: dict, step: str) -> None:
    """Keeps ``content`` (the form's values, codes of the standard) as the EPN's draft."""
    _check(principal, epn_id, year)
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    if len(repr(content)) > MAX_DRAFT_CHARS:
        raise EpnError("app.entry.draft_too_large")
    with connect(warehouse_path()) as con, transaction(con):
        drafts.write_draft(con, epn_id, year, content, step, principal.username)
        audit.record(
            con, principal.username, "report_draft_save", epn_id, "ok", year=year, step=step
        )


def discard_draft(principal: Principal, epn_id: str, year: int) -> bool:
    """Drops the EPN's draft of ``year`` (once its report is accepted, or on request)."""
    _check(principal, epn_id, year)
    with connect(warehouse_path()) as con, transaction(con):
        found = drafts.delete_draft(con, epn_id, year)
        if found:
            audit.record(con, principal.username, "report_draft_discard", epn_id, "ok", year=year)
    return found


def _check(principal: Principal, epn_id: str, year: int) -> None:
    """Who files the EPN's report may keep its draft (a refusal audits itself)."""
    scope = upload_scope(principal)
    if not scope.keeps(epn_id):
        raise AccessDenied("app.my_epn.not_yours", principal=principal, epn_id=epn_id)
    if not 2000 <= int(year) <= 2100:
        raise EpnError("app.entry.bad_year", year=year)
