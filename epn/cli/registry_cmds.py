"""``epn registry ...``: import, list, the labelling steps and the public directory."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from epn.cli.common import DbOption, JsonOption, LangOption, db_path, parse_date, print_json, say, warn
from epn.errors import EpnError
from epn.i18n import t
from epn.standard import AUTHORITY_TYPES
from registry import queries, service
from registry.importer import import_registry
from warehouse.db import connect, transaction

app = typer.Typer(help="The labelling registry: EPNs, their applications and labels.",
                  no_args_is_help=True)

AuthorityType = Enum("AuthorityType", {code: code for code in AUTHORITY_TYPES}, type=str)
Channel = Enum("Channel", {code: code for code in service.CHANNELS}, type=str)
Reason = Enum("Reason", {code: code for code in service.WITHDRAWAL_REASONS}, type=str)
OnOption = Annotated[str, typer.Option("--on", help="Date of the step, YYYY-MM-DD.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note kept with the step.")]


@app.command("import")
def import_cmd(file: Path, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"):
    """Load a registry CSV (standard §1); rejected rows are listed, none is half-loaded."""
    if not file.is_file():
        raise EpnError("file_not_found", path=file)
    with connect(db_path(db)) as con, transaction(con):
        result = import_registry(con, file.read_bytes())
    rejected = [p.to_dict(lang) for p in result["rejected"]]
    if json:
        print_json({**result, "rejected": rejected})
    else:
        say(t("registry_import_summary", lang, loaded=len(result["loaded"]),
              unchanged=len(result["unchanged"]),
              rejected=len({e["row"] for e in rejected})))
        for error in rejected:
            warn(t("error_line", lang, **error))
    if rejected:
        raise typer.Exit(1)


@app.command("list")
def list_cmd(db: DbOption = None, json: JsonOption = False, status: str | None = None):
    """Every EPN with its current label status."""
    with connect(db_path(db)) as con:
        epns = queries.list_epns(con, status)
    if json:
        print_json(epns)
        return
    for epn in epns:
        say(f"{epn['epn_id']:<12} {epn['status']:<12} {epn['commune_nis']}  {epn['name']}")


def _step(db, epn_id: str, run, lang: str, json_out: bool) -> None:
    """Runs one step in its own transaction and shows the resulting state."""
    with connect(db_path(db)) as con, transaction(con):
        event_id = run(con)
        state = service.show(con, epn_id)
    if json_out:
        print_json(state)
    else:
        say(t("registry_step_done", lang, epn_id=state["epn_id"], status=state["status"],
              event_id=event_id))



@app.command()
def apply(
    epn_id: Annotated[str, typer.Option("--epn-id")],
    name: Annotated[str, typer.Option("--name")],
    commune_nis: Annotated[int, typer.Option("--commune-nis", min=21001, max=21019)],
    authority_name: Annotated[str, typer.Option("--authority-name")],
    authority_type: Annotated[AuthorityType, typer.Option("--authority-type")],
    received_on: Annotated[str | None, typer.Option("--received-on")] = None,
    channel: Annotated[Channel | None, typer.Option("--channel")] = None,
    address: Annotated[str | None, typer.Option("--address")] = None,
    postcode: Annotated[int | None, typer.Option("--postcode", min=1000, max=1210)] = None,
    note: NoteOption = None, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr",
):
    """Record an application (status applied)."""
    identity = {"epn_id": epn_id.strip(), "name": name.strip(), "commune_nis": commune_nis,
                "authority_name": authority_name.strip(), "authority_type": authority_type.value,
                "address": address, "postcode": postcode}
    identity = {k: v for k, v in identity.items() if v is not None}
    day = parse_date(received_on, dt.date.today())
    chan = channel.value if channel else None
    _step(db, identity["epn_id"], lambda con: service.apply(con, identity, day, chan, note=note),
          lang, json)


@app.command()
def recommend(
    epn_id: str,
    favourable: Annotated[bool | None, typer.Option("--favourable/--unfavourable",
                                                    show_default=False)] = None,
    on: Annotated[str | None, typer.Option("--on")] = None,
    note: NoteOption = None, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr",
):
    """The coordinator's recommendation to the working group (status recommended)."""
    if favourable is None:
        raise typer.BadParameter(t("recommend_needs_choice", lang), param_hint="--favourable")
    day = parse_date(on, dt.date.today())
    _step(db, epn_id, lambda con: service.recommend(con, epn_id, favourable, day, note),
          lang, json)


@app.command()
def visit(epn_id: str, on: OnOption, note: NoteOption = None, db: DbOption = None,
          json: JsonOption = False, lang: LangOption = "fr"):
    """An optional courtesy visit (status unchanged)."""
    day = parse_date(on)
    _step(db, epn_id, lambda con: service.visit(con, epn_id, day, note), lang, json)


@app.command()
def ratify(epn_id: str, on: OnOption, note: NoteOption = None, db: DbOption = None,
           json: JsonOption = False, lang: LangOption = "fr"):
    """The COPIL ratifies the label (status ratified)."""
    day = parse_date(on)
    _step(db, epn_id, lambda con: service.ratify(con, epn_id, day, note), lang, json)


@app.command()
def reject(epn_id: str, on: OnOption, note: NoteOption = None, db: DbOption = None,
           json: JsonOption = False, lang: LangOption = "fr"):
    """The COPIL rejects the application (status rejected)."""
    day = parse_date(on)
    _step(db, epn_id, lambda con: service.reject(con, epn_id, day, note), lang, json)


@app.command()
def sign(epn_id: str, on: OnOption, note: NoteOption = None, db: DbOption = None,
         json: JsonOption = False, lang: LangOption = "fr"):
    """The EPN countersigned the charter (status labelled since that date)."""
    day = parse_date(on)
    _step(db, epn_id, lambda con: service.sign(con, epn_id, day, note), lang, json)


@app.command()
def withdraw(epn_id: str, on: OnOption, reason: Annotated[Reason, typer.Option("--reason")],
             note: NoteOption = None, db: DbOption = None, json: JsonOption = False,
             lang: LangOption = "fr"):
    """Withdraw the label (status withdrawn)."""
    day = parse_date(on)
    _step(db, epn_id, lambda con: service.withdraw(con, epn_id, day, reason.value, note),
          lang, json)


@app.command()
def show(epn_id: str, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"):
    """The EPN, its status and its full history of events."""
    with connect(db_path(db)) as con:
        state = service.show(con, epn_id)
    if state is None:
        raise EpnError("step_unknown_epn", epn_id=epn_id)
    if json:
        print_json(state)
        return
    say(f"{state['epn_id']} — {state['name']} — {state['status']}")
    for event in state["history"]:
        say(f"  {event['occurred_on']}  {t('step.' + event['event'], lang)}"
            f"{'  — ' + event['note'] if event['note'] else ''}")
