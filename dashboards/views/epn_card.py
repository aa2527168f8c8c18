"""An EPN's card: who it is, its label's history, its documents, files sent and findings."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.queries import epn_card as card
from dashboards.session import authorised_at_click, current_lang, current_principal
from dashboards.ui import (
    day,
    empty_state,
    guarded,
    label,
    number,
    plain_text,
    table,
    tr,
    wrapped_table,
)
from epn.i18n import t
from registry.documents import document_texts

EVENT_ICONS = {
    "imported": ":material/upload:",
    "applied": ":material/inbox:",
    "attached": ":material/attach_file:",
    "recommended": ":material/rate_review:",
    "visited": ":material/handshake:",
    "ratified": ":material/gavel:",
    "rejected": ":material/block:",
    "signed": ":material/draw:",
    "withdrawn": ":material/cancel:",
}
STATUS_COLOURS = {"labelled": "green", "rejected": "red", "withdrawn": "red"}
PDF = "application/pdf"


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.epn_card"))
    with guarded():
        epns = queries.epn_list(principal, lang)
        if epns.empty:
            empty_state("app.card.no_epn")
            return
        names = dict(zip(epns["epn_id"], epns["name"], strict=True))
        asked = st.query_params.get("epn")  # the board's cards link here with ?epn=ID
        epn_id = st.selectbox(
            tr("app.registry.epn"),
            list(names),
            index=list(names).index(asked) if asked in names else 0,
            format_func=lambda e: f"{e} — {names[e]}",
            key="card_epn",
        )
        if asked is not None:
            st.query_params["epn"] = epn_id  # the address keeps naming the EPN shown
        identity(card.card_identity(principal, epn_id, lang), lang)
        papers(principal, epn_id, lang)
        tabs = st.tabs(
            [tr(f"app.card.tab.{name}") for name in ("history", "documents", "uploads", "findings")]
        )
        with tabs[0]:
            timeline(card.label_history(principal, epn_id, lang), lang)
        with tabs[1]:
            documents(principal, epn_id, lang)
        with tabs[2]:
            submissions(card.card_submissions(principal, epn_id))
        with tabs[3], st.spinner(tr("app.copil.evaluating")):
            findings(card.card_findings(principal, epn_id, lang))


def identity(epn: dict, lang: str) -> None:
    status = label("app.registry.status", epn["status"])
    st.markdown(
        f"### {plain_text(epn['name'])} "
        f":{STATUS_COLOURS.get(epn['status'], 'blue')}-badge[{status}]"
    )
    types = document_texts(lang)["authority_types"]
    place = " ".join(str(p) for p in (epn["postcode"], epn["commune"]) if p)
    facts = [
        (t("header.epn_id", lang), epn["epn_id"]),
        (tr("app.registry.commune"), place),
        (t("header.address", lang), epn["address"]),
        (t("header.workstations", lang), epn["workstations"]),
        (t("header.authority_name", lang), epn["authority_name"]),
        (t("header.authority_type", lang), types.get(epn["authority_type"], epn["authority_type"])),
        (tr("app.card.received_on"), _date(epn["received_on"], lang)),
        (tr("app.card.status_since"), _date(epn["status_since"], lang)),
    ]
    with st.container(border=True):
        for start in range(0, len(facts), 4):  # two rows of four, so captions stay on a line
            for cell, (caption, value) in zip(st.columns(4), facts[start : start + 4], strict=True):
                cell.caption(caption)
                cell.markdown(plain_text(value))


def _date(value: str | None, lang: str) -> str | None:
    return day(dt.date.fromisoformat(value), lang) if value else None


def papers(principal, epn_id: str, lang: str) -> None:
    """The charter and the application form, prefilled; built only when asked for."""
    row = st.container(horizontal=True)
    row.download_button(
        tr("app.card.charter"),
        authorised_at_click(lambda: card.charter_document(principal, epn_id, lang)),
        file_name=f"charter-{epn_id}-{lang}.pdf",
        mime=PDF,
        icon=":material/description:",
        on_click="ignore",
        key="card_charter",
    )
    row.download_button(
        tr("app.card.application_form"),
        authorised_at_click(lambda: card.application_document(principal, epn_id, lang)),
        file_name=f"application-{epn_id}-{lang}.pdf",
        mime=PDF,
        icon=":material/assignment:",
        on_click="ignore",
        key="card_application",
    )


def timeline(history: pd.DataFrame, lang: str) -> None:
    if history.empty:
        empty_state("app.card.history_empty")
        return
    with st.container(border=True):
        for row in history.itertuples():
            when, what = st.columns([1, 6])
            occurred = row.occurred_on if pd.notna(row.occurred_on) else None
            when.markdown(f"**{day(occurred, lang)}**" if occurred else "—")
            step = f"{row.step[:1].upper()}{row.step[1:]}"
            lines = [f"{EVENT_ICONS.get(row.event, '')} **{step}**"]
            if pd.notna(row.detail) and row.detail:
                lines.append(plain_text(row.detail))
            if pd.notna(row.note) and row.note:
                lines.append(f"*{plain_text(row.note)}*")
            what.markdown("  \n".join(lines))
            if pd.notna(row.recorded_by):
                what.caption(tr("app.card.recorded_by", user=plain_text(row.recorded_by)))


def documents(principal, epn_id: str, lang: str) -> None:
    found = card.card_documents(principal, epn_id)
    if found.empty:
        empty_state("app.card.documents_empty")
        return
    for row in found.itertuples():
        kind, name, size, button = st.columns([2, 4, 2, 2], vertical_alignment="center")
        kind.markdown(tr(f"app.document_kind.{row.kind}"))
        name.markdown(plain_text(row.filename))
        size.caption(
            tr(
                "app.card.document_size",
                kb=number(max(1, row.size_bytes // 1024), lang),
                on=day(pd.Timestamp(row.received_on).date(), lang),
            )
        )
        button.download_button(
            tr("app.card.download"),
            authorised_at_click(lambda d=row.document_id: card.card_document(principal, epn_id, d)),
            file_name=row.filename,
            icon=":material/download:",
            on_click="ignore",
            key=f"card_document_{row.document_id}",
        )


def submissions(frame: pd.DataFrame) -> None:
    if frame.empty:
        empty_state("app.card.uploads_empty")
        return
    shown = frame.assign(
        kind=frame["kind"].map(lambda k: label("app.kind", k) if isinstance(k, str) else None),
        status=frame["status"].map(lambda s: label("app.status", s)),
    )
    table(
        shown,
        ["filename", "kind", "year", "received_on", "uploaded_at", "status"],
        widths={"filename": 380, "year": "small", "status": "small"},
        export="epn-uploads",
    )


def findings(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.success(tr("app.card.no_findings"), icon=":material/check_circle:")
        return
    shown = frame.assign(severity=frame["severity"].map(lambda s: label("app.severity", s)))
    # A static table, so that the messages (which say what to fix) wrap instead of being cut.
    wrapped_table(shown, ["year", "severity", "rule", "message"], export="epn-findings")


render()
