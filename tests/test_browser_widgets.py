"""Streamlit's own words on the file uploader (« Upload », « 20MB per file • CSV, XLSX ») are
drawn in the reader's language (Debian's chromium, a page with ``ui.file_picker``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from epn.i18n import t
from tests.test_browser import (  # browser: the shared chromium fixture
    CHROMIUM,
    browser,  # noqa: F401
    served,
    settle,
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")
ROOT = Path(__file__).resolve().parents[1]
PAGE = """
import streamlit as st
from dashboards.ui import file_picker
st.session_state["lang"] = st.query_params.get("lang", "fr")
file_picker("Fichier", "upload_file", ["csv", "xlsx"])
"""


@pytest.fixture(scope="module")
def picker_url(tmp_path_factory):
    script = tmp_path_factory.mktemp("picker") / "picker.py"
    script.write_text(PAGE)
    command = ["streamlit", "run", str(script), "--server.headless", "true"]
    with served(command, {"PYTHONPATH": str(ROOT)}) as url:
        yield url


def drawn(page, selector: str) -> tuple[float, str]:
    """(the font size of the element's own text, the text its ::after draws)."""
    return page.locator(selector).evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e, '::after').content]"
    )


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_uploader_speaks_the_readers_language(browser, picker_url, lang):  # noqa: F811
    page = browser.new_page()
    try:
        page.goto(f"{picker_url}/?lang={lang}")
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]', timeout=60_000)
        settle(page)
        zone = '[data-testid="stFileUploaderDropzone"]'
        size, text = drawn(page, f'{zone} button [data-testid="stMarkdownContainer"] p')
        assert size == 0 and text == f'"{t("app.widget.upload_button", lang)}"'
        size, text = drawn(page, '[data-testid="stFileUploaderDropzoneInstructions"] span')
        limit = t("app.widget.upload_limit", lang, types="CSV, XLSX", size=20)
        assert size == 0 and text == f'"{limit}"'
        box = page.locator(f"{zone} button").bounding_box()
        assert box["width"] > 60  # the new words take the room the old ones left
    finally:
        page.close()
