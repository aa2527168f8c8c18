"""The two HTTP routes that set and delete the session cookie (``dashboards/server.py``
mounts them): a Streamlit script cannot answer an HTTP request, so it cannot set an HttpOnly
cookie itself.

- ``POST /_epn/session`` trades the one-time code the login just gave the page for the
  session's token, in a cookie the page's scripts cannot read (HttpOnly, SameSite=Strict,
  Secure over HTTPS), that expires with the session;
- ``POST /_epn/session/end`` ends the session the cookie names and deletes the cookie.

Both accept only a same-origin JSON request (a cross-site form cannot send one), and keep
nothing but hashes in the warehouse (``warehouse.app_sessions``).
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboards.session import COOKIE, END_PATH, HANDOFF_PATH
from epn.settings import warehouse_path
from warehouse import app_sessions
from warehouse.db import connect, transaction


def _from_this_site(request: Request) -> bool:
    """A JSON request sent by a page of this very site (the browser says so)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return False  # a cross-site page can only send JSON after a CORS check we never pass
    fetch_site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def _write(action, *args):
    """One short transaction on the warehouse, off the event loop (DuckDB calls block)."""
    with connect(warehouse_path()) as con, transaction(con):
        return action(con, *args)


async def hand_over(request: Request) -> Response:
    if not _from_this_site(request):
        return Response(status_code=403)
    try:
        code = str((json.loads(await request.body()) or {}).get("code", ""))
    except (ValueError, AttributeError):
        return Response(status_code=400)
    handed = await run_in_threadpool(_write, app_sessions.hand_over, code)
    if handed is None:
        return Response(status_code=403)
    token, seconds = handed
    answer = Response(status_code=204, headers={"Cache-Control": "no-store"})
    answer.set_cookie(
        COOKIE,
        token,
        max_age=seconds,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return answer


async def end(request: Request) -> Response:
    if not _from_this_site(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(_write, app_sessions.end_token, token)
    answer = Response(status_code=204, headers={"Cache-Control": "no-store"})
    answer.delete_cookie(
        COOKIE, path="/", secure=_secure(request), httponly=True, samesite="strict"
    )
    return answer


ROUTES = [
    Route(HANDOFF_PATH, hand_over, methods=["POST"]),
    Route(END_PATH, end, methods=["POST"]),
]
