"""The ``epn`` command (command-line contract, version 1)."""

from __future__ import annotations

import sys

import typer
from typer._click.exceptions import ClickException  # typer vendors its own click
from typer._click.exceptions import UsageError as ClickUsageError

from cli.compliance_cmd import compliance
from cli.demo_cmd import demo
from cli.indicators_cmd import indicators
from cli.ingest_cmd import ingest
from cli.registry_cmds import app as registry_app
from cli.reminders_cmd import reminders
from cli.report_cmd import report
from cli.template_cmd import template
from cli.users_cmd import app as users_app
from epn.errors import EpnError
from epn.i18n import t

app = typer.Typer(
    help="EPN label: registry, ingestion of reports and statistics, charter compliance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
app.add_typer(registry_app, name="registry")
app.add_typer(users_app, name="users")
app.command()(ingest)
app.command()(compliance)
app.command()(indicators)
app.command()(report)
app.command()(demo)
app.command()(reminders)
app.command()(template)


def main(argv: list[str] | None = None) -> int:
    """Runs the CLI; errors become plain words on stderr and the contract's exit status."""
    try:
        # without standalone mode, click returns the exit status of typer.Exit
        status = app(args=argv, standalone_mode=False)
    except EpnError as error:
        typer.echo(error.message(_lang(argv)), err=True)
        return error.exit_code
    except typer.Exit as stop:
        return stop.exit_code
    except typer.Abort:
        return 1
    except ClickException as error:
        error.show()
        return 2 if isinstance(error, ClickUsageError) else 1
    except Exception as error:  # noqa: BLE001 - a traceback shown to a user is a bug
        typer.echo(
            t("internal_error", _lang(argv), detail=f"{type(error).__name__}: {error}"), err=True
        )
        return 1
    return status if isinstance(status, int) else 0


def _lang(argv: list[str] | None) -> str:
    args = sys.argv[1:] if argv is None else argv
    return args[args.index("--lang") + 1] if "--lang" in args[:-1] else "fr"


def run() -> None:
    sys.exit(main())
