"""The audit trail, for the regional coordinator: who uploaded, corrected, decided or was
refused what, and when; filters, the table, and the same rows as CSV."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.audit_details import detail_text
from dashboards.exports import download_buttons
from dashboards.queries.audit import AUDIT_COLUMNS, MAX_ROWS
from dashboards.session import current_lang, current_principal, fixed_language
from dashboards.ui import empty_state, guarded, label, number, table, tr


def render() -> None:
    principal = current_principal()
    st.title(tr("app.page.audit"))
    st.caption(tr("app.audit.caption"))
    with guarded():
        choices = queries.audit_choices(principal)
        if not choices["actions"]:
            empty_state("app.audit.empty")
            return
        frame = queries.audit_entries(principal, **pick_filters(choices))
        if frame.empty:
            empty_state("app.audit.none_match")
            return
        shown = readable(frame)
        table(shown, list(shown.columns), widths=_widths(shown))
        capped = "app.audit.count_capped" if len(frame) >= MAX_ROWS else "app.audit.count"
        st.caption(tr(capped, count=number(len(frame))))
        download_buttons(shown, f"audit-{dt.date.today():%Y%m%d}", current_lang())


def pick_filters(choices: dict) -> dict:
    cells = st.columns([2, 2, 2, 2])
    placeholder = tr("app.filter.all")
    first = choices["first_day"]
    last = max(choices["last_day"], dt.date.today())
    dates = cells[3].date_input(
        tr("app.audit.filter_dates"),
        value=(first, last),
        min_value=first,
        max_value=last,
        format="DD/MM/YYYY",
        key="audit_dates",
    )
    return {
        "actions": cells[0].multiselect(
            tr("app.audit.filter_action"),
            choices["actions"],
            format_func=fixed_language(lambda a: label("app.audit.action", a)),
            placeholder=placeholder,
            key="audit_action",
        ),
        "users": cells[1].multiselect(
            tr("app.audit.filter_user"), choices["users"], placeholder=placeholder, key="audit_user"
        ),
        "outcomes": cells[2].multiselect(
            tr("app.audit.filter_outcome"),
            choices["outcomes"],
            format_func=fixed_language(lambda o: label("app.audit.outcome", o)),
            placeholder=placeholder,
            key="audit_outcome",
        ),
        "since": dates[0] if len(dates) > 0 else None,
        "until": dates[1] if len(dates) > 1 else None,
    }


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Translated actions, outcomes and headers (what the table shows and the CSV holds)."""
    shown = frame.assign(
        username=frame["username"].fillna("—"),
        action=frame["action"].map(lambda a: label("app.audit.action", a)),
        outcome=frame["outcome"].map(lambda o: label("app.audit.outcome", o)),
        detail=frame["detail"].map(lambda d: detail_text(d, current_lang())),
    )
    return shown.loc[:, list(AUDIT_COLUMNS)].rename(
        columns={c: tr(f"app.audit.col.{c}") for c in AUDIT_COLUMNS}
    )


def _widths(shown: pd.DataFrame) -> dict:
    names = dict(zip(AUDIT_COLUMNS, shown.columns, strict=True))
    return {
        names["occurred_at"]: 140,
        names["action"]: 150,
        names["target"]: 190,
        names["outcome"]: 110,
        names["detail"]: "large",
    }


render()
