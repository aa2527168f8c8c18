"""What each role may read and do, by every route: the data access layer called directly,
the pages (navigation, forms, query parameters, session state), and the audit of refusals."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_fixtures import (
    ACCOUNTS,
    REGISTRY_CSV,
    YEAR,
    csv_bytes,
    log_in,
    statistics_files,
    weekly_lines,
)

import dashboards.queries
from dashboards import queries, upload_handler
from dashboards.exports import to_csv_bytes
from demo.accounts import create_demo_accounts, demo_password
from epn.errors import EpnError
from epn.principal import ADMIN, COORDINATOR, COPIL, EPN_USER, REGION, Principal
from services.access import ACTIONS, AccessDenied, can, require, require_role, upload_scope
from services.accounts import (
    change_role,
    create_account,
    reset_account_password,
    set_account_disabled,
)
from warehouse import accounts
from warehouse.db import connect, transaction
from warehouse.finding_review import FindingKey

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 60
PEOPLE = {name: Principal(name, role, epn) for name, (role, epn) in ACCOUNTS.items()}
COORD, COMMITTEE, ANALYST, ROOT = (PEOPLE[n] for n in ("coord", "copil", "analyst", "root"))
EPN_1 = PEOPLE["anderlecht"]
# What names one EPN in a result: its id and its name (the registry of the test warehouse).
EPN_MARKS = {
    line.split(",")[0]: line.split(",")[1] for line in REGISTRY_CSV.splitlines()[2:] if line
}
# Arguments for the data access functions, by parameter name.
ARGS = {
    "year": YEAR,
    "today": dt.date(YEAR + 1, 1, 15),
    "first": dt.date(YEAR, 1, 1),
    "last": dt.date(YEAR, 12, 30),
    "lang": "fr",
    "epn_id": "EPN-0001",
    "sha256": "0" * 64,
    "identity": {"name": "Espace numérique", "commune_nis": 21001},
    "document_id": 1,
    "username": "someone",
    "role": COORDINATOR,
    "disabled": True,
    "password": None,
    "roles": (COORDINATOR,),  # a dashboard reserved to the coordinator
    "communes": None,
    "authority_types": None,
    "first_year": None,
    "breaches_only": False,
    "top": 5,
    "as_of": None,
    "changes": {"min_public_hours": 20.0},  # the what-if's changed thresholds
    "years": [YEAR],
    "key": FindingKey("EPN-0001", YEAR, "opening_hours_min"),  # a finding's review thread
}


@pytest.fixture
def at(warehouse) -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def refusals(path: Path) -> list[dict]:
    with connect(path) as con:
        rows = con.execute(
            "SELECT username, target, detail->>'code', detail FROM audit_log"
            " WHERE action = 'access_denied' ORDER BY audit_id"
        ).fetchall()
    return [dict(zip(("username", "target", "code", "detail"), r, strict=True)) for r in rows]


def uploads_count(path: Path) -> int:
    with connect(path) as con:
        return con.execute("SELECT count(*) FROM upload").fetchone()[0]


def data_functions():
    """Every function of the data access layer that takes the Principal first."""
    for module_info in pkgutil.iter_modules(dashboards.queries.__path__):
        module = importlib.import_module(f"dashboards.queries.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            parameters = list(inspect.signature(function).parameters)
            public = not name.startswith("_")  # private helpers serve the public ones
            if (
                public
                and function.__module__ == module.__name__
                and parameters[:1] == ["principal"]
            ):
                yield f"{module_info.name}.{name}", function


VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def call(function, principal: Principal, **extra):
    """Calls ``function`` with the arguments its required parameters name, plus ``extra``."""
    kwargs = {}
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.default is parameter.empty and parameter.kind not in VARIADIC:
            assert parameter.name in ARGS, f"add an argument for {parameter.name!r} to ARGS"
            kwargs[parameter.name] = ARGS[parameter.name]
        elif parameter.name in extra:
            kwargs[parameter.name] = extra[parameter.name]
    return function(principal, **kwargs)


def mentioned_epns(result) -> set[str]:
    if hasattr(result, "to_csv"):
        text = result.to_csv()
    elif isinstance(result, bytes):
        text = result.decode("latin-1")
    else:
        text = repr(result)
    return {epn for epn, name in EPN_MARKS.items() if epn in text or name in text}


# --- the rights table ---------------------------------------------------------------------


def test_what_each_role_may_do():
    roles = (EPN_USER, COORDINATOR, COPIL, REGION, ADMIN)
    allowed = {role: {a for a in ACTIONS if can(Principal("x", role), a)} for role in roles}
    assert allowed == {
        EPN_USER: {"upload"},
        COORDINATOR: {
            "upload",
            "upload.record_receipt",
            "registry.read",
            "registry.coordinator_step",
            "audit.read",
            "charter.read",
            "charter.propose",
        },
        COPIL: {"registry.read", "registry.copil_decision", "charter.read", "charter.adopt"},
        REGION: set(),
        ADMIN: {"accounts.manage"},
    }
    assert not can(None, "upload")
    with pytest.raises(ValueError):
        can(COORD, "registry.delete_everything")


# --- refusals are audited -------------------------------------------------------------------


def test_every_refusal_is_audited_with_the_user_and_what_was_asked(warehouse):
    with pytest.raises(AccessDenied):
        queries.findings(ANALYST, YEAR, "fr")
    with pytest.raises(AccessDenied) as caught:
        require_role(COMMITTEE, COORDINATOR, what="registry.recommend")
    assert "Ce refus a été enregistré" in caught.value.message("fr")
    first, second = refusals(warehouse)[-2:]
    assert first["username"] == "analyst" and first["target"].endswith("findings.findings")
    assert first["code"] == "app.access_denied"
    assert (second["username"], second["target"]) == ("copil", "registry.recommend")


def test_a_refusal_stays_recorded_when_the_callers_transaction_fails(warehouse):
    with connect(warehouse) as con:
        with pytest.raises(AccessDenied), transaction(con):
            con.execute("INSERT INTO audit_log (action, outcome) VALUES ('marker', 'ok')")
            require(COMMITTEE, "registry.coordinator_step", what="registry.visit")
        assert (
            con.execute("SELECT count(*) FROM audit_log WHERE action = 'marker'").fetchone()[0] == 0
        )
    assert refusals(warehouse)[-1]["target"] == "registry.visit"


# --- an EPN user: its own EPN only ------------------------------------------------------------


def test_an_epn_user_reads_nothing_of_another_epn_through_any_query(warehouse):
    others = set(EPN_MARKS) - {"EPN-0001"}
    for name, function in data_functions():
        for extra in ({}, {"epn_id": "EPN-0002"}):
            try:
                result = call(function, EPN_1, **extra)
            except AccessDenied:
                continue
            except EpnError:
                continue  # a plain refusal in the user's words (say, nothing to show)
            assert not mentioned_epns(result) & others, f"{name}({extra}) leaks {result!r}"


def test_an_epn_user_cannot_file_another_epns_statistics(warehouse):
    before = uploads_count(warehouse)
    file = statistics_files()["stats-0002-0003.csv"]
    outcome = upload_handler.handle_upload(EPN_1, "theirs.csv", file, False, "fr")
    assert outcome.status == "failed" and "EPN-0002" in outcome.failure
    assert uploads_count(warehouse) == before
    refusal = refusals(warehouse)[-1]
    assert refusal["username"] == "anderlecht" and refusal["code"] == "app.upload.other_epns"


# --- COPIL and Region: no uploads, no coordinator steps -------------------------------------


@pytest.mark.parametrize("principal", [COMMITTEE, ANALYST], ids=["copil", "region"])
def test_readers_cannot_upload_or_record_coordinator_steps(warehouse, principal):
    before = uploads_count(warehouse)
    with pytest.raises(AccessDenied):
        upload_scope(principal)
    with pytest.raises(AccessDenied):
        require(principal, "registry.coordinator_step", what="registry.recommend")
    data = statistics_files()["stats-0001.csv"]
    outcome = upload_handler.handle_upload(principal, "x.csv", data, False, "fr")
    assert outcome.status == "failed"
    assert uploads_count(warehouse) == before
    assert [r["username"] for r in refusals(warehouse)[-3:]] == [principal.username] * 3


def test_a_region_analyst_gets_aggregates_only_from_every_query(warehouse):
    for name, function in data_functions():
        for extra in ({}, {"epn_id": "EPN-0001"}):
            try:
                result = call(function, ANALYST, **extra)
            except AccessDenied:
                continue
            assert not mentioned_epns(result), f"{name}({extra}) shows EPNs: {result!r}"
            if hasattr(result, "columns"):
                assert not {"epn_id", "epn_ids", "name"} & set(result.columns), name


def test_the_administrator_reads_no_data(warehouse):
    for name, function in data_functions():
        if name.startswith("accounts."):
            continue
        with pytest.raises(AccessDenied):
            call(function, ROOT)


@pytest.mark.parametrize("username", ["coord", "copil", "analyst", "anderlecht"])
def test_only_the_administrator_manages_accounts(warehouse, username):
    principal = PEOPLE[username]
    for action in (
        lambda: queries.account_list(principal),
        lambda: create_account(principal, "intruder", ADMIN, password="long-enough-pw"),
        lambda: set_account_disabled(principal, "root", True),
        lambda: change_role(principal, username, ADMIN, None),
        lambda: reset_account_password(principal, "root", "long-enough-pw"),
    ):
        with pytest.raises(AccessDenied):
            action()
    assert [u["role"] for u in accounts_of(warehouse) if u["username"] == username] == [
        ACCOUNTS[username][0]
    ]


@pytest.mark.parametrize("username", ["copil", "analyst", "anderlecht", "root"])
def test_only_the_coordinator_reads_the_audit_log(warehouse, username):
    with pytest.raises(AccessDenied):
        queries.audit_entries(PEOPLE[username])
    assert not queries.audit_entries(COORD).empty


def accounts_of(path: Path) -> list[dict]:
    with connect(path) as con:
        return accounts.list_users(con)


# --- the administrator's account functions --------------------------------------------------


def test_account_changes_check_what_the_form_sent(warehouse):
    generated = create_account(ROOT, " molenbeek ", EPN_USER, "EPN-0003", "Molenbeek", "m@x.be")
    assert len(generated) >= 10
    with connect(warehouse) as con:
        assert accounts.authenticate(con, "molenbeek", generated).epn_id == "EPN-0003"
    for bad, code in (
        (lambda: create_account(ROOT, "a b", COPIL), "app.accounts.bad_username"),
        (lambda: create_account(ROOT, "molenbeek", COPIL), "app.accounts.exists"),
        (lambda: create_account(ROOT, "nobody", EPN_USER), "app.accounts.epn_needed"),
        (
            lambda: create_account(ROOT, "shorty", COPIL, password="short"),
            "app.accounts.short_password",
        ),
        (lambda: set_account_disabled(ROOT, "root", True), "app.accounts.not_yourself"),
        (lambda: change_role(ROOT, "root", COPIL, None), "app.accounts.not_yourself"),
    ):
        with pytest.raises(EpnError) as caught:
            bad()
        assert caught.value.code == code
    set_account_disabled(ROOT, "molenbeek", True)
    change_role(ROOT, "copil", REGION, None)
    password = reset_account_password(ROOT, "anderlecht", None)
    users = {u["username"]: u for u in accounts_of(warehouse)}
    assert users["molenbeek"]["disabled"] and users["copil"]["role"] == REGION
    with connect(warehouse) as con:
        assert accounts.authenticate(con, "anderlecht", password).username == "anderlecht"
        actions = [
            r[0]
            for r in con.execute("SELECT action FROM audit_log WHERE username = 'root'").fetchall()
        ]
    assert {"account_add", "account_disable", "account_role", "account_password"} <= set(actions)


def test_demo_accounts_one_per_role_and_idempotent(registry):
    warehouse = registry  # EPN-0001 and EPN-0002 labelled, EPN-0003 applying; no accounts
    first = create_demo_accounts(warehouse)
    assert {a["role"] for a in first} == {COORDINATOR, COPIL, REGION, ADMIN, EPN_USER}
    epn_user = next(a for a in first if a["role"] == EPN_USER)
    assert epn_user["epn_id"] == "EPN-0001" and all(a["created"] for a in first)
    assert create_demo_accounts(warehouse) == [{**a, "created": False} for a in first]
    with connect(warehouse) as con:
        for account in first:
            signed = accounts.authenticate(con, account["username"], demo_password(account["role"]))
            assert signed.role == account["role"]


def test_the_audit_csv_defuses_formulas_and_reads_in_excel():
    import pandas as pd

    frame = pd.DataFrame({"Objet": ["=HYPERLINK(1)", "ok"], "Quand": ["a", None]})
    data = to_csv_bytes(frame, "fr")
    assert data.startswith("\ufeff".encode()) and b"'=HYPERLINK(1)" in data


# --- pages: navigation per role -------------------------------------------------------------


def opens(at: AppTest, view: str) -> bool:
    try:
        at.switch_page(view)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("coord", {"overview", "findings", "upload", "audit"}),
        ("copil", {"overview", "findings"}),
        ("analyst", {"overview"}),
        ("anderlecht", {"overview", "findings", "upload"}),
        ("root", {"accounts"}),
    ],
)
def test_each_role_gets_its_pages_only(at, username, expected):
    at = log_in(at, username)
    assert not at.exception
    mine = {"overview", "findings", "upload", "audit", "accounts"}
    assert {v for v in mine if opens(at, f"views/{v}.py")} == expected


# --- pages: an EPN user cannot reach another EPN by any route -------------------------------


def test_an_epn_user_ignores_forged_query_parameters_and_session_state(at, warehouse):
    at = log_in(at, "anderlecht")
    at.query_params.update(
        {"epn": "EPN-0002", "epn_id": "EPN-0002", "user": "coord", "role": COORDINATOR}
    )
    for key, value in {
        "epn_id": "EPN-0002",
        "role": COORDINATOR,
        "username": "coord",
        "principal": COORD,
    }.items():
        at.session_state[key] = value
    at.switch_page("views/findings.py").run()
    assert not at.exception
    assert set(at.dataframe[0].value["EPN"]) == {"EPN-0001"}
    assert at.multiselect(key="f_epn").options == ["EPN-0001 — Espace numérique d'Anderlecht"]
    at.multiselect(key="f_epn").set_value(["EPN-0002"]).run()  # not an option: dropped
    assert at.multiselect(key="f_epn").value == []
    assert set(at.dataframe[0].value["EPN"]) == {"EPN-0001"}
    at.switch_page("views/upload.py").run()
    assert at.dataframe[-1].value["Fichier"].tolist() == ["stats-0001.csv"]
    assert "**anderlecht**" in at.sidebar.caption[0].value
    assert not opens(at, "views/audit.py")


def test_an_epn_user_uploading_another_epns_file_is_refused_by_the_page(at, warehouse):
    at = log_in(at, "anderlecht").switch_page("views/upload.py").run()
    before = uploads_count(warehouse)
    data = csv_bytes(weekly_lines("EPN-0002", 2025, visits=3)[:2])
    at.file_uploader(key="upload_file").upload("ixelles.csv", data, "text/csv")
    at.button(key="upload_submit").click().run()
    assert not at.exception
    assert "EPN-0002" in at.error[0].value
    assert uploads_count(warehouse) == before
    assert refusals(warehouse)[-1]["username"] == "anderlecht"


# --- pages: the administrator's accounts page -----------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_accounts_page_lists_every_account(at, lang):
    at.session_state["lang"] = lang
    at = log_in(at, "root")
    assert not at.exception and not at.error
    listing = at.dataframe[0].value
    assert len(listing) == len(ACCOUNTS) and set(listing.iloc[:, 0]) == set(ACCOUNTS)


def test_the_administrator_creates_an_account_and_sees_its_password_once(at, warehouse):
    at = log_in(at, "root")
    at.text_input(key="acc_new_username").input("molenbeek")
    at.selectbox(key="acc_new_role").set_value(EPN_USER)
    at.selectbox(key="acc_new_epn").set_value("EPN-0003")
    at.button(key="acc_add_submit").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Compte « molenbeek » créé."
    password = at.code[0].value
    with connect(warehouse) as con:
        assert accounts.authenticate(con, "molenbeek", password).epn_id == "EPN-0003"
    at.run()
    assert not at.code  # shown once
    assert "molenbeek" in set(at.dataframe[0].value.iloc[:, 0])


def test_the_administrator_disables_and_cannot_disable_themselves(at, warehouse):
    at = log_in(at, "root")
    at.selectbox(key="acc_pick").set_value("copil")
    at.button(key="acc_switch").click().run()
    assert at.success[0].value == "Compte « copil » mis à jour."
    assert next(u for u in accounts_of(warehouse) if u["username"] == "copil")["disabled"]
    at.selectbox(key="acc_pick").set_value("root")
    at.button(key="acc_switch").click().run()
    assert "propre compte" in at.error[0].value
    assert not next(u for u in accounts_of(warehouse) if u["username"] == "root")["disabled"]


# --- pages: the coordinator's audit page ----------------------------------------------------


def test_the_audit_page_shows_who_did_what_and_filters(at, warehouse):
    with pytest.raises(AccessDenied):
        queries.epn_list(ANALYST, "fr")
    at = log_in(at, "coord").switch_page("views/audit.py").run()
    assert not at.exception and not at.error
    entries = at.dataframe[0].value
    assert list(entries.columns) == [
        "Quand",
        "Utilisateur",
        "Action",
        "Objet",
        "Résultat",
        "Détail",
    ]
    assert {"connexion", "dépôt de fichier", "accès refusé"} <= set(entries["Action"])
    at.multiselect(key="audit_action").set_value(["access_denied"]).run()
    refused = at.dataframe[0].value
    assert set(refused["Utilisateur"]) == {"analyst"} and set(refused["Résultat"]) == {"refusé"}
    assert at.get("download_button")
    at.multiselect(key="audit_user").set_value(["coord"]).run()
    assert "Aucune entrée" in at.info[0].value


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_audit_page_in_other_languages(at, lang):
    at.session_state["lang"] = lang
    at = log_in(at, "coord").switch_page("views/audit.py").run()
    assert not at.exception and not at.error and len(at.title) == 1
