"""The ``epn`` command (command-line contract, version 1)."""

from __future__ import annotations

import atexit
import copy
import os
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer's own click
from typer._click.exceptions import UsageError as ClickUsageError

from cli import coercion
from cli.backup_cmd import backup, check, restore
from cli.charter_cmd import app as charter_app
from cli.common import command_language
from cli.compliance_cmd import compliance
from cli.demo_cmd import demo
from cli.findings_cmd import app as findings_app
from cli.help_words import localize
from cli.indicators_cmd import indicators
from cli.ingest_cmd import ingest
from cli.publish_cmd import publish
from cli.readable import error_text
from cli.registry_cmds import app as registry_app
from cli.reminders_cmd import reminders
from cli.report_cmd import report
from cli.standard_cmd import standard
from cli.template_cmd import template
from cli.uploads_cmd import app as uploads_app
from cli.usage import usage_lines
from cli.users_cmd import app as users_app
from epn.errors import EpnError
from epn.i18n import t

coercion.install()  # before any command parses its options: no pydantic on the way
app = typer.Typer(
    help="EPN label: registry, ingestion of reports and statistics, charter compliance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


@app.callback()
def epn() -> None:
    """A group even when narrowed to one command (``only_what_runs``): `epn NAME ...`."""


app.add_typer(registry_app, name="registry")
app.add_typer(users_app, name="users")
app.add_typer(uploads_app, name="uploads")
app.add_typer(charter_app, name="charter")
app.add_typer(findings_app, name="findings")
app.command()(ingest)
app.command()(compliance)
app.command()(indicators)
app.command()(report)
app.command()(demo)
app.command()(reminders)
app.command()(template)
app.command()(standard)
app.command()(publish)
app.command()(backup)
app.command()(restore)
app.command()(check)


def main(argv: list[str] | None = None) -> int:
    """Runs the CLI; errors become plain words on stderr and the contract's exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    lang = command_language(args)
    try:
        # help screens in the reader's language (Click's fixed words are English)
        command = localize(typer.main.get_command(only_what_runs(app, args)), lang)
        # without standalone mode, click returns the exit status of typer.Exit
        status = command.main(args=args, prog_name="epn", standalone_mode=False)
    except EpnError as error:
        typer.echo(error_text(error, lang), err=True)  # dates and codes in words
        return error.exit_code
    except typer.Exit as stop:
        return stop.exit_code
    except typer.Abort:
        return 1
    except NoArgsIsHelpError as error:
        error.show()  # the help screen of a group called without a command
        return 2
    except ClickUsageError as error:
        typer.echo("\n".join(usage_lines(error, lang)), err=True)
        return 2
    except ClickException as error:
        typer.echo(t("cli.usage_error", lang, message=error.format_message()), err=True)
        return 1
    except Exception as error:  # noqa: BLE001 - a traceback shown to a user is a bug
        typer.echo(t("internal_error", lang, detail=f"{type(error).__name__}: {error}"), err=True)
        return 1
    return status if isinstance(status, int) else 0


def only_what_runs(typer_app: typer.Typer, args: list[str]) -> typer.Typer:
    """The app narrowed to the command the arguments name, when they name one exactly.

    Typer reads the signature of every command before running any; with about fifty
    commands that cost more than a short command's own work. A help screen or a mistyped
    name still gets the whole app (its list of commands, its suggestions).
    """
    if not args:
        return typer_app
    for command in typer_app.registered_commands:
        if command_name(command) == args[0]:
            narrowed = copy.copy(typer_app)
            narrowed.registered_commands, narrowed.registered_groups = [command], []
            return narrowed
    for group in typer_app.registered_groups:
        if group.name == args[0]:
            inner = only_what_runs(group.typer_instance, args[1:])
            if inner is group.typer_instance:
                return typer_app
            narrowed, narrowed_group = copy.copy(typer_app), copy.copy(group)
            narrowed_group.typer_instance = inner
            narrowed.registered_commands, narrowed.registered_groups = [], [narrowed_group]
            return narrowed
    return typer_app


def command_name(command) -> str:
    """The name Typer gives a registered command."""
    return command.name or command.callback.__name__.lower().replace("_", "-")


def run() -> None:
    status = main()
    finish(status)


def finish(status: int) -> None:
    """Ends the process once the command is done, without the interpreter's teardown.

    Clearing every module of pandas, Pandera and Ibis one object at a time costs 0.2 to
    0.5 s after the work is over (a third of a short command); it frees memory the system
    frees anyway. What a program may count on at exit still happens: the exit handlers run
    (temporary files, worker processes), the output is flushed, the status is the command's.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what was written is all there is
            status = status or 1
    os._exit(status)
