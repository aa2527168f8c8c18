"""``epn reminders``: what each labelled EPN owes, and with ``--send`` an e-mail to each."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, parse_date, print_json, say
from epn.i18n import t
from epn.principal import SYSTEM


def reminders(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The day reminders speak of, YYYY-MM-DD (default: today)."),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="E-mail each EPN its reminder (else only list them).")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """List what each labelled EPN owes (statistics, annual report); --send e-mails them."""
    from services import reminders as service

    day = parse_date(as_of, dt.date.today())
    run = service.send if send else service.preview
    found = run(SYSTEM, day, db_path(db), lang)
    if json:
        print_json([r.to_dict() for r in found])
    elif not found:
        say(t("reminders.cli.none", lang, date=day.strftime("%d/%m/%Y")))
    else:
        for r in found:
            say(
                t(
                    "reminders.cli.line",
                    lang,
                    epn_id=r.owed.epn_id,
                    name=r.owed.name,
                    owed=r.summary(lang),
                    recipient=r.owed.contact_email or t("reminders.no_recipient", lang),
                    outcome=t(f"reminders.outcome.{r.outcome}", lang),
                )
            )
        if send:
            counts = {k: sum(r.outcome == k for r in found) for k in ("sent", "failed")}
            say(
                t(
                    "reminders.cli.summary",
                    lang,
                    **counts,
                    no_contact=sum(r.outcome == "no_contact" for r in found),
                    recent=sum(r.outcome == "recent" for r in found),
                )
            )
    if send:
        for r in found:
            if r.outcome in ("failed", "no_contact"):
                typer.echo(r.detail, err=True)
        if any(r.outcome == "failed" for r in found):
            raise typer.Exit(1)
