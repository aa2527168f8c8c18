"""``epn findings review``: the coordination's review of a charter finding, from a script."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, check_year, db_path, print_json, say
from epn.i18n import t
from epn.principal import SYSTEM

app = typer.Typer(help="Charter findings: the coordination's review of one.", no_args_is_help=True)


@app.command()
def review(
    epn_id: Annotated[str, typer.Argument(metavar="EPN_ID", help="The EPN of the finding.")],
    year: Annotated[int, typer.Option("--year", help="The finding's year.")],
    code: Annotated[
        str, typer.Option("--code", help="The rule's code (see epn compliance --json).")
    ],
    status: Annotated[str, typer.Option("--status", help="confirmed or justified.")],
    repeated_code: Annotated[
        str, typer.Option("--repeated-code", help="For a repeated_breach: the code repeated.")
    ] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (required if justified).")] = "",
    message: Annotated[str, typer.Option("--message", help="A message to the EPN.")] = "",
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Mark a finding confirmed or justified (audited; the history keeps every review)."""
    from services import finding_review  # heavy: only when the command runs
    from warehouse.finding_review import FindingKey

    check_year(year)
    key = FindingKey(epn_id, year, code, repeated_code)
    review_id = finding_review.review(SYSTEM, key, status, reason, message, db_path(db))
    if json:
        print_json(
            {
                "review_id": review_id,
                "epn_id": epn_id,
                "year": year,
                "code": code,
                "repeated_code": repeated_code or None,
                "status": status,
                "reason": reason.strip() or None,
            }
        )
        return
    say(
        t(
            "review.cli_done",
            lang,
            epn_id=epn_id,
            year=year,
            status=t(f"review.status.{status}", lang),
        )
    )
