"""The registry's steps, shared by the CLI and the app: each checks, then appends one event."""

from __future__ import annotations

import datetime as dt

import duckdb

from registry.events import append_event, history
from registry.queries import epn_state

WITHDRAWAL_REASONS = ("authority_request", "serious_breach", "repeated_breach")
CHANNELS = ("post", "email")


def apply(con: duckdb.DuckDBPyConnection, identity: dict, received_on: dt.date,
          channel: str | None = None, documents: list[dict] | None = None,
          note: str | None = None, user: str | None = None) -> int:
    data = {**identity, "channel": channel, "documents": documents or []}
    return append_event(con, identity["epn_id"], "applied", received_on, data=data, note=note,
                        recorded_by=user)


def recommend(con, epn_id: str, favourable: bool, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "recommended", on, data={"favourable": favourable},
                        note=note, recorded_by=user)


def visit(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "visited", on, note=note, recorded_by=user)


def ratify(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "ratified", on, note=note, recorded_by=user)


def reject(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "rejected", on, note=note, recorded_by=user)


def sign(con, epn_id: str, on: dt.date, note=None, user=None) -> int:
    return append_event(con, epn_id, "signed", on, note=note, recorded_by=user)


def withdraw(con, epn_id: str, on: dt.date, reason: str, note=None, user=None,
             findings: list[dict] | None = None) -> int:
    data = {"reason": reason, "findings": findings or []}
    return append_event(con, epn_id, "withdrawn", on, data=data, note=note, recorded_by=user)


def show(con, epn_id: str) -> dict | None:
    state = epn_state(con, epn_id)
    if state is None:
        return None
    return {**state, "history": history(con, epn_id)}
