"""The coordinator's record of a file received earlier by post or email (upload forms).

Everyone else's files are received today by the server's clock: they see the date, never a
field to change it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.session import fixed_language
from dashboards.ui import day, label, tr
from epn.principal import Principal
from services.access import can

RECEIPT_CHANNELS = ("post", "email")  # services.uploads.RECEIPT_CHANNELS, without its weight


def earlier_receipt(principal: Principal, key: str) -> tuple[dt.date, str, str] | None:
    """(day, channel, note) when the coordinator records an earlier receipt, else None."""
    st.caption(tr("app.upload.received_today", day=day(dt.date.today())))
    if not can(principal, "upload.record_receipt") or not st.toggle(
        tr("app.upload.earlier_receipt"),
        help=tr("app.upload.earlier_receipt_help"),
        key=f"{key}_earlier",
    ):
        return None
    left, middle, right = st.columns([1, 1, 2])
    received_on = left.date_input(
        tr("app.upload.received_on"),
        value=dt.date.today(),
        max_value=dt.date.today(),
        format="DD/MM/YYYY",
        help=tr("app.upload.received_on_help"),
        key=f"{key}_received_on",
    )
    channel = middle.selectbox(
        tr("app.upload.channel"),
        RECEIPT_CHANNELS,
        format_func=fixed_language(lambda c: label("app.upload.channel", c)),
        key=f"{key}_channel",
    )
    note = right.text_input(tr("app.upload.receipt_note"), key=f"{key}_receipt_note")
    return received_on, channel, note
