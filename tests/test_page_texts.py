"""No raw value on a screen: every page of every role of the demo app, in French, Dutch and
English (AppTest on the `epn demo` warehouse), shows no catalogue or standard code, no
`None`, `nan` or ISO date in its visible text; and, page by page, that every table of data
has download buttons of its own (``test_app_exports.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.navigation import PAGES
from epn.i18n import catalogue
from tests.conftest import demo_copy_in, use_warehouse
from tests.test_app_exports import INPUT_PAGES, tables_and_exports

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
ROLES = ("coordinator", "copil", "region", "admin", "epn_user")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RAW_WORD = re.compile(r"\b(None|nan|NaN|NaT)\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Codes a user must never read: the catalogue's own keys (a missing translation shows its
# code) and the standard's snake_case codes (finding codes, statuses, authority types...).
CODES = {code for code in catalogue() if "_" in code or "." in code}
STANDARD_CODES = {code.rsplit(".", 1)[-1] for code in catalogue() if "_" in code.rsplit(".", 1)[-1]}


@pytest.fixture(scope="module")
def demo_copy(demo_warehouse, tmp_path_factory):
    """A private copy of the demo warehouse: logins write to it."""
    return demo_copy_in(demo_warehouse, tmp_path_factory.mktemp("texts"))


def visible_texts(at: AppTest) -> list[str]:
    """The texts a user reads: labels, values, options, table cells."""
    texts: list[str] = []

    def walk(node) -> None:
        # a choice widget's value is the program's object; its options are what it shows
        shown = ("label", "options", "help", "placeholder")
        choice = hasattr(node, "options")
        if getattr(node, "type", "") == "date_input":
            # a date picker draws its dates in its format: ISO-like unless told DD/MM/YYYY
            if not node.proto.format.startswith("DD/MM"):
                picked = node.value if isinstance(node.value, tuple | list) else [node.value]
                texts.extend(d.isoformat() for d in picked if d is not None)
            choice = True  # its value is a date, checked just above
        for attribute in shown if choice else ("value", "body", *shown):
            try:
                value = getattr(node, attribute)
            except Exception:
                continue
            if isinstance(value, pd.DataFrame):
                # typed columns are drawn by the grid in the column's format (empty cells as
                # the placeholder): their text cells are checked, and a date column that has
                # no dd/mm/yyyy format of its own is drawn ISO, so it counts as one
                texts.extend(str(c) for c in value.columns)
                words = value.select_dtypes(include=["object", "string"])
                texts.extend(str(v) for v in words.to_numpy().ravel() if not pd.isna(v))
                texts.extend(unformatted_dates(node, value))
            elif isinstance(value, str):
                texts.append(value)
            elif isinstance(value, list | tuple):
                texts.extend(str(v) for v in value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return texts


def unformatted_dates(node, frame: pd.DataFrame) -> list[str]:
    """The first date of each date column the table draws in ISO (no format configured)."""
    config = json.loads(getattr(getattr(node, "proto", None), "columns", "") or "{}")
    found = []
    for name in frame.select_dtypes(include=["datetime", "datetimetz"]).columns:
        shape = config.get(str(name), {}).get("type_config", {}).get("format", "")
        dates = frame[name].dropna()
        if not shape.startswith("DD/MM/YYYY") and not dates.empty:
            found.append(dates.iloc[0].date().isoformat())
    return found


# Markdown escapes what it would otherwise format: « statistics\_incomplete », « 2025\-01\-27 »
MARKDOWN_ESCAPE = re.compile(r"\\(.)")


def raw_values(texts: list[str]) -> set[str]:
    found = set()
    for text in (MARKDOWN_ESCAPE.sub(r"\1", shown) for shown in texts):
        found |= set(ISO_DATE.findall(text)) | set(RAW_WORD.findall(text))
        found |= {word for word in SNAKE.findall(text) if word in STANDARD_CODES | CODES}
        found |= {text} & CODES
    return found


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_raw_value_on_any_page(demo_copy, demo_warehouse, monkeypatch, role, lang):
    next(use_warehouse(demo_copy, monkeypatch))
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == role)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.text_input(key="login_username").input(account["username"])
    at.text_input(key="login_password").input(account["password"])
    at.button(key="login_submit").click().run()
    problems, unkept = {}, {}
    for spec in PAGES:
        if role not in spec.roles:
            continue
        at.switch_page(f"views/{spec.script}").run()
        assert not at.exception, (spec.script, at.exception)
        found = raw_values(visible_texts(at))
        if found:
            problems[spec.script] = sorted(found)
        # while each page is drawn: every table of data has download buttons of its own
        tables, exports = tables_and_exports(at)
        if tables != exports and spec.script not in INPUT_PAGES:
            unkept[spec.script] = {"tables": tables, "csv buttons": exports}
        assert all(b.proto.label.strip() for b in at.get("download_button")), spec.script
    assert not problems, problems
    assert not unkept, unkept


def test_the_detector_finds_what_a_user_must_never_read():
    """The page test above can fail: each kind of raw value is caught, a clean text is not."""
    assert raw_values(["Semaines : 2025-01-27, 03/02/2025"]) == {"2025-01-27"}
    assert raw_values(["Public prioritaire (%) : None", "nan", "Part : NaN"]) == {
        "None",
        "nan",
        "NaN",
    }
    assert raw_values(["Motif : statistics_incomplete"]) == {"statistics_incomplete"}
    # as a markdown text carries them (the COPIL page showed this one)
    escaped = "Manquement répété \\: « statistics\\_incomplete » constaté le 2025\\-01\\-27"
    assert raw_values([escaped]) == {"statistics_incomplete", "2025-01-27"}
    assert raw_values(["app.page.audit"]) == {"app.page.audit"}
    assert not raw_values(["Semaine du 27/01/2025 · 12,5 heures", "EPN-0001 — Nonante"])


def test_the_walk_reads_labels_options_and_table_cells():
    """What the detector is given: a widget's options, a table's text cells (not its typed
    dates, which the grid draws as dd/mm/yyyy)."""
    script = """
import datetime as dt
import pandas as pd
import streamlit as st
named = {"open": "ouvert"}
st.selectbox("Choix", ["open", "statistics_incomplete"], format_func=lambda c: named.get(c, c))
days = pd.to_datetime(["2024-01-08"])
st.dataframe(pd.DataFrame({"semaine": ["2024-01-01"], "le": [dt.date(2024, 1, 15)]}))
st.dataframe(pd.DataFrame({"iso": days, "belge": days}), column_config={
    "belge": st.column_config.DateColumn("belge", format="DD/MM/YYYY")})
st.date_input("Du", dt.date(2024, 2, 1), format="DD/MM/YYYY")
st.date_input("Au", dt.date(2024, 2, 2))
st.caption("Aucun")
"""
    at = AppTest.from_string(script).run()
    texts = visible_texts(at)
    assert {"ouvert", "statistics_incomplete", "semaine", "2024-01-01", "Aucun"} <= set(texts)
    assert raw_values(texts) == {
        *("2024-01-01", "2024-01-15", "2024-01-08", "2024-02-02"),
        "statistics_incomplete",
    }
    assert texts.count("2024-01-08") == 1  # the formatted column is not reported
