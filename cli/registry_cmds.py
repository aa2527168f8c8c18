"""``epn registry ...``: import, list and show here; the steps, papers and public lists beside.

The other commands live in ``registry_apply`` (application, attachments), ``registry_steps``
(the procedure's later steps), ``registry_papers`` (documents received and printed) and
``registry_public`` (directory and withdrawal candidates).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import registry_apply, registry_papers, registry_public, registry_steps
from cli.common import (
    DbOption,
    EpnIdArgument,
    JsonOption,
    LangOption,
    db_path,
    one_of,
    print_json,
    say,
    warn,
)
from cli.readable import commune_names, when
from epn.errors import EpnError
from epn.i18n import t
from epn.input_files import check_input_file
from registry.workflow import STATUSES

app = typer.Typer(
    help="The labelling registry: EPNs, their applications and labels.", no_args_is_help=True
)


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The registry CSV file.")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Load a registry CSV (standard §1); rejected rows are listed, none is half-loaded."""
    from registry.importer import import_registry
    from warehouse.db import connect, transaction

    check_input_file(file)
    with connect(db_path(db)) as con, transaction(con):
        result = import_registry(con, file.read_bytes())
    rejected = [p.to_dict(lang) for p in result["rejected"]]
    if json:
        print_json({**result, "rejected": rejected})
    else:
        say(
            t(
                "registry_import_summary",
                lang,
                loaded=len(result["loaded"]),
                unchanged=len(result["unchanged"]),
                rejected=len({e["row"] for e in rejected}),
            )
        )
        from cli.ingest_cmd import problem_line  # the same words as a rejected file's

        for error in rejected:
            warn(problem_line(error, lang))
    if rejected:
        raise typer.Exit(1)


@app.command("list")
def list_cmd(
    db: DbOption = None,
    json: JsonOption = False,
    status: Annotated[
        str | None,
        typer.Option(
            help=f"Only the EPNs of this status: {', '.join(STATUSES)}.",
            parser=one_of("--status", STATUSES),
        ),
    ] = None,
    lang: LangOption = "fr",
):
    """Every EPN with its current label status."""
    from registry import queries
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        epns = queries.list_epns(con, status)
        communes = {} if json else commune_names(con, lang)
    if json:
        print_json(epns)
        return
    for epn in epns:
        shown = status_word(epn["status"], lang)
        commune = communes.get(epn["commune_nis"], epn["commune_nis"])
        say(f"{epn['epn_id']:<12} {shown:<12} {commune:<22} {epn['name']}")


@app.command()
def show(
    epn_id: EpnIdArgument, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"
):
    """The EPN, its status and its full history of events."""
    from registry import service
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        state = service.show(con, epn_id)
    if state is None:
        raise EpnError("step_unknown_epn", epn_id=epn_id)
    if json:
        print_json(state)
        return
    say(f"{state['epn_id']} — {state['name']} — {status_word(state['status'], lang)}")
    for event in state["history"]:
        say(
            f"  {when(event['occurred_on'], lang)}  {t('step.' + event['event'], lang)}"
            f"{'  — ' + event['note'] if event['note'] else ''}"
        )


def status_word(status: str, lang: str) -> str:
    return t(f"app.registry.status.{status}", lang)


app.command("apply")(registry_apply.apply)
app.command("attach")(registry_apply.attach)
for _name in ("recommend", "visit", "ratify", "reject", "sign", "withdraw"):
    app.command(_name)(getattr(registry_steps, _name))
app.command("documents")(registry_papers.documents)
app.command("charter")(registry_papers.charter)
app.command("application-form")(registry_papers.application_form)
app.command("export")(registry_public.export)
app.command("candidates")(registry_public.candidates)
