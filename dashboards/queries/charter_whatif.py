"""What-if for the COPIL: a closed year judged by changed thresholds, beside the charter in
force. Read-only: the judgement in force comes from the findings mart when it is today's (else
it is evaluated), the simulated one is evaluated in memory; nothing is written."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from epn.locale import commune_name_column
from epn.principal import Principal
from epn.settings import warehouse_path
from services.access import require
from validation.charter.collection import collector_paused
from validation.charter.engine import evaluate
from validation.charter.terms import CharterTerms, first_reporting_year, terms_for
from warehouse.db import connect
from warehouse.finding_mart import judged_today, read_breaches

CHANGEABLE = (  # the thresholds a what-if may change (the CharterTerms fields)
    "min_public_hours",
    "min_facilitated_hours",
    "hours_tolerance_weeks",
    "report_deadline_month",
    "report_deadline_day",
)


def closed_years(principal: Principal, today: dt.date | None = None) -> list[int]:
    """The judged years whose annual report's deadline has passed, latest first."""
    require(principal, "charter.read", what="charter.closed_years")
    today = today or dt.date.today()
    with connect(warehouse_path()) as con:
        first = first_reporting_year(con)
        return [
            y
            for y in range(today.year, first - 1, -1)
            if terms_for(y, con).report_deadline(y) < today
        ]


def what_if(
    principal: Principal, year: int, changes: dict, lang: str, today: dt.date | None = None
) -> dict:
    """The year judged by the charter in force and by ``changes`` (CHANGEABLE fields).

    {"in_force": CharterTerms, "simulated": CharterTerms, "epns": one row per EPN in breach
    either way (epn_id, name, commune, in_force, simulated: sorted breach codes, change:
    new|gone|changed (other breaches)|same), "communes": per commune (commune, in_force,
    simulated, new, gone)}.
    """
    require(principal, "charter.read", what="charter.what_if")
    changes = {k: v for k, v in changes.items() if k in CHANGEABLE and v is not None}
    today = today or dt.date.today()
    with connect(warehouse_path()) as con:
        in_force: CharterTerms = terms_for(year, con)
        simulated = terms_for(year, con, **changes)
        with collector_paused():  # tens of thousands of findings, all kept until the end
            current = _in_force_breaches(con, year, in_force, today)
            # nothing changed yet (the page's first view): the same judgement, not a second one
            changed = _simulated_breaches(con, year, today, changes) if changes else current
        identity = con.execute(
            f"SELECT i.epn_id, i.name, c.{commune_name_column(lang)} AS commune"
            " FROM registry_identity i LEFT JOIN commune c USING (commune_nis)"
        ).df()
    with collector_paused():  # one row per EPN breaching either way: many small objects
        epns = _per_epn(current, changed, identity)
    return {
        "in_force": in_force,
        "simulated": simulated,
        "epns": epns,
        "communes": _per_commune(epns),
    }


def _in_force_breaches(con, year: int, in_force: CharterTerms, today: dt.date) -> dict:
    """The year's breaches by the charter in force: the findings mart's when it judged the
    year today by that version (what every other page shows), else evaluated here. Only the
    simulated side then costs an evaluation."""
    if judged_today(con, year, in_force.version_id, today):
        return read_breaches(con, year)
    return _breaches(evaluate(con, year, today, evidence=False))


def _simulated_breaches(con, year: int, today: dt.date, changes: dict) -> dict:
    # who breaches what is all the page shows: the weeks behind each finding are not fetched
    return _breaches(evaluate(con, year, today, evidence=False, **changes))


def _breaches(findings) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for f in findings:
        if f.severity == "breach":
            found.setdefault(f.epn_id, set()).add(f.code)
    return {epn: sorted(codes) for epn, codes in found.items()}


def _per_epn(current: dict, changed: dict, identity: pd.DataFrame) -> pd.DataFrame:
    ids = sorted(set(current) | set(changed))
    frame = pd.DataFrame(
        {
            "epn_id": pd.Series(ids, dtype=object),
            "in_force": [current.get(i, []) for i in ids],
            "simulated": [changed.get(i, []) for i in ids],
        }
    )
    frame["change"] = [
        "new" if not old else "gone" if not new else "same" if old == new else "changed"
        for old, new in zip(frame["in_force"], frame["simulated"], strict=True)
    ]
    columns = ["epn_id", "name", "commune", "in_force", "simulated", "change"]
    return frame.merge(identity, on="epn_id", how="left").loc[:, columns]


def _per_commune(epns: pd.DataFrame) -> pd.DataFrame:
    columns = ["commune", "in_force", "simulated", "new", "gone"]
    if epns.empty:
        return pd.DataFrame(columns=columns)
    flags = epns.assign(
        in_force=epns["in_force"].map(bool),
        simulated=epns["simulated"].map(bool),
        new=epns["change"] == "new",
        gone=epns["change"] == "gone",
    )
    grouped = flags.groupby("commune", dropna=False)[["in_force", "simulated", "new", "gone"]]
    return grouped.sum().astype(int).reset_index().sort_values("commune").loc[:, columns]
