"""``epn indicators``: the Region's inclusion indicators, per commune and for the Region."""

from __future__ import annotations

from typing import Annotated

import typer

from epn.cli.common import DbOption, JsonOption, LangOption, check_year, db_path, print_json, say
from epn.i18n import t


def indicators(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """The Region's inclusion indicators, per commune and for the Region."""
    from warehouse.db import connect
    from warehouse.indicators import indicators as compute

    check_year(year)
    with connect(db_path(db)) as con:
        document = compute(con, year)
    if json:
        print_json(document)
        return
    name = "name_nl" if lang == "nl" else "name_fr"
    say(t("indicators_header", lang, year=year))
    for row in [*document["communes"], {name: t("indicators_region", lang), **document["region"]}]:
        say(
            f"{row[name]:<28} {row['labelled_epns']:>4} {row['epns_per_100k'] or 0:>7.2f}"
            f" {row['weekly_public_hours']:>8.1f} {row['visits']:>9} {row['users_total']:>7}"
        )
