"""The Region page's reads: inclusion indicators per commune and for the Region.

Aggregates only, whoever asks: no row names a single EPN. A commune with a single labelled
EPN still shows its figures as the commune's aggregate (then equal to that EPN's): the label
is public (the directory lists every labelled EPN and its commune) and the Region publishes
per-commune statistics; hiding small communes would hide exactly the gaps the map is for.

The figures shown for a year are its published snapshot when one exists, else the live
figures. Every query of ``PAGE_QUERIES["region"]`` takes ``(principal, year, lang)`` and
aggregates in DuckDB (no per-EPN Python loop), so that the benchmark can time each one;
the page calls ``figures`` twice (the year and the previous one, for the changes).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from epn.principal import Principal
from epn.settings import warehouse_path
from reporting.annual_report import annual_report_pdf
from services.access import AccessDenied, scope_for
from validation.charter.terms import first_reporting_year
from warehouse import coverage, snapshots
from warehouse import indicators as live
from warehouse.db import connect
from warehouse.snapshots import Snapshot


def region_scope(principal: Principal) -> None:
    """Every EPN's aggregates: the coordinator, the COPIL and the Region; not an EPN user."""
    if scope_for(principal, per_epn=False).epn_ids is not None:
        raise AccessDenied("app.access_denied", role=principal.role)


def region_years(principal: Principal, *_: object) -> list[int]:
    """From the first to the last year with statistics or reports, newest first.

    Read from the bounds only (no scan of the years of 10 million weeks): a year without
    data between two years with data is listed too, and shows as such.
    """
    region_scope(principal)
    with connect(warehouse_path()) as con:
        first, last = con.execute(
            """
            SELECT least(isoyear(min(w.week_start)), (SELECT min(year) FROM hist_report)),
                   greatest(isoyear(max(w.week_start)), (SELECT max(year) FROM hist_report))
            FROM cur_weekly w
            """
        ).fetchone()
    if first is None:
        return []
    # kept within the reporting years: a week mistyped 9999 lists no extra year
    low, high = max(int(first), first_reporting_year()), min(int(last), dt.date.today().year)
    return list(range(high, low - 1, -1))


def figures(principal: Principal, year: int, lang: str | None = None) -> Snapshot:
    """The published snapshot of ``year`` when there is one, else today's live figures."""
    region_scope(principal)
    with connect(warehouse_path()) as con:
        return snapshots.shown(con, year)


def year_basis(principal: Principal, year: int, lang: str | None = None) -> dict:
    """What the figures of ``year`` rest on: the EPNs labelled, with weeks, with a report;
    for a running year also ``weeks`` (its latest week with data, by ISO number) and the
    weekly sums of those weeks this year (``now``) and last year (``before``)."""
    region_scope(principal)
    today = dt.date.today()
    with connect(warehouse_path()) as con:
        basis = {**coverage.coverage(con, year), "partial": year >= today.year, "weeks": None}
        weeks = coverage.last_week(con, year, today) if basis["partial"] else None
        if weeks:
            basis["weeks"] = weeks
            basis["now"] = coverage.same_weeks(con, year, weeks)
            basis["before"] = coverage.same_weeks(con, year - 1, weeks)
    return basis


def live_vs_published(principal: Principal, year: int, lang: str) -> pd.DataFrame:
    """commune_nis, commune, measure, published, live, change: what moved since publication.

    Empty when the year is not published or nothing moved; the Region's row first.
    """
    region_scope(principal)
    with connect(warehouse_path()) as con:
        snapshot = snapshots.published(con, year)
        if snapshot is None:
            return pd.DataFrame(columns=DIFF_COLUMNS)
        changes = snapshots.differences(snapshot.document, live.live_indicators(con, year))
    frame = pd.DataFrame(changes, columns=["commune_nis", "measure", "published", "live"])
    names = commune_names(snapshot.document, lang)
    frame["commune"] = frame["commune_nis"].map(lambda nis: names.get(nis))
    frame["change"] = pd.to_numeric(frame["live"]) - pd.to_numeric(frame["published"])
    return frame.loc[:, list(DIFF_COLUMNS)]


DIFF_COLUMNS = ("commune_nis", "commune", "measure", "published", "live", "change")


def snapshot_history(principal: Principal, year: int, lang: str | None = None) -> pd.DataFrame:
    """snapshot_id, frozen_at, frozen_by: every publication of ``year``, latest first."""
    region_scope(principal)
    with connect(warehouse_path()) as con:
        rows = snapshots.history(con, year)
    return pd.DataFrame(rows, columns=["snapshot_id", "frozen_at", "frozen_by"])


def commune_names(document: dict, lang: str) -> dict[int | None, str]:
    """{commune_nis: name} in the reader's language (French for English readers)."""
    column = "name_nl" if lang == "nl" else "name_fr"
    return {c["commune_nis"]: c[column] for c in document["communes"]}


def commune_frame(shown: Snapshot, lang: str) -> pd.DataFrame:
    """One row per commune (NIS order): its name, inhabitants and the measures."""
    frame = pd.DataFrame(shown.document["communes"])
    frame.insert(1, "commune", frame["commune_nis"].map(commune_names(shown.document, lang)))
    return frame.drop(columns=["name_fr", "name_nl"])


def domain_frame(shown: Snapshot) -> pd.DataFrame:
    """domain, activities, epns, sessions, hours, participants, priority_participants."""
    columns = ["domain", "activities", "epns", "sessions", "hours", "participants"]
    return pd.DataFrame(
        shown.details.get("activities", []), columns=[*columns, "priority_participants"]
    )


def annual_report(principal: Principal, year: int, lang: str) -> bytes:
    """The printable annual review of ``year`` (PDF), built when the reader asks for it."""
    region_scope(principal)
    with connect(warehouse_path()) as con:
        return annual_report_pdf(con, year, lang)


PAGE_QUERIES = {"region": [region_years, figures, year_basis, live_vs_published, snapshot_history]}
