"""``epn indicators``: the Region's inclusion indicators, per commune and for the Region.

``--freeze`` publishes the year's figures as they stand (the coordinator's action); the
published ones no longer move with late corrections, and ``--published`` prints them.
The default output, text or ``--json``, is the live figures, as the contract says.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, check_year, db_path, print_json, say
from cli.readable import decimal, when
from epn.errors import EpnError, UsageError
from epn.i18n import t
from epn.principal import SYSTEM


def indicators(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
    freeze: Annotated[
        bool, typer.Option("--freeze", help="Publish (freeze) the year's figures as they stand.")
    ] = False,
    published: Annotated[
        bool, typer.Option("--published", help="Print the published figures, not the live ones.")
    ] = False,
):
    """The Region's inclusion indicators, per commune and for the Region."""
    from services.snapshots import freeze_year
    from warehouse import snapshots
    from warehouse.db import connect
    from warehouse.indicators import indicators as compute

    check_year(year)
    if freeze and published:
        raise UsageError("app.region.cli.options_clash")
    header = None
    if freeze:
        snapshot = freeze_year(SYSTEM, year, db_path(db))
        if not json:
            say(_frozen_line(snapshot, lang))
            return
        _stderr(_frozen_line(snapshot, lang))
        print_json(snapshot.document)
        return
    with connect(db_path(db)) as con:
        if published:
            snapshot = snapshots.published(con, year)
            if snapshot is None:
                raise EpnError("app.region.cli.not_published", year=year)
            document = snapshot.document
            changes = snapshots.differences(document, compute(con, year))
            header = t(
                "app.region.cli.published_header",
                lang,
                date=when(snapshot.frozen_at.date(), lang),
                user=snapshot.frozen_by,
                changes=len(changes),
            )
        else:
            document = compute(con, year)
    if json:
        print_json(document)
        return
    if header:
        say(header)
    _print_table(document, year, lang)


def _frozen_line(snapshot, lang: str) -> str:
    return t(
        "app.region.cli.frozen",
        lang,
        year=snapshot.year,
        snapshot=snapshot.snapshot_id,
        date=when(snapshot.frozen_at, lang),
        user=snapshot.frozen_by,
    )


def _stderr(text: str) -> None:
    typer.echo(text, err=True)  # stdout holds the one JSON document


def _print_table(document: dict, year: int, lang: str) -> None:
    name = "name_nl" if lang == "nl" else "name_fr"
    say(t("indicators_header", lang, year=year))
    for row in [*document["communes"], {name: t("indicators_region", lang), **document["region"]}]:
        say(
            f"{row[name]:<28} {row['labelled_epns']:>4} {decimal(row['epns_per_100k'], 2, lang):>7}"
            f" {decimal(row['weekly_public_hours'], 1, lang):>8}"
            f" {decimal(row['visits'], 0, lang):>9} {decimal(row['users_total'], 0, lang):>7}"
        )
