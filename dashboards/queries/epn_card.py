"""One EPN's card: identity, label history, documents, submissions, findings, papers to print.

Every function checks first that the principal may see that EPN: an EPN user its own
only, the coordinator and the COPIL any.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards.queries.findings import findings
from dashboards.queries.warehouse import read_frame
from epn.errors import EpnError
from epn.i18n import t
from epn.principal import Principal
from epn.settings import warehouse_path
from registry import attachments, events, queries
from registry.documents_application import application_form_pdf
from registry.documents_charter import charter_pdf
from services.access import AccessDenied, scope_for
from validation.charter.terms import terms_for
from warehouse.db import connect

HISTORY_COLUMNS = ("occurred_on", "event", "step", "recorded_by", "note", "detail")
FINDING_COLUMNS = ("year", "severity", "code", "rule", "message")


def card_identity(principal: Principal, epn_id: str, lang: str) -> dict:
    """The EPN's identity, commune name, status and its dates."""
    _check(principal, epn_id)
    with connect(warehouse_path()) as con:
        record = queries.document_record(con, epn_id, lang)
        state = queries.epn_state(con, epn_id)
    if record is None or state is None:
        raise EpnError("app.card.unknown_epn", epn_id=epn_id)
    return {**state, "commune": record["commune_name"]}


def label_history(principal: Principal, epn_id: str, lang: str) -> pd.DataFrame:
    """The EPN's events, oldest first, each with its step name and a readable detail."""
    _check(principal, epn_id)
    with connect(warehouse_path()) as con:
        found = events.history(con, epn_id)
    rows = [
        {
            "occurred_on": dt.date.fromisoformat(e["occurred_on"]) if e["occurred_on"] else None,
            "event": e["event"],
            "step": t(f"step.{e['event']}", lang),
            "recorded_by": e["recorded_by"],
            "note": e["note"],
            "detail": " · ".join(_details(e["event"], e["data"], lang)),
        }
        for e in found
    ]
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))


def card_documents(principal: Principal, epn_id: str) -> pd.DataFrame:
    """document_id, kind, filename, size_bytes, received_on, recorded_by — oldest first."""
    _check(principal, epn_id)
    with connect(warehouse_path()) as con:
        found = attachments.documents_of(con, epn_id)
    columns = ["document_id", "kind", "filename", "size_bytes", "received_on", "recorded_by"]
    return pd.DataFrame(found, columns=columns)


def card_document(principal: Principal, epn_id: str, document_id: int) -> bytes:
    _check(principal, epn_id)
    with connect(warehouse_path()) as con:
        content = attachments.document_content(con, epn_id, int(document_id))
    if content is None:
        raise EpnError("app.card.unknown_document", epn_id=epn_id)
    return content


def card_submissions(principal: Principal, epn_id: str) -> pd.DataFrame:
    """The files that named this EPN, newest first: filename, kind, year, received, status."""
    _check(principal, epn_id)
    return read_frame(
        """
        SELECT upload_id, filename, kind, year, received_on, uploaded_at, status
        FROM upload WHERE list_contains(epn_ids, ?)
        ORDER BY upload_id DESC
        """,
        [epn_id],
    )


def card_findings(principal: Principal, epn_id: str, lang: str) -> pd.DataFrame:
    """The EPN's charter findings of every year, latest year first."""
    _check(principal, epn_id)
    found = findings(principal, None, lang, epn_ids=[epn_id])
    return found.loc[:, list(FINDING_COLUMNS)].reset_index(drop=True)


def charter_document(principal: Principal, epn_id: str, lang: str) -> bytes:
    """The charter to countersign (PDF), prefilled from the registry."""
    today = dt.date.today()
    return charter_pdf(_record(principal, epn_id, lang), lang, _hours(today), today)


def application_document(principal: Principal, epn_id: str, lang: str) -> bytes:
    """The application form (PDF), prefilled from the registry."""
    today = dt.date.today()
    return application_form_pdf(_record(principal, epn_id, lang), lang, _hours(today), today)


def _record(principal: Principal, epn_id: str, lang: str) -> dict:
    _check(principal, epn_id)
    with connect(warehouse_path()) as con:
        record = queries.document_record(con, epn_id, lang)
    if record is None:
        raise EpnError("app.card.unknown_epn", epn_id=epn_id)
    return record


def _hours(today: dt.date) -> float:
    return terms_for(today.year).min_public_hours


def _details(event: str, data: dict, lang: str) -> list[str]:
    """What an event's data says, in words: channel, documents, opinion, reason, findings."""
    parts = []
    if data.get("channel"):
        parts.append(t(f"app.history.channel.{data['channel']}", lang))
    if "favourable" in data:
        parts.append(t(f"app.history.favourable.{str(data['favourable']).lower()}", lang))
    if data.get("reason"):
        parts.append(t(f"app.reason.{data['reason']}", lang))
    if docs := data.get("documents"):
        names = ", ".join(d["filename"] for d in docs)
        parts.append(t("app.history.documents", lang, count=len(docs), names=names))
    if event == "withdrawn" and data.get("finding_year"):
        count = len(data.get("findings") or [])
        parts.append(t("app.history.findings", lang, count=count, year=data["finding_year"]))
    if alike := data.get("possible_duplicates"):
        ids = ", ".join(d["epn_id"] for d in alike)
        parts.append(t("app.history.look_alikes", lang, epn_ids=ids))
    return parts


def _check(principal: Principal, epn_id: str) -> None:
    if not scope_for(principal, per_epn=True).keeps(epn_id):
        raise AccessDenied(
            "app.access_denied", principal=principal, role=principal.role, epn_id=epn_id
        )
