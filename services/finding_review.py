"""The coordinator's review of a charter finding, and the exchange with the EPN about it.

The coordinator marks a finding *confirmed* or *justified* (a justification says why) and
may write to the EPN with it; the EPN's user, and the coordinator, add messages to the
finding's thread. The EPN user writes only about its own EPN's findings. Each write checks
the principal, runs in one transaction with its audit row, and only ever adds rows; a
refused write leaves nothing but its audit row.
"""

from __future__ import annotations

from epn.errors import EpnError
from epn.principal import COORDINATOR, EPN_USER, SYSTEM, Principal
from epn.settings import warehouse_path
from services.access import AccessDenied, role_scope
from warehouse import audit
from warehouse import finding_review as reviews
from warehouse.db import connect, transaction
from warehouse.finding_mart import ensure_fresh
from warehouse.finding_review import STATUSES, FindingKey

REASON_MAX = 500  # a reason, not a report
MESSAGE_MAX = 2000


def review(
    principal: Principal,
    key: FindingKey,
    status: str,
    reason: str = "",
    message: str = "",
    db=None,
) -> int:
    """Records the coordinator's review of the finding (and a message to the EPN when
    given); returns the review's id."""
    scope = role_scope(principal, (COORDINATOR,))  # a refusal audits itself
    reason, message = (reason or "").strip(), (message or "").strip()
    detail = {"year": key.year, "rule": key.code, "repeated_code": key.repeated_code}
    with connect(warehouse_path(db)) as con:
        try:
            with transaction(con):
                if not scope.keeps(key.epn_id):
                    raise EpnError("review.unknown_finding", epn_id=key.epn_id, year=key.year)
                _check_review(status, reason, message)
                _check_finding(con, key)
                review_id = reviews.add_review(con, key, status, reason or None, principal.username)
                message_id = None
                if message:
                    message_id = reviews.add_message(
                        con, key, principal.username, COORDINATOR, message
                    )
                audit.record(
                    con,
                    principal.username,
                    "finding_review",
                    key.epn_id,
                    "ok",
                    **detail,
                    status=status,
                    reason=reason,
                    review_id=review_id,
                    message_id=message_id,
                )
        except EpnError as error:
            _refused(con, principal, "finding_review", key, detail, error)
            raise
    return review_id


def write(principal: Principal, key: FindingKey, body: str, db=None) -> int:
    """Adds a message to the finding's thread: the coordinator about any EPN, an EPN user
    about its own EPN only; returns the message's id."""
    scope = role_scope(principal, (COORDINATOR, EPN_USER))
    body = (body or "").strip()
    detail = {"year": key.year, "rule": key.code, "repeated_code": key.repeated_code}
    if not scope.keeps(key.epn_id):
        raise AccessDenied(
            "review.not_your_epn", principal=principal, what="finding_message", epn_id=key.epn_id
        )
    role = EPN_USER if principal.role == EPN_USER and principal is not SYSTEM else COORDINATOR
    with connect(warehouse_path(db)) as con:
        try:
            with transaction(con):
                if not body:
                    raise EpnError("review.message_required")
                if len(body) > MESSAGE_MAX:
                    raise EpnError("review.message_too_long", limit=MESSAGE_MAX)
                _check_finding(con, key)
                message_id = reviews.add_message(con, key, principal.username, role, body)
                audit.record(
                    con,
                    principal.username,
                    "finding_message",
                    key.epn_id,
                    "ok",
                    **detail,
                    message_id=message_id,
                    length=len(body),
                )
        except EpnError as error:
            _refused(con, principal, "finding_message", key, detail, error)
            raise
    return message_id


def _check_review(status: str, reason: str, message: str) -> None:
    if status not in STATUSES:
        raise EpnError("review.bad_status", status=status, choices=", ".join(STATUSES))
    if status == "justified" and not reason:
        raise EpnError("review.reason_required")
    if len(reason) > REASON_MAX:
        raise EpnError("review.reason_too_long", limit=REASON_MAX)
    if len(message) > MESSAGE_MAX:
        raise EpnError("review.message_too_long", limit=MESSAGE_MAX)


def _check_finding(con, key: FindingKey) -> None:
    ensure_fresh(con)  # the findings of today, as the pages show them
    if not reviews.finding_exists(con, key):
        raise EpnError("review.unknown_finding", epn_id=key.epn_id, year=key.year)


def _refused(con, principal, action, key, detail, error) -> None:
    with transaction(con):
        audit.record(
            con, principal.username, action, key.epn_id, "refused", **detail, code=error.code
        )
