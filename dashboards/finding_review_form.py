"""A finding's review and its exchange, for the coordinator's non-compliance page and for
« Mon EPN »: the current review, the thread, and the form each role may use (the
coordinator reviews and writes, the EPN user answers)."""

from __future__ import annotations

import streamlit as st

from dashboards.queries import finding_reviews as queries
from dashboards.session import current_lang
from dashboards.ui import day, plain_text, tr
from epn.errors import EpnError
from services import finding_review
from warehouse.finding_review import STATUSES, FindingKey

FLASH = "finding_review_flash"  # the outcome of the last send, shown after the rerun


def form_key(key: FindingKey) -> str:
    return "review_" + "_".join(str(part) for part in key.params() if part != "")


def show_review(review: dict | None) -> None:
    """The current review in one line, or that nobody has reviewed the finding yet."""
    if review is None:
        st.caption(tr("app.review.none"))
        return
    text = tr(
        f"app.review.current_{review['status']}",
        by=review["by"],
        date=day(review["reviewed_on"]),
        reason=review["reason"] or "—",
    )
    icon = ":material/task_alt:" if review["status"] == "justified" else ":material/gavel:"
    st.info(plain_text(text), icon=icon)


def show_exchange(principal, key: FindingKey) -> None:
    entries = queries.exchange(principal, key)
    if not entries:
        return
    st.markdown(f"**{tr('app.review.thread')}**")
    for entry in entries:
        who = tr(f"app.review.author_{entry['role']}", user=entry["author"])
        when = day(entry["happened_at"].date())
        if entry["kind"] == "review":
            status = tr(f"review.status.{entry['status']}")
            text = tr("app.review.entry_review", status=status, reason=entry["reason"] or "—")
        else:
            text = entry["body"]
        st.markdown(f"*{plain_text(when)} · {plain_text(who)}* — {plain_text(text)}")


def flash(key: FindingKey) -> None:
    outcome = st.session_state.get(FLASH)
    if outcome and outcome[0] == form_key(key):
        st.session_state.pop(FLASH)
        (st.success if outcome[1] == "success" else st.error)(plain_text(outcome[2]))


def review_form(principal, key: FindingKey) -> None:
    """The coordinator's form: confirmed or justified, the reason, a message to the EPN."""
    flash(key)
    name = form_key(key)
    with st.form(name, clear_on_submit=False):
        status = st.radio(
            tr("app.review.status"),
            STATUSES,
            format_func=lambda s: tr(f"review.status.{s}"),
            horizontal=True,
            key=f"{name}_status",
        )
        reason = st.text_input(
            tr("app.review.reason"),
            max_chars=finding_review.REASON_MAX,
            help=tr("app.review.reason_help"),
            key=f"{name}_reason",
        )
        message = st.text_area(
            tr("app.review.message"),
            max_chars=finding_review.MESSAGE_MAX,
            key=f"{name}_message",
        )
        submitted = st.form_submit_button(
            tr("app.review.submit"), icon=":material/fact_check:", key=f"{name}_submit"
        )
        if submitted:
            _send(name, lambda: finding_review.review(principal, key, status, reason, message))


def answer_form(principal, key: FindingKey) -> None:
    """A message on the finding: the EPN user's answer (or the coordinator's word)."""
    flash(key)
    name = form_key(key)
    with st.form(f"{name}_answer", clear_on_submit=False):
        body = st.text_area(
            tr("app.review.answer"), max_chars=finding_review.MESSAGE_MAX, key=f"{name}_body"
        )
        if st.form_submit_button(tr("app.review.send"), icon=":material/send:", key=f"{name}_send"):
            _send(name, lambda: finding_review.write(principal, key, body))


def _send(name: str, action) -> None:
    try:
        action()
    except EpnError as error:  # the form stays as typed: the user fixes and sends again
        st.session_state[FLASH] = (name, "error", error.message(current_lang()))
    else:
        st.session_state[FLASH] = (name, "success", tr("app.review.sent"))
        for suffix in ("_reason", "_message", "_body"):
            st.session_state.pop(name + suffix, None)
    st.rerun()
