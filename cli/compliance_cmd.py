"""``epn compliance``: the charter findings of a year."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    JsonOption,
    LangOption,
    check_year,
    db_path,
    parse_date,
    say,
)
from cli.indented_json import indented_json
from epn.i18n import t


def compliance(
    year: Annotated[int, typer.Option("--year", help="Reporting year.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD (default: today).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
    min_public_hours: Annotated[
        float | None, typer.Option(help="Simulate another minimum of public hours.")
    ] = None,
    min_facilitated_hours: Annotated[
        float | None, typer.Option(help="Simulate another minimum of facilitated hours.")
    ] = None,
    tolerance_weeks: Annotated[
        int | None, typer.Option(help="Simulate another tolerance of weeks below the minimum.")
    ] = None,
):
    """The charter findings of that year (standard §5)."""
    from validation.charter.engine import evaluate
    from warehouse.db import connect
    from warehouse.finding_review import FindingKey, current_reviews, reviewed_on_iso

    check_year(year)
    day = parse_date(as_of)
    with connect(db_path(db)) as con:
        findings = evaluate(
            con,
            year,
            day,
            min_public_hours=min_public_hours,
            min_facilitated_hours=min_facilitated_hours,
            hours_tolerance_weeks=tolerance_weeks,
        )
        reviews = current_reviews(con, [year])
    if json:
        # the standard's keys, and the coordination's review as an extension (null if none,
        # and none looked up when nothing was reviewed); the text ``print_json`` writes,
        # written faster (a national year has tens of thousands of findings)
        review = (lambda f: reviewed_on_iso(reviews.get(FindingKey.of(f)))) if reviews else None
        document = [{**f.to_dict(lang), "review": review(f) if review else None} for f in findings]
        sys.stdout.write(indented_json(document) + "\n")
        return
    if not findings:
        say(t("cli.compliance_none", lang, year=year))
    for f in findings:
        severity = t(f"app.severity.{f.severity}", lang)
        say(f"{f.epn_id:<12} {severity:<14} {f.message(lang, readable=True)}")
