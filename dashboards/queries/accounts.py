"""The administrator's accounts: list, create, disable or enable, change a role, reset a password.

Every function requires the ``accounts.manage`` right; every change goes through
``epn.accounts`` (which writes the audit row) in a transaction of its own.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dashboards.access import require
from dashboards.queries.warehouse import read_frame, warehouse_path
from epn import accounts
from epn.errors import EpnError
from epn.principal import EPN_USER, Principal
from warehouse.db import connect, transaction

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")
MIN_PASSWORD = 10


def account_list(principal: Principal) -> pd.DataFrame:
    """username, display_name, email, role, epn_id, disabled, locked, created_at."""
    require(principal, "accounts.manage", what="accounts.list")
    return read_frame(
        """
        SELECT username, display_name, email, role, epn_id, disabled,
               coalesce(locked_until > ?, false) AS locked, created_at
        FROM app_user ORDER BY username
        """,
        [dt.datetime.now()],  # lock-outs are set in local time (epn.accounts)
    )


def epn_choices(principal: Principal) -> pd.DataFrame:
    """epn_id, name of every EPN of the registry, for tying an EPN user to its EPN."""
    require(principal, "accounts.manage", what="accounts.epn_choices")
    return read_frame("SELECT epn_id, name FROM registry_current ORDER BY epn_id")


def create_account(
    principal: Principal,
    username: str,
    role: str,
    epn_id: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
    password: str | None = None,
) -> str:
    """Creates the account and returns its password (the one given, or a generated one)."""
    require(principal, "accounts.manage", what="accounts.add")
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise EpnError("app.accounts.bad_username")
    _epn_given(role, epn_id)
    password = _checked_password(password)
    with connect(warehouse_path()) as con, transaction(con):
        if _exists(con, username):
            raise EpnError("app.accounts.exists", username=username)
        accounts.add_user(
            con,
            username,
            role,
            epn_id,
            password,
            _blank_to_none(display_name),
            _blank_to_none(email),
            by=principal.username,
        )
    return password


def set_account_disabled(principal: Principal, username: str, disabled: bool) -> None:
    require(principal, "accounts.manage", what="accounts.disable")
    _not_yourself(principal, username)
    with connect(warehouse_path()) as con, transaction(con):
        accounts.set_disabled(con, username, disabled, by=principal.username)


def change_role(principal: Principal, username: str, role: str, epn_id: str | None) -> None:
    require(principal, "accounts.manage", what="accounts.set_role")
    _not_yourself(principal, username)
    _epn_given(role, epn_id)
    with connect(warehouse_path()) as con, transaction(con):
        accounts.set_role(con, username, role, epn_id, by=principal.username)


def reset_account_password(principal: Principal, username: str, password: str | None) -> str:
    """Sets a new password (generated when none is given), lifts a lock-out, returns it."""
    require(principal, "accounts.manage", what="accounts.reset_password")
    password = _checked_password(password)
    with connect(warehouse_path()) as con, transaction(con):
        accounts.reset_password(con, username, password, by=principal.username)
    return password


def _checked_password(password: str | None) -> str:
    if not password:
        return accounts.new_password()
    if len(password) < MIN_PASSWORD:
        raise EpnError("app.accounts.short_password", minimum=MIN_PASSWORD)
    return password


def _epn_given(role: str, epn_id: str | None) -> None:
    # Said here in the app's words; the back end's message names a command-line option.
    if role == EPN_USER and not epn_id:
        raise EpnError("app.accounts.epn_needed")


def _exists(con, username: str) -> bool:
    return (
        con.execute("SELECT 1 FROM app_user WHERE username = ?", [username]).fetchone() is not None
    )


def _not_yourself(principal: Principal, username: str) -> None:
    # An administrator who disabled or demoted themselves could not undo it from the app.
    if username == principal.username:
        raise EpnError("app.accounts.not_yourself")


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() or None if text else None
