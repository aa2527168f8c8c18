"""Sessions that survive a reload: the server-side store (hashed, revocable, expiring), the
two cookie routes (same-origin JSON only, HttpOnly and SameSite=Strict cookie), a new tab
of the app signed in by its cookie, and the page a role may not open."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest
from test_app_fixtures import log_in

from dashboards import session
from dashboards.session_routes import ROUTES
from epn.i18n import t
from epn.principal import COORDINATOR, Principal
from warehouse import accounts, app_sessions
from warehouse.db import connect, transaction

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
COORD = Principal("coord", COORDINATOR)


def opened(path: Path, principal: Principal = COORD) -> tuple[str, str]:
    with connect(path) as con:
        return app_sessions.open_session(con, principal, "password")


def traded(path: Path, code: str) -> str:
    with connect(path) as con:
        return app_sessions.hand_over(con, code)[0]


def live(path: Path, token: str) -> bool:
    with connect(path) as con:
        found = app_sessions.session_of_token(con, token)
        return found is not None and app_sessions.principal_of(con, found[0])[0] is not None


# --- the store ----------------------------------------------------------------------------


def test_the_code_is_traded_once_and_only_hashes_are_stored(warehouse):
    session_id, code = opened(warehouse)
    token = traded(warehouse, code)
    with connect(warehouse) as con:
        assert app_sessions.hand_over(con, code) is None  # once only
        stored = con.execute("SELECT * FROM app_session").fetchall()
    assert token not in str(stored) and code not in str(stored)
    assert live(warehouse, token) and not live(warehouse, token + "x")


def test_a_code_expires_within_a_minute_and_a_session_after_its_hours(warehouse):
    now = dt.datetime.now()
    with connect(warehouse) as con:
        _, code = app_sessions.open_session(con, COORD, "password", now=now)
        assert app_sessions.hand_over(con, code, now=now + dt.timedelta(seconds=61)) is None
        session_id, code = app_sessions.open_session(con, COORD, "password", now=now)
        token, seconds = app_sessions.hand_over(con, code, now=now)
        assert seconds == 12 * 3600
        later = now + dt.timedelta(hours=12, seconds=1)
        assert app_sessions.principal_of(con, session_id, now=later) == (None, "expired")
    assert not live(warehouse, token)


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda con: accounts.set_disabled(con, "coord", True), "account_disabled"),
        (lambda con: accounts.set_role(con, "coord", "copil"), "role_changed"),
        (lambda con: accounts.reset_password(con, "coord", "Nouveau-mot-2025"), "password_reset"),
    ],
)
def test_an_account_change_ends_every_session_of_the_account(warehouse, change, reason):
    tokens = [traded(warehouse, opened(warehouse)[1]) for _ in range(2)]
    other = traded(warehouse, opened(warehouse, Principal("copil", "copil"))[1])
    with connect(warehouse) as con, transaction(con):
        change(con)
        ended = con.execute(
            "SELECT DISTINCT end_reason FROM app_session WHERE username = 'coord'"
        ).fetchall()
    assert ended == [(reason,)]
    assert not any(live(warehouse, token) for token in tokens) and live(warehouse, other)


def test_a_session_ends_when_the_table_changes_behind_its_back(warehouse):
    session_id, code = opened(warehouse)
    with connect(warehouse) as con:
        con.execute("UPDATE app_user SET role = 'region' WHERE username = 'coord'")
        assert app_sessions.principal_of(con, session_id) == (None, "role_changed")


# --- the cookie routes --------------------------------------------------------------------


def call(path: str, body: object, **headers: str) -> tuple[int, dict[str, str]]:
    """One HTTP request to the routes, as uvicorn hands it to the ASGI app."""
    app = Starlette(routes=ROUTES)
    given = {k.replace("_", "-"): v for k, v in headers.items()}
    headers = {"host": "127.0.0.1:8614", "content-type": "application/json", **given}
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "server": ("127.0.0.1", 8614),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": json.dumps(body).encode(), "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def test_the_route_sets_an_httponly_strict_cookie_once(warehouse):
    _, code = opened(warehouse)
    status, headers = call(session.HANDOFF_PATH, {"code": code}, sec_fetch_site="same-origin")
    assert status == 204
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"{session.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
    assert 12 * 3600 - 5 <= max_age <= 12 * 3600  # it expires with the session
    assert "Secure" not in cookie  # plain http on the loopback; https gets Secure:
    token = cookie.split(";")[0].split("=", 1)[1]
    assert live(warehouse, token)
    assert call(session.HANDOFF_PATH, {"code": code})[0] == 403  # the code is spent
    _, code = opened(warehouse)
    _, headers = call(session.HANDOFF_PATH, {"code": code}, x_forwarded_proto="https")
    assert "Secure" in headers["set-cookie"]


@pytest.mark.parametrize(
    "headers",
    [
        {"sec_fetch_site": "cross-site"},
        {"origin": "https://evil.example"},
        {"content_type": "application/x-www-form-urlencoded"},
    ],
)
def test_the_route_refuses_what_another_site_sends(warehouse, headers):
    _, code = opened(warehouse)
    assert call(session.HANDOFF_PATH, {"code": code}, **headers)[0] == 403
    status, _ = call(session.HANDOFF_PATH, {"code": code})  # the code was not spent
    assert status == 204


def test_the_end_route_ends_the_session_and_deletes_the_cookie(warehouse):
    token = traded(warehouse, opened(warehouse)[1])
    status, headers = call(session.END_PATH, {}, cookie=f"{session.COOKIE}={token}")
    assert status == 204 and "Max-Age=0" in headers["set-cookie"]
    assert not live(warehouse, token)


# --- the app ------------------------------------------------------------------------------


def new_tab(monkeypatch, token: str | None) -> AppTest:
    """A new Streamlit session whose browser sends ``token`` as its cookie (AppTest cannot
    send cookies: the one function that reads them answers for the browser)."""
    monkeypatch.setattr(session, "browser_cookie", lambda: token)
    return AppTest.from_file(APP, default_timeout=60)


def test_a_new_tab_with_the_cookie_is_signed_in_until_the_logout(warehouse, monkeypatch):
    first = log_in(AppTest.from_file(APP, default_timeout=60), "coord")
    session_id, code = first.session_state["_epn_handoff"]
    token = traded(warehouse, code)
    tab = new_tab(monkeypatch, token).run()
    assert "coord" in tab.sidebar.caption[0].value
    first.run()  # the code was traded: the page stops offering it
    assert "_epn_handoff" not in first.session_state
    first.sidebar.button(key="logout").click().run()
    tab.run()  # the other tab is out at its next click
    assert [title.value for title in tab.title] == ["Connexion"]
    assert [title.value for title in new_tab(monkeypatch, token).run().title] == ["Connexion"]


def test_a_forged_or_dead_cookie_signs_nobody_in(warehouse, monkeypatch):
    at = new_tab(monkeypatch, "forged-token").run()
    assert [title.value for title in at.title] == ["Connexion"]
    token = traded(warehouse, opened(warehouse)[1])
    with connect(warehouse) as con, transaction(con):
        accounts.set_disabled(con, "coord", True)
    at = new_tab(monkeypatch, token).run()
    assert [title.value for title in at.title] == ["Connexion"]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_page_the_role_may_not_open_says_so_with_a_way_back(warehouse, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at = log_in(at, "anderlecht").switch_page("views/not_allowed.py").run()
    assert not at.exception
    assert [title.value for title in at.title] == [t("app.not_allowed.title", lang)]
    role = t("app.role.epn_user", lang)
    assert at.warning[0].value == t("app.not_allowed.body", lang, role=role)
    link = at.get("page_link")[0]
    assert link.proto.label == t("app.not_allowed.back", lang, page=t("app.page.my_epn", lang))


def test_a_download_is_authorised_at_the_click(warehouse):
    """A button drawn while signed in produces nothing once the account is disabled."""
    at = log_in(AppTest.from_file(APP, default_timeout=60), "coord")
    session_id = at.session_state["_epn_signed_in"].session_id
    signed = session._SignedIn("coord", session.PASSWORD, session_id)

    def button_drawn_now():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(session.st, "session_state", {session._SIGNED_IN: signed})
            return session.authorised_at_click(lambda: b"data")

    produce = button_drawn_now()
    assert produce() == b"data"
    with connect(warehouse) as con, transaction(con):
        accounts.set_disabled(con, "coord", True)
    with pytest.raises(PermissionError):
        produce()
