"""The rules an account's username and password follow, the same for the CLI and the app.

A password needs ``MIN_PASSWORD`` characters and must not be one of the common passwords
shipped in ``epn/common_passwords.txt`` (nor the username itself): the ones an attacker tries
first.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from epn.errors import EpnError

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")
MIN_PASSWORD = 10
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


def checked_username(username: str) -> str:
    """The username without surrounding spaces; refused unless it follows ``USERNAME``."""
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise EpnError("app.accounts.bad_username")
    return username


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip()[:1] not in "#")


def check_password(password: str, username: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise EpnError("app.accounts.short_password", minimum=MIN_PASSWORD)
    folded = password.strip().casefold()
    if folded in common_passwords() or (username and folded == username.strip().casefold()):
        raise EpnError("password_common")
