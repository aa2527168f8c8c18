"""Accounts of the app: create, disable or enable, change a role, reset a password.

The one service the administrator's page and ``epn users`` both call: each function checks
the principal (the ``accounts.manage`` right; the command line acts as the system), applies
the username and password rules of ``epn.credentials``, then writes in one transaction
through ``warehouse.accounts``, which records the audit row.
"""

from __future__ import annotations

from epn.credentials import check_password, checked_username
from epn.errors import EpnError
from epn.principal import EPN_USER, Principal
from epn.settings import warehouse_path
from services.access import require
from warehouse import accounts
from warehouse.db import connect, transaction


def create_account(
    principal: Principal,
    username: str,
    role: str,
    epn_id: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
    password: str | None = None,
    db=None,
) -> str:
    """Creates the account and returns its password (the one given, or a generated one)."""
    require(principal, "accounts.manage", what="accounts.add")
    username = checked_username(username)
    _epn_given(role, epn_id)
    password = _checked_password(password, username)
    with connect(warehouse_path(db)) as con, transaction(con):
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


def set_account_disabled(principal: Principal, username: str, disabled: bool, db=None) -> None:
    require(principal, "accounts.manage", what="accounts.disable")
    _not_yourself(principal, username)
    with connect(warehouse_path(db)) as con, transaction(con):
        accounts.set_disabled(con, username, disabled, by=principal.username)


def change_role(
    principal: Principal, username: str, role: str, epn_id: str | None, db=None
) -> None:
    require(principal, "accounts.manage", what="accounts.set_role")
    _not_yourself(principal, username)
    _epn_given(role, epn_id)
    with connect(warehouse_path(db)) as con, transaction(con):
        accounts.set_role(con, username, role, epn_id, by=principal.username)


def reset_account_password(
    principal: Principal, username: str, password: str | None, db=None
) -> str:
    """Sets a new password (generated when none is given), lifts a lock-out, returns it."""
    require(principal, "accounts.manage", what="accounts.reset_password")
    password = _checked_password(password, username)
    with connect(warehouse_path(db)) as con, transaction(con):
        accounts.reset_password(con, username, password, by=principal.username)
    return password


def _checked_password(password: str | None, username: str) -> str:
    if not password:
        return accounts.new_password()
    check_password(password, username)
    return password


def _epn_given(role: str, epn_id: str | None) -> None:
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


def list_accounts(principal: Principal, db=None) -> list[dict]:
    require(principal, "accounts.manage", what="accounts.list")
    with connect(warehouse_path(db)) as con:
        return accounts.list_users(con)
