"""Signing in and out of the app through AppTest, on a real warehouse: the login form,
lock-out, account changes taking effect at the next rerun, forged state, single sign-on."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import log_in, password_of

from epn.i18n import t
from epn.principal import COORDINATOR, EPN_USER, Principal
from epn.settings import get_settings
from warehouse import accounts
from warehouse.db import connect, transaction

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 60
VIEWS = ("views/overview.py", "views/findings.py", "views/upload.py", "views/audit.py")
SSO_SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "epn-app",
        "client_secret": "secret",
        "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration",
    }
}


@pytest.fixture
def at(warehouse) -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def change(path: Path, action, *args) -> None:
    """What the administrator (or ``epn users``) does meanwhile, in another connection."""
    with connect(path) as con, transaction(con):
        action(con, *args, by="admin")


def audit_rows(path: Path, action: str) -> list[tuple]:
    with connect(path) as con:
        return con.execute(
            "SELECT username, outcome, detail->>'reason' FROM audit_log WHERE action = ?"
            " ORDER BY audit_id",
            [action],
        ).fetchall()


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def assert_login_page_only(at: AppTest) -> None:
    assert not at.exception
    assert titles(at) == ["Connexion"]
    assert not at.sidebar.button and not at.dataframe and not at.metric
    for view in VIEWS:
        with pytest.raises(ValueError):
            at.switch_page(view)


# --- signed out ---------------------------------------------------------------------------


def test_a_signed_out_visitor_gets_the_login_page_only(at):
    assert_login_page_only(at.run())
    assert at.text_input(key="login_password").proto.type == 1  # TextInput.PASSWORD
    assert [b.label for b in at.button] == ["Se connecter"]  # no SSO without a provider


def test_the_login_page_switches_language(at):
    at.run().radio(key="lang").set_value("nl").run()
    assert titles(at) == ["Aanmelden"]
    at = log_in(at, "coord")
    assert titles(at) == ["Overzicht"]  # the language outlives the login
    assert at.sidebar.button(key="logout").label == "Afmelden"


def test_forged_session_state_signs_nobody_in(at):
    at.run()
    for key, value in {
        "principal": Principal("coord", COORDINATOR),
        "role": COORDINATOR,
        "username": "coord",
        "user": "coord",
        "epn_id": "EPN-0002",
        "_epn_signed_in": "coord",  # the private key itself, with a plain value
    }.items():
        at.session_state[key] = value
    at.query_params["user"] = "coord"
    at.query_params["role"] = COORDINATOR
    assert_login_page_only(at.run())


# --- password login -----------------------------------------------------------------------


def test_signing_in_shows_the_app_and_is_audited(at, warehouse):
    at = log_in(at, "coord")
    assert not at.exception and not at.error
    assert titles(at) == ["Vue d'ensemble"]
    assert "**coord**" in at.sidebar.caption[0].value
    assert audit_rows(warehouse, "login")[-1] == ("coord", "ok", None)


def test_a_wrong_password_is_refused_with_the_catalogue_message(at, warehouse):
    at = log_in(at, "coord", "not-the-password")
    assert titles(at) == ["Connexion"]
    assert at.error[0].value == t("login_refused", "fr", minutes=get_settings().lockout_minutes)
    assert at.text_input(key="login_password").value == ""  # never kept
    assert audit_rows(warehouse, "login")[-1] == ("coord", "refused", "password")


def test_an_unknown_user_gets_the_same_message(at):
    at = log_in(at, "nobody", "whatever-it-is")
    assert at.error[0].value == t("login_refused", "fr", minutes=get_settings().lockout_minutes)


def test_empty_fields_ask_for_both(at):
    at.run().button(key="login_submit").click().run()
    assert at.error[0].value == "Saisissez votre identifiant et votre mot de passe."


def test_repeated_failures_lock_the_account_even_for_the_right_password(at, warehouse):
    attempts = get_settings().max_failed_logins
    for _ in range(attempts):
        at = log_in(at, "anderlecht", "wrong-password")
    at = log_in(at, "anderlecht")  # the right password, too late
    assert titles(at) == ["Connexion"]
    minutes = get_settings().lockout_minutes
    assert at.error[0].value == t("login_refused", "fr", minutes=minutes)  # locked, unsaid
    reasons = [row[2] for row in audit_rows(warehouse, "login")]
    assert reasons[-attempts - 1 :] == ["password"] * attempts + ["locked"]
    change(warehouse, accounts.reset_password, "anderlecht", password_of("anderlecht"))
    assert titles(log_in(at, "anderlecht")) != ["Connexion"]  # the reset lifts it


def test_signing_out_forgets_the_session(at, warehouse):
    at = log_in(at, "coord").switch_page("views/findings.py").run()
    at.multiselect(key="f_rule").set_value(["opening_hours_min"]).run()
    at.sidebar.button(key="logout").click().run()
    assert_login_page_only(at)
    assert "f_rule" not in at.session_state
    assert audit_rows(warehouse, "logout")[-1] == ("coord", "ok", None)


# --- the account is read again at every rerun -----------------------------------------------


def test_disabling_an_account_signs_it_out_at_the_next_rerun(at, warehouse):
    at = log_in(at, "anderlecht")
    assert titles(at) != ["Connexion"]
    change(warehouse, accounts.set_disabled, "anderlecht", True)
    at.run()
    assert_login_page_only(at)
    assert "désactivé" in at.info[0].value
    assert audit_rows(warehouse, "logout")[-1] == ("anderlecht", "ok", "account_disabled")
    assert titles(log_in(at, "anderlecht")) == ["Connexion"]  # and stays out


def test_a_new_role_ends_the_session_at_the_next_rerun(at, warehouse):
    at = log_in(at, "copil")
    with pytest.raises(ValueError):
        at.switch_page("views/upload.py")
    change(warehouse, accounts.set_role, "copil", COORDINATOR, None)
    at.run()
    assert_login_page_only(at)
    assert at.info[0].value == t("app.session.ended.role_changed", "fr")
    at = log_in(at, "copil")  # signed in again: the new role's pages
    assert "coordinateur régional" in at.sidebar.caption[0].value
    at.switch_page("views/upload.py").run()
    assert titles(at) == ["Déposer des statistiques"]
    change(warehouse, accounts.set_role, "copil", EPN_USER, "EPN-0002")
    at.run()
    assert_login_page_only(at)
    at = log_in(at, "copil")  # now an EPN user of EPN-0002: the upload page lists its files only
    at.switch_page("views/upload.py").run()
    assert "stats-0001.csv" not in at.dataframe[-1].value["Fichier"].tolist()


def test_a_password_reset_ends_the_session_at_the_next_rerun(at, warehouse):
    at = log_in(at, "coord")
    change(warehouse, accounts.reset_password, "coord", "Un-autre-mot-de-passe-42")
    at.run()
    assert_login_page_only(at)
    assert at.info[0].value == t("app.session.ended.password_reset", "fr")


# --- single sign-on -------------------------------------------------------------------------


def set_email(path: Path, username: str, email: str) -> None:
    with connect(path) as con:
        con.execute("UPDATE app_user SET email = ? WHERE username = ?", [email, username])


def with_provider(at: AppTest, email: str | None, **claims) -> AppTest:
    at.secrets = SSO_SECRETS
    at.user = {"is_logged_in": email is not None, "email": email, **claims}
    return at


def test_the_sso_button_shows_only_with_a_provider(at):
    at.run()
    assert not [b for b in at.button if b.key and b.key.startswith("sso_")]
    with_provider(at, None).run()
    assert at.button(key="sso_default").label == "Connexion unique (SSO)"


def test_sso_maps_the_email_to_our_account_and_its_role(at, warehouse):
    set_email(warehouse, "anderlecht", "Accueil@Anderlecht.example")
    at = with_provider(at, "accueil@anderlecht.example", role="coordinator").run()
    assert not at.exception
    assert "**anderlecht**" in at.sidebar.caption[0].value  # an EPN user, whatever the claims
    assert "(EPN)" in at.sidebar.caption[0].value
    assert audit_rows(warehouse, "login")[-1] == ("anderlecht", "ok", None)
    at.sidebar.button(key="logout").click().run()
    assert_login_page_only(at)  # st.logout ended the provider's session too


def test_sso_refuses_an_unknown_email_once(at, warehouse):
    at = with_provider(at, "stranger@example.org").run()
    assert titles(at) == ["Connexion"]
    assert "stranger@example.org" in at.warning[0].value
    at.run()
    refused = [row for row in audit_rows(warehouse, "login") if row[0] == "stranger@example.org"]
    assert refused == [("stranger@example.org", "refused", "unknown_email")]


def test_sso_refuses_a_disabled_account_and_an_unverified_email(at, warehouse):
    set_email(warehouse, "coord", "coord@region.example")
    change(warehouse, accounts.set_disabled, "coord", True)
    assert titles(with_provider(at, "coord@region.example").run()) == ["Connexion"]
    change(warehouse, accounts.set_disabled, "coord", False)
    at = with_provider(at, "coord@region.example", email_verified=False).run()
    assert titles(at) == ["Connexion"]
