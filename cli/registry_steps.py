"""``epn registry recommend|visit|ratify|reject|sign|withdraw``: the procedure's steps.

Each step goes through ``services.registry_steps.perform``: its own transaction, nothing written
when refused, and an audit row either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    EpnIdArgument,
    JsonOption,
    LangOption,
    check_year,
    db_path,
    parse_date,
    print_json,
    say,
    warn,
)
from epn.i18n import t
from epn.principal import SYSTEM
from epn.standard import WITHDRAWAL_REASONS

Reason = Enum("Reason", {code: code for code in WITHDRAWAL_REASONS}, type=str)
OnOption = Annotated[str, typer.Option("--on", help="Date of the step, YYYY-MM-DD.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note kept with the step.")]
USER = SYSTEM.username  # the CLI is the coordinator's own tool


def run_step(db, step: str, epn_id: str, run: Callable) -> tuple[int, dict]:
    """Performs the step (audited), then reads the EPN's new state."""
    from registry import service
    from services.registry_steps import perform
    from warehouse.db import connect

    event_id = perform(SYSTEM, step, epn_id, run, db_path(db))
    with connect(db_path(db)) as con:
        return event_id, service.show(con, epn_id)


def report(event_id: int, state: dict, lang: str, json_out: bool) -> None:
    if json_out:
        print_json(state)
    else:
        say(
            t(
                "registry_step_done",
                lang,
                epn_id=state["epn_id"],
                status=t(f"app.registry.status.{state['status']}", lang),
                event_id=event_id,
            )
        )


def recommend(
    epn_id: EpnIdArgument,
    favourable: Annotated[
        bool | None,
        typer.Option(
            "--favourable/--unfavourable",
            show_default=False,
            help="The recommendation: favourable or unfavourable.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Date of the recommendation, YYYY-MM-DD (default: today)."),
    ] = None,
    note: NoteOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """The coordinator's recommendation to the working group (status recommended)."""
    from registry import service

    if favourable is None:
        raise typer.BadParameter(t("recommend_needs_choice", lang), param_hint="--favourable")
    day = parse_date(on, dt.date.today())
    report(
        *run_step(
            db,
            "recommend",
            epn_id,
            lambda con: service.recommend(con, epn_id, favourable, day, note, user=USER),
        ),
        lang,
        json,
    )


def _simple_step(step: str, doc: str):
    """visit, ratify, reject and sign: an EPN, a date and an optional note."""

    def command(
        epn_id: EpnIdArgument,
        on: OnOption,
        note: NoteOption = None,
        db: DbOption = None,
        json: JsonOption = False,
        lang: LangOption = "fr",
    ):
        from registry import service

        day = parse_date(on)
        run = getattr(service, step)
        report(
            *run_step(db, step, epn_id, lambda con: run(con, epn_id, day, note, user=USER)),
            lang,
            json,
        )

    command.__name__, command.__doc__ = step, doc
    return command


visit = _simple_step("visit", "An optional courtesy visit (status unchanged).")
ratify = _simple_step("ratify", "The COPIL ratifies the label (status ratified).")
reject = _simple_step("reject", "The COPIL rejects the application (status rejected).")
sign = _simple_step("sign", "The EPN countersigned the charter (status labelled since that date).")


def withdraw(
    epn_id: EpnIdArgument,
    on: OnOption,
    reason: Annotated[Reason, typer.Option("--reason", help="Why the label is withdrawn.")],
    finding_year: Annotated[
        int | None,
        typer.Option(
            "--finding-year",
            help="Keep the EPN's breach findings of that year with the withdrawal.",
        ),
    ] = None,
    note: NoteOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Withdraw the label (status withdrawn), citing the findings that motivate it."""
    from registry import service

    day = parse_date(on)
    if finding_year is not None:
        check_year(finding_year)
    event_id, state = run_step(
        db,
        "withdraw",
        epn_id,
        lambda con: service.withdraw(
            con, epn_id, day, reason.value, note, user=USER, finding_year=finding_year, lang=lang
        ),
    )
    if finding_year is not None and not state["history"][-1]["data"]["findings"]:
        warn(t("registry_no_breach_findings", lang, epn_id=epn_id, year=finding_year))
    report(event_id, state, lang, json)
