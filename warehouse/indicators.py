"""The Region's inclusion indicators per commune and for the Region, for one reporting year.

EPNs counted are those labelled during the year (the same labelled period as the charter);
their weeks are the year's ISO weeks, their users and participants come from their current
annual report of that year.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from validation.charter.engine import evaluate
from validation.charter.periods import labelled_periods
from validation.records import plain

MEASURES = (
    "labelled_epns",
    "epns_per_100k",
    "weekly_public_hours",
    "visits",
    "users_total",
    "priority_share",
    "share_without_breach",
)


def epn_figures(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None):
    """One row per EPN labelled during the year with its yearly figures and breach flag."""
    as_of = as_of or dt.date.today()
    periods = labelled_periods(con, year, max(as_of, dt.date(year + 1, 1, 10)))
    breaching = {f.epn_id for f in evaluate(con, year, as_of) if f.severity == "breach"}
    periods["has_breach"] = periods["epn_id"].isin(breaching)
    con.register("indicator_epns", periods)
    try:
        return con.execute(SQL_EPN_FIGURES, {"year": year}).df()
    finally:
        con.unregister("indicator_epns")


SQL_EPN_FIGURES = """
WITH weeks AS (
    SELECT epn_id,
           avg(public_hours) FILTER (WHERE status = 'open') AS avg_open_week_hours,
           sum(visits) AS visits,
           count(*) FILTER (WHERE status = 'open') AS open_weeks
    FROM cur_weekly
    WHERE isoyear(week_start) = $year AND epn_id IN (SELECT epn_id FROM indicator_epns)
    GROUP BY epn_id
), reports AS (
    SELECT r.epn_id, r.users_total, a.participants, a.priority_participants
    FROM cur_report r
    LEFT JOIN (SELECT upload_id, sum(participants) AS participants,
                      sum(priority_participants) AS priority_participants
               FROM hist_activity GROUP BY upload_id) a USING (upload_id)
    WHERE r.year = $year
)
SELECT e.epn_id, i.commune_nis, i.name, i.authority_type, e.has_breach,
       coalesce(w.avg_open_week_hours, 0) AS avg_open_week_hours,
       coalesce(w.visits, 0) AS visits, coalesce(w.open_weeks, 0) AS open_weeks,
       coalesce(r.users_total, 0) AS users_total,
       coalesce(r.participants, 0) AS participants,
       coalesce(r.priority_participants, 0) AS priority_participants
FROM indicator_epns e
JOIN registry_identity i USING (epn_id)
LEFT JOIN weeks w USING (epn_id)
LEFT JOIN reports r USING (epn_id)
ORDER BY e.epn_id
"""


def aggregate(figures: pd.DataFrame, inhabitants: int) -> dict:
    labelled = len(figures)
    participants = int(figures["participants"].sum())
    return {
        "labelled_epns": labelled,
        "epns_per_100k": round(labelled / inhabitants * 100_000, 2) if inhabitants else None,
        "weekly_public_hours": round(float(figures["avg_open_week_hours"].sum()), 1),
        "visits": int(figures["visits"].sum()),
        "users_total": int(figures["users_total"].sum()),
        "priority_share": (
            round(int(figures["priority_participants"].sum()) / participants, 4)
            if participants
            else None
        ),
        "share_without_breach": (
            round(float((~figures["has_breach"]).sum()) / labelled, 4) if labelled else None
        ),
    }


def indicators(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None) -> dict:
    figures = epn_figures(con, year, as_of)
    communes = con.execute(
        "SELECT commune_nis, name_fr, name_nl, inhabitants FROM commune ORDER BY commune_nis"
    ).fetchall()
    rows = []
    for nis, name_fr, name_nl, inhabitants in communes:
        own = figures[figures["commune_nis"] == nis]
        rows.append(
            {
                "commune_nis": nis,
                "name_fr": name_fr,
                "name_nl": name_nl,
                "inhabitants": inhabitants,
                **aggregate(own, inhabitants),
            }
        )
    population = sum(c[3] for c in communes)
    region = {"inhabitants": population, **aggregate(figures, population)}
    region = {k: plain(v) for k, v in region.items()}
    region["communes_without_epn"] = [r["commune_nis"] for r in rows if r["labelled_epns"] == 0]
    return {"year": year, "region": region, "communes": rows}
