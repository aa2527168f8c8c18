"""Registry steps recorded from the app: the role is checked, then ``registry.actions.perform``.

Every function takes the Principal first. The coordinator records the procedure's steps
(application, documents, recommendation, courtesy visit, countersigned charter); a COPIL
member records the committee's decisions (ratification, rejection, withdrawal). A step out
of order raises the back end's ``StepRefused``, whose catalogue message names the step that
must come first: its transaction is rolled back whole and only the audit keeps the refusal.
The role is checked first (``dashboards.access.require``), then the step's own checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboards.access import require
from dashboards.queries.warehouse import warehouse_path
from epn.errors import EpnError
from epn.principal import Principal
from registry import service
from registry.actions import perform
from registry.attachments import Attachment
from registry.events import current_status
from warehouse.db import connect

# The rights of dashboards.access.ACTIONS these steps need (who records what).
COORDINATOR_STEP = "registry.coordinator_step"
COPIL_DECISION = "registry.copil_decision"
REQUIRED_IDENTITY = ("epn_id", "name", "commune_nis", "authority_name", "authority_type")
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
    require(principal, action, what=f"registry.{step}")
    db = warehouse_path()
    event_id = perform(db, principal.username, step, epn_id, run)
    with connect(db) as con:
        status = current_status(con, epn_id)
    return Recorded(epn_id, EVENT_OF[step], event_id, status)


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
