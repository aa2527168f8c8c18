"""``python -m dashboards`` serves what ``make demo`` serves: dashboards/server.py (the app
with the session cookie's routes), with the project's Streamlit settings."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from dashboards.__main__ import streamlit_argv
from tests.test_browser import served

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_runs_the_server_with_the_project_settings():
    argv = streamlit_argv(["--server.port", "8600"])
    assert argv[:3] == ["streamlit", "run", str(ROOT / "dashboards" / "server.py")]
    # the tables' own "Download as CSV" stays off (our exports neutralise formulas)
    assert "--client.disableDataExport=true" in argv
    assert argv[-2:] == ["--server.port", "8600"]  # extra arguments come last, and so win


def test_the_served_app_answers_the_session_routes(db, tmp_path):
    """The cookie's route exists only on server.py: app.py alone answers it with 404/405."""
    with served(["dashboards"], {"EPN_DB": str(db)}, cwd=tmp_path) as url:  # any directory
        request = urllib.request.Request(
            f"{url}/_epn/session/end",
            data=b"{}",
            method="POST",
            headers={"Content-Type": "application/json", "Origin": url},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 204
            assert "epn_session=" in answer.headers.get("Set-Cookie", "")
