"""Sessions of the app that survive a reload, a bookmark or a new tab.

The browser holds only an opaque, random token (an HttpOnly cookie); this table holds its
SHA-256, so that a copy of the warehouse signs nobody in. The token does not exist when the
session opens: the login hands the browser a one-time code (valid a minute), which the
browser trades for the cookie at ``dashboards/server.py``; only that answer ever carries the
token, and page scripts never see it.

A session ends at logout, at its expiry, or when its account is disabled, gets another role
or a new password (``warehouse.accounts`` ends them in the same transaction); every click
asks :func:`principal_of`, so an ended session signs nobody in from the next click on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import duckdb

from epn.principal import Principal
from epn.settings import get_settings

HANDOFF_SECONDS = 60
KEEP_ENDED_DAYS = 30  # ended and expired sessions stay this long for the record, then go
LOGOUT, DISABLED, ROLE_CHANGED, PASSWORD_RESET, EXPIRED = (
    "logout",
    "account_disabled",
    "role_changed",
    "password_reset",
    "expired",
)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now()


def open_session(
    con: duckdb.DuckDBPyConnection,
    principal: Principal,
    method: str,
    now: dt.datetime | None = None,
) -> tuple[str, str]:
    """Records a new session of ``principal``; returns (session id, one-time handoff code)."""
    now = now or _now()
    con.execute(
        "DELETE FROM app_session WHERE coalesce(ended_at, expires_at) < ?",
        [now - dt.timedelta(days=KEEP_ENDED_DAYS)],
    )
    session_id, code = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
    con.execute(
        "INSERT INTO app_session (session_id, username, role, epn_id, method, handoff_hash,"
        " handoff_expires_at, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            session_id,
            principal.username,
            principal.role,
            principal.epn_id,
            method,
            digest(code),
            now + dt.timedelta(seconds=HANDOFF_SECONDS),
            now,
            now + dt.timedelta(hours=get_settings().session_hours),
        ],
    )
    return session_id, code


def hand_over(
    con: duckdb.DuckDBPyConnection, code: str, now: dt.datetime | None = None
) -> tuple[str, int] | None:
    """Trades a handoff code, once, for the session's token: (token, seconds it has left)."""
    now = now or _now()
    row = con.execute(
        "SELECT session_id, expires_at FROM app_session WHERE handoff_hash = ?"
        " AND handoff_expires_at > ? AND ended_at IS NULL AND expires_at > ?",
        [digest(code or ""), now, now],
    ).fetchone()
    if row is None:
        return None
    token = secrets.token_urlsafe(32)
    con.execute(
        "UPDATE app_session SET token_hash = ?, handoff_hash = NULL, handoff_expires_at = NULL"
        " WHERE session_id = ?",
        [digest(token), row[0]],
    )
    return token, int((row[1] - now).total_seconds())


def handed_over(con: duckdb.DuckDBPyConnection, session_id: str) -> bool:
    """Whether the browser has its cookie (or can no longer get one)."""
    row = con.execute(
        "SELECT handoff_hash IS NULL OR handoff_expires_at < ? FROM app_session"
        " WHERE session_id = ?",
        [_now(), session_id],
    ).fetchone()
    return row is None or bool(row[0])


def session_of_token(con: duckdb.DuckDBPyConnection, token: str) -> tuple[str, str] | None:
    """(session id, method) of the live session whose cookie holds ``token``."""
    now = _now()
    return con.execute(
        "SELECT session_id, method FROM app_session WHERE token_hash = ?"
        " AND ended_at IS NULL AND expires_at > ?",
        [digest(token or ""), now],
    ).fetchone()


def principal_of(
    con: duckdb.DuckDBPyConnection, session_id: str, now: dt.datetime | None = None
) -> tuple[Principal | None, str | None]:
    """(the principal, None) while the session lives, else (None, why it ended).

    The account is read again: a session whose account is gone, disabled or holds another
    role or EPN than at login ends here too, whoever changed the table.
    """
    now = now or _now()
    row = con.execute(
        "SELECT s.username, s.role, s.epn_id, s.ended_at, s.end_reason, s.expires_at,"
        " u.role, u.epn_id, u.disabled FROM app_session s"
        " LEFT JOIN app_user u ON u.username = s.username WHERE s.session_id = ?",
        [session_id],
    ).fetchone()
    if row is None:
        return None, LOGOUT
    username, role, epn_id, ended_at, reason, expires_at, now_role, now_epn, disabled = row
    if ended_at is not None:
        return None, reason
    if expires_at <= now:
        reason = EXPIRED
    elif now_role is None or disabled:
        reason = DISABLED
    elif (now_role, now_epn) != (role, epn_id):
        reason = ROLE_CHANGED
    else:
        return Principal(username, role, epn_id), None
    end_session(con, session_id, reason, now)
    return None, reason


def end_session(
    con: duckdb.DuckDBPyConnection, session_id: str, reason: str, now: dt.datetime | None = None
) -> None:
    con.execute(
        "UPDATE app_session SET ended_at = ?, end_reason = ?, handoff_hash = NULL"
        " WHERE session_id = ? AND ended_at IS NULL",
        [now or _now(), reason, session_id],
    )


def end_token(con: duckdb.DuckDBPyConnection, token: str, reason: str = LOGOUT) -> None:
    """Ends the session a cookie names (the browser's own sign-out)."""
    found = session_of_token(con, token)
    if found:
        end_session(con, found[0], reason)


def end_sessions_of(con: duckdb.DuckDBPyConnection, username: str, reason: str) -> int:
    """Ends every live session of an account; returns how many."""
    live = con.execute(
        "SELECT count(*) FROM app_session WHERE username = ? AND ended_at IS NULL", [username]
    ).fetchone()[0]
    con.execute(
        "UPDATE app_session SET ended_at = ?, end_reason = ?, handoff_hash = NULL"
        " WHERE username = ? AND ended_at IS NULL",
        [_now(), reason, username],
    )
    return live
