"""The annual report in the browser: one step per sheet of the standard, kept as a draft on
the server between visits, checked step by step with the workbook's own check, and sent as
the workbook it stands for, through the path of every upload."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import streamlit as st

from dashboards import report_form as rf
from dashboards.entry_common import entry_epn, remember_outcome, show_remembered_outcome
from dashboards.queries.entry import report_draft
from dashboards.session import current_lang, current_principal, fixed_language
from dashboards.ui import guarded, plain_text, tr
from dashboards.upload_handler import handle_upload
from epn.errors import EpnError
from epn.standard import AUDIENCE_CATEGORIES, REPORT_IDENTITY, report_sheet
from reporting.entry.report_workbook import empty_content, report_filename, report_workbook
from services import drafts

log = logging.getLogger(__name__)
FORM = "_report_form"  # {"signature", "generation", "content", "saved_at"}
STEP = "report_entry_step"
OUTCOME = "_report_entry_outcome"
NOTICE = "_report_entry_notice"  # what a callback has to say on the next run
SEND = "send"
IDENTITY_FIELDS = [c for c in REPORT_IDENTITY.columns if c.key not in ("epn_id", "year")]
NARRATIVE_KEYS = ("highlights", "difficulties", "outlook")


def render() -> None:
    principal, lang = current_principal(), current_lang()
    st.title(tr("app.page.report_entry"))
    st.caption(tr("app.report_form.intro"))
    with guarded():
        picked = entry_epn(principal, lang, key="report_entry_epn")
        if picked is None:
            return
        epn_id, identity = picked
        today = dt.date.today()
        year = st.selectbox(
            tr("app.year"), [today.year - 1, today.year], key="report_entry_year", width=160
        )
        show_remembered_outcome(OUTCOME)
        form = loaded_form(principal, epn_id, identity, year)
        notice()
        step = st.segmented_control(
            tr("app.report_form.steps"),
            [*rf.STEPS, SEND],
            format_func=fixed_language(lambda s: step_label(s, lang)),
            key=STEP,
            required=True,
        )
        problems = rf.problems_by_step(form["content"], form["epn"], year, lang)
        progress(form, problems, lang)
        st.divider()
        if step == SEND:
            send_step(principal, lang, form, problems)
        else:
            STEP_VIEWS[step](form, lang)
            if step in visited(form):
                step_problems(problems[step])


def loaded_form(principal, epn_id, identity: dict, year: int) -> dict:
    """The form of this EPN and year: from the server's draft on the first run, then held
    in the session (widgets of another EPN or year get new keys: a new generation)."""
    signature = (identity["epn_id"], year)
    form = st.session_state.get(FORM)
    if form is None or form["signature"] != signature:
        draft = report_draft(principal, year, epn_id)
        content = draft["content"] if draft else empty_content()
        if not draft and identity.get("workstations") is not None:
            content["epn"]["workstations"] = int(identity["workstations"])
        form = {
            "signature": signature,
            "epn": identity["epn_id"],
            "year": year,
            "generation": (form or {}).get("generation", 0) + 1,
            "content": content,
            "saved_at": draft["updated_at"] if draft else None,
        }
        st.session_state[FORM] = form
        st.session_state[STEP] = draft["step"] if draft else rf.STEPS[0]
    return form


def key(form: dict, *parts: str) -> str:
    return "_".join(["rf", str(form["generation"]), *parts])


def visited(form: dict) -> list[str]:
    return form["content"].setdefault("visited", [])


def step_label(step: str, lang: str) -> str:
    if step == SEND:
        return tr("app.report_form.step_send")
    return f"{rf.STEPS.index(step) + 1}. {rf.step_title(step, lang)}"


def progress(form: dict, problems: dict, lang: str) -> None:
    """Each step at a glance: done, to fix, or not yet seen; when the draft was saved."""
    parts = []
    for step in rf.STEPS:
        if step not in visited(form):
            mark = "○"
        elif problems[step]:
            mark = f"⚠ {len(problems[step])}"
        else:
            mark = "✓"
        parts.append(f"{plain_text(rf.step_title(step, lang))} {mark}")
    st.caption(" · ".join(parts))
    if form["saved_at"] is not None:
        saved = pd.Timestamp(form["saved_at"])
        st.caption(
            tr("app.report_form.saved_at", date=saved.strftime("%d/%m/%Y"), time=f"{saved:%H:%M}")
        )


def notice() -> None:
    said = st.session_state.pop(NOTICE, None)
    if said:
        kind, text = said
        (st.success if kind == "ok" else st.error)(text)


def save(form: dict, step: str, advance: bool = False) -> None:
    """Keeps the form on the server (and the step it reopens on); a callback's work."""
    lang = current_lang()
    if step not in visited(form):
        visited(form).append(step)
    following = step
    if advance:
        following = ([*rf.STEPS, SEND])[min(rf.STEPS.index(step) + 1, len(rf.STEPS))]
    try:
        drafts.save_draft(
            current_principal(),
            form["epn"],
            form["year"],
            form["content"],
            following if following in rf.STEPS else step,
        )
    except EpnError as error:
        st.session_state[NOTICE] = ("error", error.message(lang))
        return
    except Exception as error:  # a traceback shown to a user is a bug: log it, say it plainly
        log.exception("the report draft could not be saved")
        detail = f"{type(error).__name__}: {error}"
        st.session_state[NOTICE] = ("error", tr("internal_error", detail=detail))
        return
    form["saved_at"] = dt.datetime.now()
    st.session_state[NOTICE] = ("ok", tr("app.report_form.saved"))
    st.session_state[STEP] = following


# ---- the fields -------------------------------------------------------------------------


def field(form: dict, column, value, widget_key: str) -> None:
    """One value of the standard as a widget of its type, labelled as the template heads it."""
    lang = current_lang()
    title = tr(f"header.{column.key}")
    help_text = tr(f"template.help.{column.key}")
    if column.type == "text":
        st.text_input(title, value=value or "", key=widget_key, help=help_text, max_chars=500)
    elif column.type in ("integer", "decimal"):
        whole = column.type == "integer"
        if value is not None:  # JSON may hand 38 for 38.0: the widget wants one type
            value = int(value) if whole else float(value)
        st.number_input(
            title,
            min_value=int(column.minimum or 0) if whole else float(column.minimum or 0),
            value=value,
            step=1 if whole else 0.5,
            format="%d" if whole else "%g",
            key=widget_key,
            help=help_text,
            placeholder=tr("app.report_form.number_placeholder"),
        )
    elif column.type == "yesno":
        st.radio(
            title,
            [True, False],
            index=None if value is None else [True, False].index(value),
            format_func=fixed_language(lambda v: tr("template.yes") if v else tr("template.no")),
            key=widget_key,
            help=help_text,
            horizontal=True,
        )
    elif column.type == "code":
        st.selectbox(
            title,
            column.codes,
            index=None if value not in column.codes else column.codes.index(value),
            format_func=fixed_language(lambda c: rf.code_label(c, lang).capitalize()),
            key=widget_key,
            help=help_text,
            placeholder=tr("app.report_form.choose"),
        )
    elif column.type == "date":
        year = form["year"]
        st.date_input(
            title,
            value=dt.date.fromisoformat(value) if value else None,
            min_value=dt.date(year, 1, 1),
            max_value=dt.date(year, 12, 31),
            format="DD/MM/YYYY",
            key=widget_key,
            help=help_text,
        )


def field_value(column, widget_key: str) -> object:
    value = st.session_state.get(widget_key)
    if isinstance(value, str):
        value = value.strip() or None
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.type == "integer" and value is not None:
        return int(value)
    return value


def shown_value(column, value: object, lang: str) -> str:
    """A stored value as a reader of the table expects it: labels, dd/mm/yyyy, commas."""
    if value is None or value == "":
        return "—"
    if column.type == "yesno":
        return tr("template.yes") if value else tr("template.no")
    if column.type == "code":
        return rf.code_label(value, lang).capitalize()
    if column.type == "date":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if isinstance(value, float):
        text = f"{value:g}"
        return text if lang == "en" else text.replace(".", ",")
    return str(value)


# ---- the steps --------------------------------------------------------------------------


def identity_step(form: dict, lang: str) -> None:
    values = form["content"]["epn"]
    st.caption(tr("app.report_form.epn_intro", epn_id=form["epn"], year=form["year"]))
    with st.form(key(form, "epn", "form"), border=True):
        left, right = st.columns(2)
        for index, column in enumerate(IDENTITY_FIELDS):
            with left if index % 2 == 0 else right:
                field(form, column, values.get(column.key), key(form, "epn", column.key))
        save_buttons(form, "epn", lambda: keep_identity(form))


def keep_identity(form: dict) -> None:
    form["content"]["epn"] = {
        column.key: field_value(column, key(form, "epn", column.key)) for column in IDENTITY_FIELDS
    }


def save_buttons(form: dict, step: str, keep) -> None:
    """« Enregistrer » and « Enregistrer et continuer », both keeping the draft."""

    def on_save(advance: bool) -> None:
        keep()
        save(form, step, advance)

    left, right = st.columns(2)
    left.form_submit_button(
        tr("app.report_form.save"),
        icon=":material/save:",
        on_click=on_save,
        args=(False,),
        key=key(form, step, "save"),
    )
    right.form_submit_button(
        tr("app.report_form.save_next"),
        type="primary",
        icon=":material/arrow_forward:",
        on_click=on_save,
        args=(True,),
        key=key(form, step, "next"),
    )


def list_step(step: str):
    """A step of one record per row (staff, activities, cooperation): the rows entered, a
    way to remove one, a form to add one."""

    def view(form: dict, lang: str) -> None:
        spec = report_sheet(step)
        records = form["content"][step]
        st.caption(tr(f"app.report_form.{step}_intro"))
        if records:
            shown = pd.DataFrame(
                [
                    {
                        tr(f"header.{c.key}"): shown_value(c, r.get(c.key), lang)
                        for c in spec.columns
                    }
                    for r in records
                ]
            )
            lines = [tr("app.report_form.line", number=n) for n in range(1, len(records) + 1)]
            shown.insert(0, "#", lines)
            st.table(shown.map(plain_text), hide_index=True)
            remove_row(form, step, len(records))
        else:
            st.info(tr(f"app.report_form.{step}_empty"), icon=":material/info:")
        with st.form(key(form, step, "add"), clear_on_submit=True, border=True):
            st.markdown(f"**{tr('app.report_form.add_title')}**")
            columns = st.columns(3)
            for index, column in enumerate(spec.columns):
                with columns[index % 3]:
                    field(form, column, None, key(form, step, "new", column.key))
            st.form_submit_button(
                tr("app.report_form.add"),
                icon=":material/add:",
                on_click=add_row,
                args=(form, step),
                key=key(form, step, "add_button"),
            )
        st.button(
            tr("app.report_form.next"),
            type="primary",
            icon=":material/arrow_forward:",
            on_click=save,
            args=(form, step, True),
            key=key(form, step, "next"),
        )

    return view


def add_row(form: dict, step: str) -> None:
    spec = report_sheet(step)
    record = {c.key: field_value(c, key(form, step, "new", c.key)) for c in spec.columns}
    if all(value is None for value in record.values()):
        st.session_state[NOTICE] = ("error", tr("app.report_form.row_empty"))
        return
    form["content"][step].append(record)
    save(form, step)


def remove_row(form: dict, step: str, count: int) -> None:
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    left.selectbox(
        tr("app.report_form.remove_which"),
        list(range(1, count + 1)),
        format_func=fixed_language(lambda n: tr("app.report_form.line", number=n)),
        key=key(form, step, "remove_which"),
    )

    def remove() -> None:
        which = st.session_state.get(key(form, step, "remove_which"))
        if which is not None and 1 <= which <= len(form["content"][step]):
            del form["content"][step][which - 1]
            save(form, step)

    right.button(
        tr("app.report_form.remove"),
        icon=":material/delete:",
        on_click=remove,
        key=key(form, step, "remove"),
    )


def audience_step(form: dict, lang: str) -> None:
    counts = form["content"]["audience"]
    users_total = form["content"]["epn"].get("users_total")
    total = "—" if users_total is None else str(users_total)
    st.caption(tr("app.report_form.audience_intro", total=total))
    with st.form(key(form, "audience", "form"), border=True):
        columns = st.columns(len(AUDIENCE_CATEGORIES))
        for cell, (dimension, categories) in zip(columns, AUDIENCE_CATEGORIES.items(), strict=True):
            cell.markdown(f"**{rf.code_label(dimension, lang).capitalize()}**")
            for category in categories:
                cell.number_input(
                    f"{rf.code_label(dimension, lang).capitalize()} — "
                    f"{rf.code_label(category, lang)}",
                    min_value=0,
                    value=int(counts.get(dimension, {}).get(category) or 0),
                    step=1,
                    key=key(form, "audience", dimension, category),
                )
        save_buttons(form, "audience", lambda: keep_audience(form))


def keep_audience(form: dict) -> None:
    form["content"]["audience"] = {
        dimension: {
            category: int(st.session_state.get(key(form, "audience", dimension, category)) or 0)
            for category in categories
        }
        for dimension, categories in AUDIENCE_CATEGORIES.items()
    }


def narrative_step(form: dict, lang: str) -> None:
    texts = form["content"]["narrative"]
    st.caption(tr("app.report_form.narrative_intro"))
    with st.form(key(form, "narrative", "form"), border=True):
        for name in NARRATIVE_KEYS:
            st.text_area(
                tr(f"header.{name}"),
                value=texts.get(name) or "",
                max_chars=5000,
                help=tr(f"template.help.{name}"),
                key=key(form, "narrative", name),
            )
        save_buttons(form, "narrative", lambda: keep_narrative(form))


def keep_narrative(form: dict) -> None:
    form["content"]["narrative"] = {
        name: (st.session_state.get(key(form, "narrative", name)) or "").strip()
        for name in NARRATIVE_KEYS
    }


STEP_VIEWS = {
    "epn": identity_step,
    "staff": list_step("staff"),
    "activities": list_step("activities"),
    "audience": audience_step,
    "cooperation": list_step("cooperation"),
    "narrative": narrative_step,
}


def step_problems(problems: list[rf.StepProblem]) -> None:
    if not problems:
        st.success(tr("app.report_form.step_ok"), icon=":material/check_circle:")
        return
    st.error(tr("app.report_form.step_to_fix", count=len(problems)), icon=":material/error:")
    st.markdown(
        "\n".join(f"- **{plain_text(p.where)}** — {plain_text(p.message)}" for p in problems)
    )


# ---- sending ----------------------------------------------------------------------------


def send_step(principal, lang: str, form: dict, problems: dict) -> None:
    remaining = {step: found for step, found in problems.items() if found}
    if remaining:
        st.warning(tr("app.report_form.not_ready"), icon=":material/warning:")
        for step, found in remaining.items():
            st.markdown(f"**{plain_text(step_label(step, lang))}**")
            step_problems(found)
        return
    st.success(tr("app.report_form.ready", year=form["year"]), icon=":material/task_alt:")
    if st.button(
        tr("app.report_form.submit"),
        type="primary",
        icon=":material/send:",
        key=key(form, "submit"),
    ):
        filename = report_filename(form["epn"], form["year"])
        data = report_workbook(form["content"], form["epn"], form["year"])
        with st.spinner(tr("app.my_epn.sending", file=filename)):
            outcome = handle_upload(principal, filename, data, False, lang)
        remember_outcome(OUTCOME, filename, outcome)
        if outcome.status in ("accepted", "duplicate"):
            drafts.discard_draft(principal, form["epn"], form["year"])
            st.session_state.pop(FORM, None)
        st.rerun()


render()
