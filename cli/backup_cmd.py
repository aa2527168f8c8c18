"""``epn backup``, ``epn restore``, ``epn check``: the way back from a damaged warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, print_json, say
from epn.i18n import t
from epn.locale import number
from epn.principal import SYSTEM
from epn.settings import get_settings


def backup(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Backup file, or a folder for a dated file (default: $EPN_BACKUP_DIR).",
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """A consistent copy of the warehouse, taken while the app runs."""
    from services.backup import (  # heavy: only when the command runs
        backup_warehouse,
    )

    made = backup_warehouse(SYSTEM, output, db_path(db))
    if json:
        print_json(
            {
                "path": str(made.path),
                "size_bytes": made.size_bytes,
                "tables": made.relations,
                "removed": [str(p) for p in made.removed],
            }
        )
        return
    size = number(made.size_bytes / 1e6, 1, lang)
    say(t("backup_done", lang, path=made.path, size=size, tables=made.relations))
    if made.removed:
        keep = get_settings().backup_keep
        say(t("backup_rotated", lang, keep=keep, files=", ".join(p.name for p in made.removed)))


def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup of `epn backup`.")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Puts a backup back in place of the warehouse, after checking it."""
    from services.backup import (  # heavy: only when the command runs
        restore_warehouse,
    )

    done = restore_warehouse(SYSTEM, backup_file, db_path(db))
    if json:
        print_json(
            {
                "backup": str(done.backup),
                "path": str(done.target),
                "version": done.version,
                "tables": done.relations,
                "kept": str(done.kept) if done.kept else None,
            }
        )
        return
    say(
        t(
            "restore_done",
            lang,
            target=done.target,
            path=done.backup,
            version=f"{done.version:04d}",
            tables=done.relations,
        )
    )
    if done.kept:
        say(t("restore_kept_previous", lang, path=done.kept))


def check(db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"):
    """Reads every table whole and puts the derived facts and marts right if they differ."""
    from services.backup import (  # heavy: only when the command runs
        check_warehouse,
    )

    done = check_warehouse(SYSTEM, db_path(db))
    if json:
        print_json(
            {
                "path": str(done.path),
                "version": done.version,
                "tables": done.relations,
                "repaired": done.repaired,
            }
        )
        return
    version = f"{done.version:04d}"
    say(t("check_ok", lang, path=done.path, tables=len(done.relations), version=version))
    if done.repaired:
        parts = ", ".join(t(f"cli.check.part.{part}", lang) for part in done.repaired)
        say(t("check_repaired", lang, parts=parts))
    else:
        say(t("check_consistent", lang))
