"""``epn uploads ...``: the received files, and the retraction of an accepted one."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, print_json, say
from epn.i18n import t
from epn.locale import day
from epn.principal import SYSTEM

app = typer.Typer(help="Received files: list them, retract an accepted one.", no_args_is_help=True)


@app.command("list")
def list_cmd(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many, newest first.")] = 50,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """The latest received files with their number, status, EPNs and year."""
    from services.retraction import (  # heavy: only when the command runs
        list_uploads,
    )

    uploads = list_uploads(SYSTEM, db_path(db), limit)
    if json:
        print_json(uploads)
        return
    for u in uploads:
        say(
            t(
                "uploads_list_line",
                lang,
                upload_id=u["upload_id"],
                uploaded_at=day(u["uploaded_at"].date(), lang),
                status=t(f"app.status.{u['status']}", lang),
                kind=t(f"app.kind.{u['kind']}", lang) if u["kind"] else "—",
                epn_ids=", ".join(u["epn_ids"] or []) or "—",
                year=u["year"] or "—",
                filename=u["filename"],
            )
        )


@app.command()
def retract(
    upload_id: Annotated[
        int, typer.Argument(metavar="UPLOAD_ID", help="Its number (see epn uploads list).")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept in the audit log.")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Retract an accepted file: its values leave the current facts, history keeps them."""
    from services.retraction import (  # heavy: only when the command runs
        retract_upload,
    )

    done = retract_upload(SYSTEM, upload_id, reason, db_path(db))
    if json:
        print_json(
            {
                "upload_id": done.upload_id,
                "file": done.filename,
                "status": "retracted",
                "kind": done.kind,
                "epn_ids": done.epn_ids,
                "years": done.years,
            }
        )
        return
    say(
        t(
            "retract_done",
            lang,
            upload_id=done.upload_id,
            filename=done.filename,
            epn_ids=", ".join(done.epn_ids) or "—",
            years=", ".join(map(str, done.years)) or "—",
        )
    )
