"""Registry steps, for the app and the CLI: the role is checked, then the step runs in one
transaction with its audit row (``perform``).

Every function takes the Principal first (the CLI's is ``epn.principal.SYSTEM``). The
coordinator records the procedure's steps (application, documents, recommendation, courtesy
visit, countersigned charter); a COPIL
member records the committee's decisions (ratification, rejection, withdrawal). A step out
of order raises the back end's ``StepRefused``, whose catalogue message names the step that
must come first: its transaction is rolled back whole and only the audit keeps the refusal.
The role is checked first (``services.access.require``), then the step's own checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from epn.errors import EpnError
from epn.principal import Principal
from epn.settings import warehouse_path
from epn.standard import REGISTRY_REQUIRED
from registry import service
from registry.attachments import Attachment
from registry.events import current_status
from services.access import require
from warehouse import audit
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_epns, years_with_data

# The rights of services.access.ACTIONS these steps need (who records what).
COORDINATOR_STEP = "registry.coordinator_step"
COPIL_DECISION = "registry.copil_decision"
REQUIRED_IDENTITY = REGISTRY_REQUIRED
AUDIT_ACTION = "registry_step"
RIGHT_OF = {  # which right of services.access.ACTIONS each step needs
    "apply": COORDINATOR_STEP,
    "attach": COORDINATOR_STEP,
    "recommend": COORDINATOR_STEP,
    "visit": COORDINATOR_STEP,
    "sign": COORDINATOR_STEP,
    "ratify": COPIL_DECISION,
    "reject": COPIL_DECISION,
    "withdraw": COPIL_DECISION,
}
EVENT_OF = {
    "apply": "applied",
    "attach": "attached",
    "recommend": "recommended",
    "visit": "visited",
    "sign": "signed",
    "ratify": "ratified",
    "reject": "rejected",
    "withdraw": "withdrawn",
}


@dataclass(frozen=True)
class Recorded:
    """A step done: the event it appended and the EPN's status afterwards."""

    epn_id: str
    event: str
    event_id: int
    status: str


def missing_fields(identity: dict) -> list[str]:
    """The required identity fields left empty, in form order."""
    return [key for key in REQUIRED_IDENTITY if identity.get(key) in (None, "")]


def apply(
    principal: Principal,
    identity: dict,
    received_on: dt.date,
    channel: str | None = None,
    documents: list[Attachment] | None = None,
    note: str | None = None,
) -> Recorded:
    identity = {k: v.strip() if isinstance(v, str) else v for k, v in identity.items()}
    identity = {k: v for k, v in identity.items() if v not in (None, "")}
    user, note = principal.username, _note(note)

    def run(con) -> int:
        if missing := missing_fields(identity):
            raise EpnError("app.registry.missing_fields", fields=", ".join(missing))
        return service.apply(
            con, identity, received_on, channel, documents or [], note=note, user=user
        )

    return _perform(principal, COORDINATOR_STEP, "apply", identity.get("epn_id", ""), run)


def attach(principal, epn_id: str, documents: list[Attachment], received_on, note=None):
    user, note = principal.username, _note(note)

    def run(con) -> int:
        if not documents:
            raise EpnError("app.registry.no_documents")
        return service.attach(con, epn_id, documents, received_on, note=note, user=user)

    return _perform(principal, COORDINATOR_STEP, "attach", epn_id, run)


def recommend(principal, epn_id: str, favourable: bool, on: dt.date, note=None) -> Recorded:
    user, note = principal.username, _note(note)
    return _perform(
        principal,
        COORDINATOR_STEP,
        "recommend",
        epn_id,
        lambda con: service.recommend(con, epn_id, favourable, on, note, user=user),
    )


def visit(principal, epn_id: str, on: dt.date, note=None) -> Recorded:
    return _simple(principal, COORDINATOR_STEP, "visit", epn_id, on, note)


def sign(principal, epn_id: str, on: dt.date, note=None) -> Recorded:
    return _simple(principal, COORDINATOR_STEP, "sign", epn_id, on, note)


def ratify(principal, epn_id: str, on: dt.date, note=None) -> Recorded:
    return _simple(principal, COPIL_DECISION, "ratify", epn_id, on, note)


def reject(principal, epn_id: str, on: dt.date, note=None) -> Recorded:
    return _simple(principal, COPIL_DECISION, "reject", epn_id, on, note)


def withdraw(
    principal: Principal,
    epn_id: str,
    on: dt.date,
    reason: str,
    note: str | None = None,
    finding_year: int | None = None,
    lang: str = "fr",
) -> Recorded:
    """Withdraws the label; ``finding_year`` keeps that year's breach findings with it."""
    user, note = principal.username, _note(note)

    def run(con) -> int:
        if reason not in service.WITHDRAWAL_REASONS:
            raise EpnError("app.registry.bad_reason", value=reason)
        return service.withdraw(
            con, epn_id, on, reason, note, user=user, finding_year=finding_year, lang=lang
        )

    return _perform(principal, COPIL_DECISION, "withdraw", epn_id, run)


def _simple(principal, action: str, step: str, epn_id: str, on: dt.date, note) -> Recorded:
    run, user, note = getattr(service, step), principal.username, _note(note)
    return _perform(
        principal, action, step, epn_id, lambda con: run(con, epn_id, on, note, user=user)
    )


def _perform(principal: Principal, action: str, step: str, epn_id: str, run) -> Recorded:
    db = warehouse_path()
    event_id = perform(principal, step, epn_id, run, db)
    with connect(db) as con:
        status = current_status(con, epn_id)
    return Recorded(epn_id, EVENT_OF[step], event_id, status)


def perform(
    principal: Principal,
    step: str,
    epn_id: str,
    run: Callable[[duckdb.DuckDBPyConnection], int],
    db=None,
) -> int:
    """Runs ``run(con)`` (a ``registry.service`` step returning its event id) for ``principal``.

    The role is checked first; then the step, the findings it moves and its audit row are
    one transaction. A refused step (an ``EpnError``, such as a step out of order) is rolled
    back whole, and only then is the refusal recorded, in a transaction of its own, so the
    audit keeps it while the registry stays untouched; its error is raised again.
    """
    require(principal, RIGHT_OF[step], what=f"registry.{step}")
    username = principal.username
    with connect(warehouse_path(db)) as con:
        try:
            with transaction(con):
                event_id = run(con)
                # a label or a withdrawal moves the labelled period: re-judge this EPN
                refresh_epns(con, [epn_id], years_with_data(con, dt.date.today()))
                audit.record(
                    con, username, AUDIT_ACTION, epn_id, "ok", step=step, event_id=event_id
                )
        except EpnError as error:
            with transaction(con):
                audit.record(
                    con, username, AUDIT_ACTION, epn_id, "refused", step=step, code=error.code
                )
            raise
    return event_id


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
