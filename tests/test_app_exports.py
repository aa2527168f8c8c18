"""Exports people open, and no other way out (issue 14 item 6, issue 11 item 5).

Every table of data on a page has CSV and Excel buttons of its own (``dashboards/exports.py``:
formulas defused, the reader's separator and decimal mark, a byte-order mark; checked on every
page of every role by ``test_page_texts.py``, which draws them all, with the helpers below);
the tables' built-in « Download as CSV » is switched off; and a file is produced at the click
only while the session that drew the button lives (AppTest on the `epn demo` warehouse).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.elements.widgets import button as button_module
from streamlit.testing.v1 import AppTest

from tests.conftest import use_warehouse
from warehouse import accounts
from warehouse.db import connect, transaction

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboards" / "app.py"
TABLES = {"dataframe", "table"}
# Tables that are a form's own input, not data to keep: the weekly grid being typed and the
# annual report's rows being entered (they are the user's draft, kept on the server).
INPUT_PAGES = {"weekly_entry.py", "report_entry.py"}


def signed_in(demo_warehouse, role: str) -> AppTest:
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == role)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "fr"
    at.run()
    at.text_input(key="login_username").input(account["username"])
    at.text_input(key="login_password").input(account["password"])
    return at.button(key="login_submit").click().run()


def top_level(node, inside_expander: bool = False):
    """(element type, element) of everything outside expanders (a finding's evidence, a
    rejected file's problems: details of a row, exported with that row's table)."""
    kind = getattr(node, "type", "")
    if kind == "expander":
        inside_expander = True
    elif not inside_expander and kind:
        yield kind, node
    for child in getattr(node, "children", {}).values():
        yield from top_level(child, inside_expander)


def tables_and_exports(at: AppTest) -> tuple[int, int]:
    found = list(top_level(at._tree))
    tables = sum(
        1
        for kind, node in found
        if kind in TABLES and not getattr(node.proto, "editing_mode", 0)  # not an editor
    )
    exports = sum(
        1 for kind, node in found if kind == "download_button" and "export_csv_" in node.proto.id
    )
    return tables, exports


class DeferredDownloads:
    """Stands in for Streamlit's runtime in its button module: AppTest runs no server, so
    the callables a download button registers are kept here, by file name, to be called as
    the server would at the click."""

    def __init__(self) -> None:
        self.by_name: dict[str, object] = {}
        self.media_file_mgr = self

    def exists(self) -> bool:
        return True

    def get_instance(self):
        return self

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **_):
        self.by_name[file_name] = data_callable
        return f"deferred-{len(self.by_name)}"

    def add(self, data, mimetype, coordinates, file_name=None, **_):
        raise AssertionError(f"{file_name} was built while the page was drawn, not at click")

    def remove_deferred(self, *args, **kwargs) -> None:
        return None


@pytest.fixture
def deferred(monkeypatch) -> DeferredDownloads:
    downloads = DeferredDownloads()
    monkeypatch.setattr(button_module, "runtime", downloads)
    return downloads


def test_a_table_is_produced_at_the_click_and_refused_once_the_account_is_disabled(
    tmp_path, demo_warehouse, monkeypatch, deferred
):
    private = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse["db"], private)
    next(use_warehouse(private, monkeypatch))
    at = signed_in(demo_warehouse, "coordinator")
    at.switch_page("views/findings.py").run()
    assert not at.exception
    names = [n for n in deferred.by_name if n.startswith("findings-")]
    csv_name = next(n for n in names if n.endswith(".csv"))
    xlsx_name = next(n for n in names if n.endswith(".xlsx"))
    data = deferred.by_name[csv_name]()
    assert data.startswith("\ufeff".encode())  # UTF-8 with a BOM: Excel reads the accents
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["EPN", "Gravité", "Règle"] and len(rows) > 1
    assert deferred.by_name[xlsx_name]().startswith(b"PK")  # an xlsx is a zip
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == "coordinator")
    with connect(private) as con, transaction(con):
        accounts.set_disabled(con, account["username"], True)
    for name in (csv_name, xlsx_name):
        with pytest.raises(PermissionError):
            deferred.by_name[name]()


def test_an_epn_documents_are_refused_once_the_account_is_disabled(
    tmp_path, demo_warehouse, monkeypatch, deferred
):
    """The buttons that were already on the EPN's pages (its template, its charter and
    application form) go through the same check at the click."""
    private = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse["db"], private)
    next(use_warehouse(private, monkeypatch))
    at = signed_in(demo_warehouse, "epn_user")
    for page in ("my_epn.py", "epn_card.py"):
        at.switch_page(f"views/{page}").run()
        assert not at.exception, at.exception
    documents = {n: f for n, f in deferred.by_name.items() if n.endswith((".xlsx", ".pdf"))}
    template = next(n for n in documents if n.endswith(".xlsx") and "findings" not in n)
    assert deferred.by_name[template]().startswith(b"PK")
    assert any(n.startswith("charter-") for n in documents)
    account = next(a for a in demo_warehouse["accounts"] if a["role"] == "epn_user")
    with connect(private) as con, transaction(con):
        accounts.set_disabled(con, account["username"], True)
    for name, produce in documents.items():
        with pytest.raises(PermissionError):
            produce()
            pytest.fail(f"{name} was produced for a disabled account")


def test_the_tables_own_download_is_switched_off_where_the_app_is_served():
    """Streamlit itself, started in the checkout (as ``make demo`` does; ``python -m
    dashboards`` passes the same file as flags, see its test), reads the option as set."""
    code = "from streamlit import config; print(config.get_option('client.disableDataExport'))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "True", done.stderr
