"""Local accounts: argon2id hashes in the warehouse, lock-out after repeated failures.

Role and EPN always come from this table, also for users who log in through OIDC.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from epn.errors import EpnError
from epn.principal import EPN_USER, ROLES, Principal
from epn.settings import get_settings
from warehouse import app_sessions, audit

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


class LoginRefused(EpnError):
    """Wrong credentials, a disabled or a locked account (one message: no user enumeration)."""


@functools.cache
def _dummy_hash() -> str:
    """A hash of our own parameters to verify against when the account cannot sign in: the
    refusal then costs what a wrong password costs (no telling accounts apart by time)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verifies(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _check_role(con, role: str, epn_id: str | None) -> None:
    if role not in ROLES:
        raise EpnError("account_bad_role", role=role, roles=", ".join(ROLES))
    if role == EPN_USER:
        known = con.execute("SELECT 1 FROM registry_event WHERE epn_id = ? LIMIT 1", [epn_id or ""])
        if not epn_id or known.fetchone() is None:
            raise EpnError("account_needs_epn", epn_id=epn_id or "-")


def _row(con, username: str):
    return con.execute(
        "SELECT username, role, epn_id, password_hash, disabled, failed_logins, locked_until,"
        " display_name, email FROM app_user WHERE username = ?",
        [username],
    ).fetchone()


def add_user(
    con,
    username: str,
    role: str,
    epn_id: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
    by: str | None = None,
) -> None:
    _check_role(con, role, epn_id)
    if _row(con, username):
        raise EpnError("account_exists", username=username)
    hashed = _hasher.hash(password) if password else None
    con.execute(
        "INSERT INTO app_user (username, display_name, role, epn_id, password_hash, email)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [username, display_name, role, epn_id if role == EPN_USER else None, hashed, email],
    )
    audit.record(con, by, "account_add", username, "ok", role=role, epn_id=epn_id)


def _require(con, username: str):
    row = _row(con, username)
    if row is None:
        raise EpnError("account_unknown", username=username)
    return row


def set_disabled(con, username: str, disabled: bool = True, by: str | None = None) -> None:
    _require(con, username)
    con.execute("UPDATE app_user SET disabled = ? WHERE username = ?", [disabled, username])
    if disabled:
        app_sessions.end_sessions_of(con, username, app_sessions.DISABLED)
    audit.record(con, by, "account_disable" if disabled else "account_enable", username, "ok")


def set_role(con, username: str, role: str, epn_id: str | None = None, by: str | None = None):
    _require(con, username)
    _check_role(con, role, epn_id)
    con.execute(
        "UPDATE app_user SET role = ?, epn_id = ? WHERE username = ?",
        [role, epn_id if role == EPN_USER else None, username],
    )
    app_sessions.end_sessions_of(con, username, app_sessions.ROLE_CHANGED)
    audit.record(con, by, "account_role", username, "ok", role=role, epn_id=epn_id)


def reset_password(con, username: str, password: str, by: str | None = None) -> None:
    _require(con, username)
    con.execute(
        "UPDATE app_user SET password_hash = ?, failed_logins = 0, locked_until = NULL"
        " WHERE username = ?",
        [_hasher.hash(password), username],
    )
    app_sessions.end_sessions_of(con, username, app_sessions.PASSWORD_RESET)
    audit.record(con, by, "account_password", username, "ok")


def principal_for(con: duckdb.DuckDBPyConnection, username: str) -> Principal | None:
    """The user as the table says now; None when unknown or disabled (checked on every rerun)."""
    row = _row(con, username)
    if row is None or row[4]:
        return None
    return Principal(row[0], row[1], row[2])


def authenticate(con, username: str, password: str, now: dt.datetime | None = None) -> Principal:
    """The principal of a right password; else LoginRefused, always with the same message
    and one argon2 verification, whether the account exists, is disabled or locked."""
    now = now or dt.datetime.now()
    settings = get_settings()
    refused = LoginRefused("login_refused", minutes=settings.lockout_minutes)
    row = _row(con, username)
    usable = row is not None and not row[4] and row[3] is not None
    right = _verifies(row[3] if usable else _dummy_hash(), password)
    if not usable:
        audit.record(con, username, "login", username, "refused", reason="unknown_or_disabled")
        raise refused
    if row[6] is not None and row[6] > now:
        audit.record(con, username, "login", username, "refused", reason="locked")
        raise refused
    if not right:
        failures = row[5] + 1
        locked = now + dt.timedelta(minutes=settings.lockout_minutes)
        con.execute(
            "UPDATE app_user SET failed_logins = ?, locked_until = ? WHERE username = ?",
            [
                0 if failures >= settings.max_failed_logins else failures,
                locked if failures >= settings.max_failed_logins else None,
                username,
            ],
        )
        audit.record(
            con, username, "login", username, "refused", reason="password", failures=failures
        )
        raise refused
    con.execute(
        "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE username = ?", [username]
    )
    audit.record(con, username, "login", username, "ok")
    return Principal(row[0], row[1], row[2])


def list_users(con) -> list[dict]:
    rows = con.execute(
        "SELECT username, display_name, role, epn_id, disabled, locked_until IS NOT NULL AND"
        " locked_until > now() AS locked FROM app_user ORDER BY username"
    ).fetchall()
    keys = ("username", "display_name", "role", "epn_id", "disabled", "locked")
    return [dict(zip(keys, row, strict=True)) for row in rows]
