"""Where Streamlit shows words of its own, the user reads them in their language (or does not
get them): the uploader's button and limit (drawn by CSS, checked in chromium by
test_browser_widgets.py), its help, the password's eye icon, the pages' menu."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_app_fixtures import log_in

from epn.i18n import t

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_uploader_and_the_password_say_it_in_the_users_language(warehouse, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert at.text_input(key="login_password").help == t("app.widget.password_help", lang)
    at = log_in(at, "anderlecht").switch_page("views/upload.py").run()
    assert not at.exception
    uploader = at.get("file_uploader")[0]
    limit = t("app.widget.upload_limit", lang, types="CSV, XLSX", size=20)
    button = t("app.widget.upload_button", lang)
    assert uploader.proto.help == t("app.widget.upload_help", lang, button=button, limit=limit)
    styles = " ".join(html.proto.body for html in at.get("html"))
    assert f'content: "{button}"' in styles and f'content: "{limit}"' in styles


def test_the_pages_menu_is_never_folded_behind_an_english_button(warehouse, monkeypatch):
    """Folded, Streamlit's menu ends with « View 7 more », which it writes in English only."""
    calls = []
    navigation = st.navigation

    def recorded(*args, **kwargs):
        calls.append(kwargs)
        return navigation(*args, **kwargs)

    monkeypatch.setattr(st, "navigation", recorded)
    log_in(AppTest.from_file(APP, default_timeout=60), "coord")
    assert calls and calls[-1].get("expanded") is True
