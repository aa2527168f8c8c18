"""A new application from the board: identity, channel, documents, then a check for look-alikes.

Two stages: the form is checked first (required fields, EPNs of the registry that look
like it), and only a confirmation records it, so the coordinator sees a possible
duplicate before the application enters the registry.
"""

from __future__ import annotations

import streamlit as st

from dashboards.queries import registry_board as rq
from dashboards.registry_forms import (
    attachments_of,
    choice_key,
    day_input,
    file_input,
    note_input,
    run_step,
)
from dashboards.session import current_lang, fixed_language
from dashboards.ui import plain_text, tr
from epn.i18n import t
from epn.principal import Principal
from registry.attachments import DOCUMENT_KINDS
from registry.documents import document_texts
from registry.eligibility import ELIGIBLE_CODES
from registry.service import CHANNELS
from services import registry_steps as actions

REVIEW_KEY = "apply_review"
FIELD_LABELS = {"commune_nis": "app.registry.commune"}  # the others: header.<field>


def application_form(principal: Principal) -> None:
    lang = current_lang()
    with st.form("apply_form", border=False):
        identity = identity_inputs(principal, lang)
        left, right = st.columns(2)
        channel = left.radio(
            tr("app.registry.channel"),
            CHANNELS,
            format_func=fixed_language(lambda c: tr(f"app.history.channel.{c}")),
            horizontal=True,
            key=choice_key("apply_channel"),
        )
        with right:
            received_on = day_input("app.registry.received_on", "apply_received_on")
        st.markdown(f"**{tr('app.registry.documents')}**")
        cells = st.columns(2)
        files = {}
        for index, kind in enumerate(DOCUMENT_KINDS):
            with cells[index % 2]:
                files[kind] = file_input(f"app.document_kind.{kind}", f"apply_files_{kind}")
        note = note_input("apply_note")
        checked = st.form_submit_button(
            tr("app.registry.submit.check"), icon=":material/fact_check:", key="apply_check"
        )
    documents = [doc for kind, found in files.items() for doc in attachments_of(found, kind)]
    if checked:
        st.session_state[REVIEW_KEY] = _complete(identity)
    if st.session_state.get(REVIEW_KEY):
        review(
            principal,
            identity,
            lambda: actions.apply(principal, identity, received_on, channel, documents, note),
            len(documents),
        )


def identity_inputs(principal: Principal, lang: str) -> dict:
    communes = rq.communes(lang)
    names = dict(zip(communes["commune_nis"].astype(int), communes["commune"], strict=True))
    types = document_texts(lang)["authority_types"]
    top = st.columns([1, 3])
    address = st.columns([3, 1, 2])
    authority = st.columns([3, 2, 1])
    return {
        "epn_id": top[0].text_input(
            t("header.epn_id", lang),
            value=rq.suggested_epn_id(principal),
            max_chars=20,
            key="apply_epn_id",
        ),
        "name": top[1].text_input(t("header.name", lang), max_chars=200, key="apply_name"),
        "address": address[0].text_input(
            t("header.address", lang), max_chars=200, key="apply_address"
        ),
        "postcode": address[1].number_input(
            t("header.postcode", lang), 1000, 1210, value=None, step=1, key="apply_postcode"
        ),
        "commune_nis": address[2].selectbox(
            tr("app.registry.commune"),
            list(names),
            index=None,
            format_func=names.get,
            placeholder=tr("app.registry.choose"),
            key=choice_key("apply_commune"),
        ),
        "authority_name": authority[0].text_input(
            t("header.authority_name", lang), max_chars=200, key="apply_authority_name"
        ),
        "authority_type": authority[1].selectbox(
            t("header.authority_type", lang),
            ELIGIBLE_CODES,
            index=None,
            format_func=types.get,
            placeholder=tr("app.registry.choose"),
            key=choice_key("apply_authority_type"),
        ),
        "workstations": authority[2].number_input(
            t("header.workstations", lang), 0, 500, value=None, step=1, key="apply_workstations"
        ),
    }


def _complete(identity: dict) -> bool:
    missing = actions.missing_fields({k: _text(v) for k, v in identity.items()})
    if missing:
        fields = ", ".join(tr(FIELD_LABELS.get(f, f"header.{f}")) for f in missing)
        st.warning(tr("app.registry.fill_in", fields=fields), icon=":material/edit_note:")
    return not missing


def review(principal: Principal, identity: dict, record, documents: int) -> None:
    """The look-alikes of the application, then the buttons to record it or to go back."""
    with st.container(border=True):
        st.markdown(f"**{tr('app.registry.review_title', epn_id=plain_text(identity['epn_id']))}**")
        alike = rq.look_alikes(principal, {k: _text(v) for k, v in identity.items()})
        for found in alike:
            st.warning(
                tr(
                    "app.registry.look_alike",
                    other_id=plain_text(found["epn_id"]),
                    name=plain_text(found["name"]),
                    reason=t(f"duplicate_reason.{found['reason']}", current_lang()),
                    score=found["score"],
                ),
                icon=":material/content_copy:",
            )
        if not alike:
            st.success(tr("app.registry.no_look_alike"), icon=":material/verified:")
        st.caption(tr("app.registry.review_documents", count=documents))
        buttons = st.container(horizontal=True)
        if buttons.button(
            tr("app.registry.submit.apply"),
            type="primary",
            icon=":material/save:",
            key="apply_confirm",
        ):
            run_step(record, "apply")
        if buttons.button(tr("app.registry.cancel"), key="apply_cancel"):
            st.session_state[REVIEW_KEY] = False
            st.rerun()


def _text(value):
    return value.strip() if isinstance(value, str) else value
