"""``epn users ...``: local accounts for the app (administrator's tool)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, epn_id_value, print_json, say
from epn.i18n import t
from epn.principal import ROLES, SYSTEM

app = typer.Typer(
    help="Accounts of the app: add, disable, change role, reset password.", no_args_is_help=True
)
RoleOption = Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")]
EpnOption = Annotated[
    str | None, typer.Option("--epn-id", help="The EPN of an epn_user.", parser=epn_id_value)
]
UsernameArgument = Annotated[str, typer.Argument(help="The account's login name.")]
PasswordOption = Annotated[
    str | None, typer.Option("--password", help="Default: a random one, printed.")
]


@app.command()
def add(
    username: UsernameArgument,
    role: RoleOption,
    epn_id: EpnOption = None,
    password: PasswordOption = None,
    name: Annotated[str | None, typer.Option("--name", help="The person's full name.")] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="The person's e-mail address.")
    ] = None,
    db: DbOption = None,
    lang: LangOption = "fr",
):
    """Create an account."""
    from services import accounts

    created = accounts.create_account(
        SYSTEM, username, role, epn_id, name, email, password, db_path(db)
    )
    role_word = t(f"app.role.{role}", lang)
    if password:  # never echoed: it is in the shell's history already, not in its output too
        say(t("account_created_given_password", lang, username=username.strip(), role=role_word))
    else:
        say(t("account_created", lang, username=username.strip(), role=role_word, password=created))


@app.command()
def disable(username: UsernameArgument, db: DbOption = None, lang: LangOption = "fr"):
    """Disable an account (takes effect at the user's next click)."""
    from services import accounts

    accounts.set_account_disabled(SYSTEM, username, True, db_path(db))
    say(t("account_updated", lang, username=username))


@app.command()
def enable(username: UsernameArgument, db: DbOption = None, lang: LangOption = "fr"):
    """Enable a disabled account again."""
    from services import accounts

    accounts.set_account_disabled(SYSTEM, username, False, db_path(db))
    say(t("account_updated", lang, username=username))


@app.command("set-role")
def set_role(
    username: UsernameArgument,
    role: RoleOption,
    epn_id: EpnOption = None,
    db: DbOption = None,
    lang: LangOption = "fr",
):
    """Change an account's role (and EPN, for an epn_user)."""
    from services import accounts

    accounts.change_role(SYSTEM, username, role, epn_id, db_path(db))
    say(t("account_updated", lang, username=username))


@app.command("reset-password")
def reset_password(
    username: UsernameArgument,
    password: PasswordOption = None,
    db: DbOption = None,
    lang: LangOption = "fr",
):
    """Set a new password (random when not given) and lift a lock-out."""
    from services import accounts

    new = accounts.reset_account_password(SYSTEM, username, password, db_path(db))
    if password:  # never echoed
        say(t("account_updated", lang, username=username))
    else:
        say(t("account_password_generated", lang, username=username, password=new))


@app.command("list")
def list_cmd(db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"):
    """Every account with its role and EPN."""
    from services import accounts

    users = accounts.list_accounts(SYSTEM, db_path(db))
    if json:
        print_json(users)
        return
    for user in users:
        flags = " " + t("cli.disabled", lang) if user["disabled"] else ""
        role = t(f"app.role.{user['role']}", lang)
        say(f"{user['username']:<20} {role:<22} {user['epn_id'] or ''}{flags}")
