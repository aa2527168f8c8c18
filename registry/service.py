"""The registry's steps, shared by the CLI and the app: each checks, then appends one event.

Callers run a step through ``registry.actions.perform``, which gives it its own
transaction and records it, done or refused, in the audit log.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from epn.identifiers import checked_epn_id
from epn.standard import CHANNELS, WITHDRAWAL_REASONS
from registry import attachments
from registry.attachments import Attachment
from registry.duplicates import possible_duplicates
from registry.eligibility import check_eligible
from registry.events import append_event, history
from registry.queries import epn_state
from registry.withdrawal import breach_findings


def apply(
    con: duckdb.DuckDBPyConnection,
    identity: dict,
    received_on: dt.date,
    channel: str | None = None,
    documents: list[Attachment] | None = None,
    note: str | None = None,
    user: str | None = None,
) -> int:
    """Records an application with its documents; look-alike EPNs are kept as a warning."""
    if channel is not None and channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
    identity = {**identity, "epn_id": checked_epn_id(identity.get("epn_id"))}
    epn_id = identity["epn_id"]
    check_eligible(epn_id, identity.get("authority_type"))
    documents = documents or []
    data = {
        **identity,
        "channel": channel,
        "documents": [d.summary() for d in documents],
        "possible_duplicates": possible_duplicates(con, identity),
    }
    event_id = append_event(
        con, epn_id, "applied", received_on, data=data, note=note, recorded_by=user
    )
    attachments.store(con, epn_id, event_id, documents, received_on, user)
    return event_id


def attach(
    con, epn_id: str, documents: list[Attachment], received_on: dt.date, note=None, user=None
) -> int:
    """Documents that reached the Region after the application."""
    if not documents:
        raise ValueError("attach needs at least one document")
    data = {"documents": [d.summary() for d in documents]}
    event_id = append_event(
        con, epn_id, "attached", received_on, data=data, note=note, recorded_by=user
    )
    attachments.store(con, epn_id, event_id, documents, received_on, user)
    return event_id


def recommend(con, epn_id: str, favourable: bool, on: dt.date, note=None, user=None) -> int:
    return append_event(
        con, epn_id, "recommended", on, data={"favourable": favourable}, note=note, recorded_by=user
    )


def visit(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "visited", on, note=note, recorded_by=user)


def ratify(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "ratified", on, note=note, recorded_by=user)


def reject(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "rejected", on, note=note, recorded_by=user)


def sign(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "signed", on, note=note, recorded_by=user)


def withdraw(
    con,
    epn_id: str,
    on: dt.date,
    reason: str,
    note=None,
    user=None,
    findings: list[dict] | None = None,
    finding_year: int | None = None,
    lang: str = "fr",
) -> int:
    """Withdraws the label; with ``finding_year``, keeps that year's breach findings.

    The findings are evaluated as of the withdrawal date and before it is recorded, so
    they are the ones the COPIL saw (a withdrawal shortens the labelled period).
    """
    if reason not in WITHDRAWAL_REASONS:
        raise ValueError(f"reason must be one of {WITHDRAWAL_REASONS}, not {reason!r}")
    findings = list(findings or [])
    if finding_year is not None:
        findings += breach_findings(con, epn_id, finding_year, on, lang)
    data = {"reason": reason, "findings": findings, "finding_year": finding_year}
    return append_event(con, epn_id, "withdrawn", on, data=data, note=note, recorded_by=user)


def show(con, epn_id: str) -> dict | None:
    """The EPN's current state, its full history and its documents (without their bytes)."""
    state = epn_state(con, epn_id)
    if state is None:
        return None
    return {
        **state,
        "history": history(con, epn_id),
        "documents": attachments.documents_of(con, epn_id),
    }


def application_warnings(state: dict) -> list[dict]:
    """The possible duplicates noted when the application of ``state`` (from show) arrived."""
    applied = [e for e in state["history"] if e["event"] == "applied"]
    return applied[0]["data"].get("possible_duplicates", []) if applied else []
