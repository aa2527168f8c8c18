"""Local accounts: argon2id hashes, lock-out, roles from our table, disabled at once."""

from __future__ import annotations

import datetime as dt

import pytest

from epn.errors import EpnError
from warehouse import accounts
from warehouse.db import connect, transaction


def with_con(db, action):
    with connect(db) as con, transaction(con):
        return action(con)


def test_password_is_hashed_with_argon2id_and_checked(registry):
    with_con(registry, lambda c: accounts.add_user(c, "ana", "epn_user", "EPN-0001", "s3cret!"))
    stored = with_con(
        registry, lambda c: c.execute("SELECT password_hash FROM app_user").fetchone()[0]
    )
    assert stored.startswith("$argon2id$") and "s3cret!" not in stored
    who = with_con(registry, lambda c: accounts.authenticate(c, "ana", "s3cret!"))
    assert (who.username, who.role, who.epn_id) == ("ana", "epn_user", "EPN-0001")


def test_wrong_password_and_unknown_user_get_the_same_message(registry):
    with_con(registry, lambda c: accounts.add_user(c, "ana", "coordinator", password="pw"))
    with pytest.raises(accounts.LoginRefused) as wrong:
        with_con(registry, lambda c: accounts.authenticate(c, "ana", "nope"))
    with pytest.raises(accounts.LoginRefused) as unknown:
        with_con(registry, lambda c: accounts.authenticate(c, "bob", "pw"))
    assert wrong.value.code == unknown.value.code == "login_refused"


def failed_login(db, username, password, now):
    def attempt(con):
        try:
            accounts.authenticate(con, username, password, now)
        except accounts.LoginRefused as refused:
            return refused.code
        return "ok"

    # no surrounding transaction: a refused attempt must still count
    with connect(db) as con:
        return attempt(con)


def test_lockout_after_repeated_failures_then_it_expires(registry):
    with_con(registry, lambda c: accounts.add_user(c, "ana", "copil", password="right"))
    now = dt.datetime(2026, 1, 1, 10, 0)
    codes = [failed_login(registry, "ana", "wrong", now) for _ in range(5)]
    assert codes == ["login_refused"] * 5
    assert failed_login(registry, "ana", "right", now) == "login_locked"
    assert failed_login(registry, "ana", "right", now + dt.timedelta(minutes=16)) == "ok"


def test_disabled_account_and_changed_role_take_effect_at_once(registry):
    with_con(registry, lambda c: accounts.add_user(c, "ana", "copil", password="pw"))
    with_con(registry, lambda c: accounts.set_role(c, "ana", "region"))
    assert with_con(registry, lambda c: accounts.principal_for(c, "ana")).role == "region"
    with_con(registry, lambda c: accounts.set_disabled(c, "ana"))
    assert with_con(registry, lambda c: accounts.principal_for(c, "ana")) is None


def test_epn_user_needs_a_registered_epn_and_roles_are_checked(registry):
    with pytest.raises(EpnError, match="EPN-4242"):
        with_con(registry, lambda c: accounts.add_user(c, "x", "epn_user", "EPN-4242", "pw"))
    with pytest.raises(EpnError, match="superuser"):
        with_con(registry, lambda c: accounts.add_user(c, "x", "superuser", None, "pw"))


def test_users_cli(cli, registry):
    # one password policy for the CLI and the app: too short is refused, nothing created
    assert cli("users", "add", "coord", "--role", "coordinator", "--password", "pw")[0] == 1
    code, out, _ = cli(
        "users", "add", "coord", "--role", "coordinator", "--password", "pw-long-enough"
    )
    assert code == 0 and "coord" in out
    assert cli("users", "add", "coord", "--role", "coordinator")[0] == 1
    assert cli("users", "set-role", "coord", "--role", "epn_user", "--epn-id", "EPN-0002")[0] == 0
    assert cli("users", "disable", "coord")[0] == 0
    code, out, _ = cli("users", "list", "--json")
    assert '"epn_id": "EPN-0002"' in out and '"disabled": true' in out
