"""``python -m dashboards`` serves what ``make demo`` serves: dashboards/server.py (the app
with the session cookie's routes), with the project's Streamlit settings."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from dashboards.__main__ import streamlit_argv
from tests.test_browser import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_runs_the_server_with_the_project_settings():
    argv = streamlit_argv(["--server.port", "8600"])
    assert argv[:3] == ["streamlit", "run", str(ROOT / "dashboards" / "server.py")]
    # the tables' own "Download as CSV" stays off (our exports neutralise formulas)
    assert "--client.disableDataExport=true" in argv
    assert argv[-2:] == ["--server.port", "8600"]  # extra arguments come last, and so win


def test_the_served_app_answers_the_session_routes(db, tmp_path):
    """The cookie's route exists only on server.py: app.py alone answers it with 404/405."""
    port = int(os.environ.get("EPN_APP_TEST_PORT", 0)) or free_port()  # a port of one's own
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboards", "--server.port", str(port)],
        cwd=tmp_path,  # whatever the working directory
        env={**os.environ, "EPN_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        request = urllib.request.Request(
            f"{url}/_epn/session/end",
            data=b"{}",
            method="POST",
            headers={"Content-Type": "application/json", "Origin": url},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 204
            assert "epn_session=" in answer.headers.get("Set-Cookie", "")
    finally:
        server.terminate()
        server.wait(timeout=20)
