"""The annual-report rules (qualified_facilitator … fees_charged) evaluated inside DuckDB,
every judged year in one query.

The report frame (``frames.REPORTS_QUERY``: one row per EPN labelled during a judged year,
with that year's latest report) is checked by the rules' Pandera checks, named by their
stable codes and built by Pandera's Ibis backend (``pandera.ibis``): each adds a
``breached_<code>`` column, and only the rows where one is true come back. As the week
rules' (``week_checks``), their Ibis expression is compiled to DuckDB SQL once and kept
between processes (``compiled_cache``): an evaluation then needs neither Pandera nor pandas,
and the findings are built from the failing rows as DuckDB returns them.
"""

from __future__ import annotations

from functools import cache
from itertools import compress
from pathlib import Path

import duckdb

from validation.charter.compiled_cache import digest, kept_sql
from validation.charter.evidence import REPORT_FIELDS, report_evidence
from validation.charter.findings import Finding
from validation.charter.frames import REPORTS_QUERY
from validation.charter.judged import PERIODS, JudgedYear
from validation.charter.rules import rules_of

FRAME = "charter_report_frame"  # the report frame, as the compiled checks name it

# The report frame's columns as Ibis types (what the checks are compiled against; the
# participants' sums are HUGEINT in DuckDB, which the compiled SQL leaves as they are).
FRAME_SCHEMA = {
    "year": "int32",
    "epn_id": "string",
    "has_report": "boolean",
    "upload_id": "int64",
    "nonprofit": "boolean",
    "fees": "string",
    "label_sticker_displayed": "boolean",
    "charter_displayed": "boolean",
    "staff_rows": "int64",
    "qualified_facilitators": "int64",
    "participants": "int64",
    "priority_participants": "int64",
    "cooperation_actions": "int64",
    "first_received_on": "date",
    "deadline": "date",
    "deadline_passed": "boolean",
}


def _no(column):
    """An answer that is ``false``: a missing answer is not one (pandas' ``eq(False)``)."""
    return (column == False).fill_null(False)  # noqa: E712 (an Ibis comparison, not Python's)


def _none(column):
    """A count that is 0 or missing."""
    return column.fill_null(0) == 0


# Where each report rule's commitment is not met, on an Ibis table of the report frame: as
# ``rules.RULES``'s ``fails`` (which the previous engine's oracle in tests runs on a pandas
# frame), a missing answer counting as the pandas expression counts it. Never null.
FAILS = {
    "qualified_facilitator": lambda t: t.has_report & _none(t.qualified_facilitators),
    "priority_public": lambda t: t.has_report & _none(t.priority_participants),
    "nonprofit": lambda t: t.has_report & _no(t.nonprofit),
    "cooperation": lambda t: t.has_report & _none(t.cooperation_actions),
    "signage": lambda t: t.has_report & (_no(t.label_sticker_displayed) | _no(t.charter_displayed)),
    "report_missing": lambda t: ~t.has_report & t.deadline_passed,
    "report_late": lambda t: t.has_report & (t.first_received_on > t.deadline).fill_null(False),
    "fees_charged": lambda t: t.has_report & (t.fees == "paid").fill_null(False),
}

# what the query returns per failing row: its key, then each rule's verdict, then the fields
# any rule shows as evidence
KEY = ("year", "epn_id", "upload_id")
SHOWN = tuple(dict.fromkeys(name for fields in REPORT_FIELDS.values() for name in fields))

# {frame}: the report frame's query; {checks}: the compiled Pandera checks
REPORT_CHECKS_QUERY = """
    WITH {name} AS ({frame}), checked AS (
        {checks}
    )
    SELECT {columns} FROM checked ORDER BY year, epn_id
"""


@cache
def compiled_checks() -> str:
    """The report rules' Pandera checks (Ibis backend) over the report frame, compiled to
    DuckDB SQL: the frame's rows where any rule breaches, with a ``breached_<code>`` column
    per rule. Compiled once per process, and kept between processes for the same Pandera,
    Ibis and code (``compiled_cache``)."""
    definition = repr([rule.code for rule in rules_of("report")])
    key = digest((Path(__file__),), definition)
    return kept_sql("report_checks", key, compile_checks)


def compile_checks() -> str:
    """Pandera's Ibis backend compiling the report rules' checks (``compiled_checks``)."""
    from functools import reduce
    from operator import or_

    import ibis  # heavy: imported only when nothing compiled is kept
    import pandera.ibis as pa

    frame = ibis.table(FRAME_SCHEMA, name=FRAME)
    breached = {}
    for rule in rules_of("report"):
        check = pa.Check(lambda data, fails=FAILS[rule.code]: ~fails(data.table), name=rule.code)
        breached[f"breached_{rule.code}"] = ~check(frame).check_output
    failing = frame.mutate(**breached).filter(reduce(or_, breached.values()))
    return ibis.to_sql(failing, dialect="duckdb")


@cache
def report_checks_query() -> str:
    codes = [rule.code for rule in rules_of("report")]
    columns = [*KEY, *(f"breached_{code}" for code in codes), *map(_shown_column, SHOWN)]
    return REPORT_CHECKS_QUERY.format(
        name=FRAME,
        frame=REPORTS_QUERY.format(periods=PERIODS),
        checks=compiled_checks(),
        columns=", ".join(columns),
    )


def _shown_column(name: str) -> str:
    """A field of the failing rows, only where a rule that breaches shows it (else NULL):
    what DuckDB hands to Python is most of the cost when thousands of reports are missing."""
    showing = [f"breached_{code}" for code, fields in REPORT_FIELDS.items() if name in fields]
    return f"CASE WHEN {' OR '.join(showing)} THEN {name} END AS {name}"


# whether a report rule may fail in one of the years ``$years``: a labelled period whose
# year's deadline has passed (``report_missing``), or a report of one of them accepted by
# ``$as_of`` (every other rule)
ANY_REPORT_CAN_FAIL = """
    SELECT EXISTS (
            SELECT 1 FROM {periods}
            WHERE deadline_passed AND list_contains($years::INTEGER[], year)
        )
        OR EXISTS (
            SELECT 1 FROM hist_report r JOIN upload u USING (upload_id)
            WHERE list_contains($years::INTEGER[], r.year) AND u.received_on <= $as_of
              AND u.status = 'accepted'
        )
"""


def any_report_can_fail(con: duckdb.DuckDBPyConnection, years: list[int], as_of) -> bool:
    """Whether a report rule may fail in one of ``years``, over the labelled periods loaded
    (``judged.load_periods``): ``report_missing`` only once the deadline has passed, every
    other rule only on a report received. Before the deadline (the statistics rules' season)
    and with no report in yet, the report frame need not be built: a look at two tables
    instead of a query over every labelled EPN."""
    query = ANY_REPORT_CAN_FAIL.format(periods=PERIODS)
    return con.execute(query, {"years": list(years), "as_of": as_of}).fetchone()[0]


def report_findings(
    con: duckdb.DuckDBPyConnection, judged: list[JudgedYear], as_of
) -> list[Finding]:
    """The report rules' findings over the labelled periods loaded (``judged.load_periods``),
    with each year's latest report received by ``as_of``: by rule, then year and EPN."""
    if not judged:
        return []
    rows = con.execute(report_checks_query(), {"as_of": as_of}).fetchall()
    if not rows:
        return []
    terms = {j.year: j.terms for j in judged}
    rules = rules_of("report")
    years, epns, uploads, *rest = zip(*rows, strict=True)  # the failing rows, by column
    verdicts = rest[: len(rules)]
    shown = dict(zip(SHOWN, rest[len(rules) :], strict=True))
    findings = []
    for rule, breached in zip(rules, verdicts, strict=True):
        fields = REPORT_FIELDS[rule.code]
        for k in compress(range(len(years)), breached):
            row = {"upload_id": uploads[k]} | {name: shown[name][k] for name in fields}
            year_terms = terms[years[k]]
            findings.append(
                Finding(
                    epns[k],
                    years[k],
                    rule.code,
                    rule.severity,
                    report_evidence(rule.code, row, year_terms),
                    year_terms.version_id,
                )
            )
    return findings
