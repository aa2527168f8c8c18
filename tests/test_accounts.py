"""Local accounts: argon2id hashes, lock-out, roles from our table, disabled at once."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from epn.errors import EpnError
from epn.i18n import t
from epn.principal import SYSTEM
from services.accounts import create_account
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
    assert wrong.value.message("fr") == unknown.value.message("fr")


def test_a_refusal_takes_one_argon2_verification_whether_the_account_exists_or_not(
    registry, monkeypatch
):
    """Timing: an unknown, a disabled or a locked account costs what a wrong password costs
    (a verification against a hash of the same parameters)."""
    strong = "Un-long-mot-de-passe-42"
    with_con(registry, lambda c: accounts.add_user(c, "ana", "coordinator", password=strong))
    with_con(registry, lambda c: accounts.add_user(c, "off", "coordinator", password=strong))
    with_con(registry, lambda c: accounts.set_disabled(c, "off", True))
    codes = [failed_login(registry, w, "wrong", dt.datetime.now()) for w in ("ana", "bob", "off")]
    assert codes == ["login_refused"] * 3
    timings = []
    for who in ("ana", "bob", "off") * 3:
        start = time.perf_counter()
        failed_login(registry, who, "wrong", dt.datetime.now())
        timings.append(time.perf_counter() - start)
    known, unknown, disabled = sum(timings[0::3]), sum(timings[1::3]), sum(timings[2::3])
    assert unknown > known * 0.6 and disabled > known * 0.6, timings  # was ~34 against ~160 ms


def test_a_locked_account_gets_the_message_of_any_refusal(registry):
    with_con(registry, lambda c: accounts.add_user(c, "ana", "copil", password="right-password"))
    now = dt.datetime(2026, 1, 1, 10, 0)
    for _ in range(5):
        failed_login(registry, "ana", "wrong", now)
    with pytest.raises(accounts.LoginRefused) as locked:
        with_con(registry, lambda c: accounts.authenticate(c, "ana", "right-password", now))
    with pytest.raises(accounts.LoginRefused) as unknown:
        with_con(registry, lambda c: accounts.authenticate(c, "nobody", "right-password", now))
    assert locked.value.message("nl") == unknown.value.message("nl")


@pytest.mark.parametrize("password", ["azertyuiop", "Password1234", "MotDePasse123", "Coord-Admin"])
def test_common_passwords_and_the_username_are_refused_by_cli_and_app(cli, registry, password):
    add = ("users", "add", "coord-admin", "--role", "coordinator")
    code, out, err = cli(*add, "--password", password)
    assert code == 1 and password not in out + err
    assert t("password_common", "fr") in err
    with pytest.raises(EpnError) as refused:
        create_account(SYSTEM, "coord-admin", "coordinator", password=password, db=registry)
    assert refused.value.code == "password_common"


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
    assert failed_login(registry, "ana", "right", now) == "login_refused"  # locked, unsaid
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
    assert code == 0 and "coord" in out and "pw-long-enough" not in out  # never echoed
    code, out, _ = cli("users", "reset-password", "coord", "--password", "another-long-one")
    assert code == 0 and "another-long-one" not in out
    code, out, _ = cli("users", "add", "generated", "--role", "coordinator")
    shown = out.split(": ")[-1].split()[0]  # a generated one is printed, once
    assert code == 0 and len(shown) >= 16
    assert cli("users", "add", "coord", "--role", "coordinator")[0] == 1
    assert cli("users", "set-role", "coord", "--role", "epn_user", "--epn-id", "EPN-0002")[0] == 0
    assert cli("users", "disable", "coord")[0] == 0
    code, out, _ = cli("users", "list", "--json")
    assert '"epn_id": "EPN-0002"' in out and '"disabled": true' in out
