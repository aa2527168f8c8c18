"""``epn charter list|propose|adopt``: the charter's versions, proposed by the coordinator and
adopted by the COPIL (both steps audited; a refused step writes nothing but its audit row)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import DbOption, JsonOption, LangOption, db_path, parse_date, print_json, say
from epn import locale
from epn.errors import UsageError
from epn.i18n import t
from epn.locale import day
from epn.principal import SYSTEM

app = typer.Typer(
    help="Versions of the charter: list, propose (coordinator), adopt (COPIL).",
    no_args_is_help=True,
)


@app.command("list")
def list_versions(db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"):
    """Every version, proposed or adopted, by effective date."""
    from warehouse.db import connect  # heavy: only when the command runs

    with connect(db_path(db)) as con:
        from warehouse.charter_versions import versions  # heavy: only when the command runs

        found = versions(con)
    if json:
        print_json([v.to_dict() for v in found])
        return
    for v in found:
        terms = v.terms
        status = t("charter.status.adopted" if v.adopted else "charter.status.proposed", lang)
        thresholds = t(
            "cli.charter.terms",
            lang,
            public=locale.decimal(terms.min_public_hours, lang, "g"),
            facilitated=locale.decimal(terms.min_facilitated_hours, lang, "g"),
            weeks=terms.hours_tolerance_weeks,
            deadline=f"{terms.report_deadline_day:02d}/{terms.report_deadline_month:02d}",
            reporting_from=terms.reporting_from,
        )
        effective = day(terms.effective_from, lang)
        say(f"{terms.version_id:>3}  {effective}  {status:<11} {terms.name}  {thresholds}")


@app.command()
def propose(
    effective_from: Annotated[
        str,
        typer.Option("--effective-from", help="1 January of the first year it judges, YYYY-01-01."),
    ],
    name: Annotated[str, typer.Option("--name", help="The version's name.")],
    min_public_hours: Annotated[float | None, typer.Option(help="Public hours a week.")] = None,
    min_facilitated_hours: Annotated[
        float | None, typer.Option(help="Hours a week with a qualified facilitator.")
    ] = None,
    tolerance_weeks: Annotated[
        int | None, typer.Option(help="Open weeks below the minimum tolerated.")
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(help="The annual report's deadline, MONTH-DAY (3-31 for 31 March)."),
    ] = None,
    reporting_from: Annotated[int | None, typer.Option(help="The first reporting year.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why the charter changes.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Propose a new version (the coordinator); thresholds not given stay as in force."""
    start = parse_date(effective_from)
    month, day_of_month = parse_deadline(deadline)
    from services import charter  # heavy: only when the command runs

    version_id = charter.propose(
        SYSTEM,
        start,
        name,
        note=note,
        db=db_path(db),
        min_public_hours=min_public_hours,
        min_facilitated_hours=min_facilitated_hours,
        hours_tolerance_weeks=tolerance_weeks,
        report_deadline_month=month,
        report_deadline_day=day_of_month,
        reporting_from=reporting_from,
    )
    show_version(db, version_id, json, "charter.proposed", lang)


@app.command()
def adopt(
    version_id: Annotated[int, typer.Argument(help="The version to adopt (see epn charter list).")],
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Adopt a proposed version (the COPIL): it judges the years from its effective date."""
    from services import charter  # heavy: only when the command runs

    charter.adopt(SYSTEM, version_id, db=db_path(db))
    show_version(db, version_id, json, "charter.adopted", lang)


def parse_deadline(value: str | None) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    month, _, day_of_month = value.strip().partition("-")
    if not (month.isdigit() and day_of_month.isdigit()):
        raise UsageError("charter.bad_deadline_option", value=value)
    return int(month), int(day_of_month)


def show_version(db, version_id: int, json_out: bool, code: str, lang: str) -> None:
    from warehouse.db import connect  # heavy: only when the command runs

    with connect(db_path(db)) as con:
        from warehouse.charter_versions import versions  # heavy: only when the command runs

        version = next(v for v in versions(con) if v.version_id == version_id)
    if json_out:
        print_json(version.to_dict())
        return
    terms = version.terms
    say(
        t(
            code,
            lang,
            version_id=version_id,
            name=terms.name,
            effective_from=day(terms.effective_from, lang),
            year=terms.effective_from.year,
        )
    )
