"""Who may see and do what: the one place that turns a Principal into rows and rights.

Every service and every query in ``dashboards.queries`` starts with :func:`scope_for`, so
the rule lives here and nowhere else: an EPN user sees its own EPN only; the coordinator and
the steering committee (COPIL) see every EPN; a Region analyst sees aggregates (per commune
or for the Region) and never a per-EPN row; the administrator manages accounts and reads no data.

What a role may *do* is :data:`ACTIONS`; pages ask :func:`can` to decide what to show, and
handlers call :func:`require` (or :func:`require_role`) before they read or write. Every
refusal, whoever raises it, is written to the audit log by :class:`AccessDenied` itself.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass

from epn.errors import EpnError
from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION, SYSTEM, Principal
from epn.settings import warehouse_path
from warehouse import audit
from warehouse.db import connect

log = logging.getLogger(__name__)

# What each role may do, beyond reading the data its scope gives it.
ACTIONS: dict[str, tuple[str, ...]] = {
    "upload": (COORDINATOR, EPN_USER),
    "upload.record_receipt": (COORDINATOR,),  # an earlier receipt, by post or email
    "registry.read": (COORDINATOR, COPIL),
    "registry.coordinator_step": (COORDINATOR,),  # apply, attach, recommend, visit, sign
    "registry.copil_decision": (COPIL,),  # ratify, reject, withdraw
    "accounts.manage": (ADMIN,),
    "audit.read": (COORDINATOR,),
    "charter.read": (COORDINATOR, COPIL),
    "charter.propose": (COORDINATOR,),  # a new version of the charter's terms
    "charter.adopt": (COPIL,),  # the committee adopts a proposed version
}

# The principal of the latest scope or right check in this context: a refusal raised with a
# message code only (say, the upload handler's "rows of other EPNs") still names its user.
_asking: ContextVar[Principal | None] = ContextVar("asking", default=None)


class AccessDenied(EpnError):
    """The principal may not see or do what was asked; nothing was read or written.

    Recorded in the audit log as it is created, on a connection of its own, so that the
    refusal stays even when the caller's transaction is rolled back.
    """

    def __init__(
        self,
        code: str,
        *,
        principal: Principal | None = None,
        what: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(code, **params)
        _record_refusal(principal or _asking.get(), what or _caller(1), code, params)


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


def scope_for(principal: Principal | None, *, per_epn: bool, what: str | None = None) -> Scope:
    """The scope of a query; ``per_epn`` says whether its rows name single EPNs.

    ``what`` names the query in the audit log when it is refused (default: the caller).
    """
    _asking.set(principal)
    if principal is not None:
        if principal.sees_all_epns() or principal is SYSTEM:
            return Scope(None)
        if principal.role == EPN_USER and principal.epn_id:
            return Scope((principal.epn_id,))
        if principal.role == REGION and not per_epn:
            return Scope(None)
    raise AccessDenied(
        "app.access_denied",
        principal=principal,
        what=what or _caller(1),
        role=_role(principal),
        per_epn=per_epn,
    )


def upload_scope(principal: Principal | None) -> Scope:
    """Who may file uploads: the coordinator for any EPN, an EPN user for its own EPN only.

    The COPIL and the Region read; they do not file data.
    """
    if not can(principal, "upload"):
        raise AccessDenied(
            "app.upload_denied", principal=principal, what="upload", role=_role(principal)
        )
    return scope_for(principal, per_epn=True, what="upload")


def can(principal: Principal | None, action: str) -> bool:
    """Whether ``principal`` may do ``action`` (a key of :data:`ACTIONS`); records nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return principal is SYSTEM or (principal is not None and principal.role in ACTIONS[action])


def require(principal: Principal | None, action: str, *, what: str | None = None) -> Principal:
    """``principal`` when it may do ``action``; else AccessDenied, recorded in the audit log."""
    return require_role(principal, *ACTIONS[action], what=what or action)


def require_role(principal: Principal | None, *roles: str, what: str) -> Principal:
    """``principal`` when its role is one of ``roles``; else AccessDenied, recorded."""
    _asking.set(principal)
    if principal is SYSTEM:
        return principal
    if principal is None or principal.role not in roles:
        raise AccessDenied("app.role_denied", principal=principal, what=what, role=_role(principal))
    return principal


def role_scope(principal: Principal | None, roles: tuple[str, ...]) -> Scope:
    """The scope of a dashboard or service reserved to ``roles``; any other role is refused
    (and the refusal audited under the caller's name)."""
    what = _caller(1)
    require_role(principal, *roles, what=what)
    return scope_for(principal, per_epn=True, what=what)


def _role(principal: Principal | None) -> str:
    return principal.role if principal is not None else "-"


def _caller(depth: int) -> str:
    """``module.function`` ``depth`` frames above the caller of this function."""
    frame = sys._getframe(depth + 1)
    return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"


def _record_refusal(principal: Principal | None, what: str, code: str, params: dict) -> None:
    """One ``access_denied`` row, committed at once whatever happens to the caller's work."""
    detail = {"code": code, "role": _role(principal), **params}
    if principal is not None and principal.epn_id:
        detail["own_epn_id"] = principal.epn_id
    username = principal.username if principal is not None else None
    try:
        with connect(warehouse_path()) as con:
            audit.record(con, username, "access_denied", what, "refused", **detail)
    except Exception:  # the refusal itself must still reach the user
        log.exception("could not record the refusal of %s to %s", username, what)
