"""The rules an account's username and password follow, the same for the CLI and the app."""

from __future__ import annotations

import re

from epn.errors import EpnError

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")
MIN_PASSWORD = 10


def checked_username(username: str) -> str:
    """The username without surrounding spaces; refused unless it follows ``USERNAME``."""
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise EpnError("app.accounts.bad_username")
    return username


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise EpnError("app.accounts.short_password", minimum=MIN_PASSWORD)
