"""The EPN's own space: its identity, its submissions, its figures against the regional median.

An EPN user always gets its own EPN, whatever ``epn_id`` a caller passes; the coordinator
and the COPIL name the EPN they look at. Other EPNs only ever appear inside a median.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from dashboards.queries.coordinator_common import PERIODS, period_params, read
from dashboards.queries.findings import findings
from dashboards.queries.warehouse import read_frame
from epn.errors import EpnError
from epn.locale import commune_name_column
from epn.principal import EPN_USER, Principal
from epn.settings import warehouse_path
from services.access import AccessDenied, scope_for
from validation.charter.periods import iso_year_weeks
from validation.charter.terms import terms_for
from warehouse.db import connect

MEASURES = (
    "public_hours",
    "facilitated_hours",
    "visits_per_week",
    "unique_users",
    "long_weeks_share",
)
# A median of one or two EPNs would give away another EPN's own figure.
MIN_EPNS_FOR_MEDIAN = 3


def own_epn(principal: Principal, epn_id: str | None = None) -> str:
    """The EPN a query reads: an EPN user's own (asking for another is refused)."""
    scope = scope_for(principal, per_epn=True)
    if scope.epn_ids is not None:
        if epn_id is not None and not scope.keeps(epn_id):
            raise AccessDenied("app.my_epn.not_yours", epn_id=epn_id)
        return scope.epn_ids[0]
    if not epn_id:
        raise EpnError("app.my_epn.choose_epn")
    return epn_id


def epn_identity(principal: Principal, lang: str, epn_id: str | None = None) -> dict | None:
    """epn_id, name, commune, workstations, status, labelled_on — None if the registry lacks it."""
    epn = own_epn(principal, epn_id)
    with connect(warehouse_path()) as con:
        cursor = con.execute(
            f"""
            SELECT r.epn_id, r.name, c.{commune_name_column(lang)} AS commune, r.workstations,
                   r.status, r.labelled_on
            FROM registry_current r LEFT JOIN commune c USING (commune_nis)
            WHERE r.epn_id = ?
            """,
            [epn],
        )
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return None if row is None else dict(zip(names, row, strict=True))


def epn_years(principal: Principal, epn_id: str | None = None) -> list[int]:
    """The years this EPN has weeks, a report or a file for, newest first."""
    epn = own_epn(principal, epn_id)
    frame = read_frame(
        """
        SELECT isoyear(week_start) AS year FROM cur_weekly WHERE epn_id = $1
        UNION SELECT year FROM upload WHERE list_contains(epn_ids, $1) AND year IS NOT NULL
        ORDER BY year DESC
        """,
        [epn],
    )
    return frame["year"].astype(int).tolist()


def epn_submissions(principal: Principal, epn_id: str | None = None) -> pd.DataFrame:
    """Every file of the EPN, oldest first, with its version within (kind, year).

    Versions count accepted files only. A report is current when it is the EPN's latest
    accepted one for the year; a statistics file while some of its weeks are still the
    ones in force (a later file may have replaced them all). An EPN user gets no
    ``error_list`` for a file that also names other EPNs.
    """
    epn = own_epn(principal, epn_id)
    # Unreadable files name no EPN: they belong to the EPN whose account sent them.
    own_user = principal.username if principal.role == EPN_USER else None
    frame = read_frame(
        """
        SELECT u.upload_id, u.filename, u.kind, u.year, u.received_on, u.uploaded_at,
               u.uploaded_by, u.status, coalesce(json_array_length(u.errors), 0)::INTEGER
               AS errors,
               -- the problems of a file that also names other EPNs may quote their rows
               CASE WHEN $2 IS NOT NULL AND len(list_distinct(u.epn_ids))
                         > list_contains(u.epn_ids, $1)::INTEGER THEN NULL
                    ELSE u.errors END AS error_list,
               CASE WHEN u.status = 'accepted' THEN row_number() OVER (
                   PARTITION BY u.kind, u.year, u.status ORDER BY u.upload_id) END AS version,
               CASE u.kind
                   WHEN 'annual_report' THEN u.upload_id IN
                       (SELECT upload_id FROM cur_report WHERE epn_id = $1)
                   ELSE EXISTS (SELECT 1 FROM cur_weekly c
                                WHERE c.upload_id = u.upload_id AND c.epn_id = $1)
               END AS current
        FROM upload u
        WHERE list_contains(u.epn_ids, $1)
           OR (coalesce(len(u.epn_ids), 0) = 0
               AND (u.uploaded_by = $2
                    OR u.uploaded_by IN (SELECT username FROM app_user WHERE epn_id = $1)))
        ORDER BY u.upload_id
        """,
        [epn, own_user],
    )
    frame["version"] = frame["version"].astype("Int64")
    frame["current"] = frame["current"].fillna(False).astype(bool)
    frame["error_list"] = frame["error_list"].map(
        lambda text: json.loads(text) if isinstance(text, str) else []
    )
    return frame


def figures_against_median(
    principal: Principal, year: int, epn_id: str | None = None
) -> pd.DataFrame:
    """measure, own, median, epns: the EPN's yearly figures beside the labelled EPNs' median.

    Open weeks only; ``median`` is missing when fewer than three labelled EPNs reported.
    """
    epn = own_epn(principal, epn_id)
    params = {
        **_year_params(year, epn),
        "minimum": terms_for(year).min_public_hours,
        "min_epns": MIN_EPNS_FOR_MEDIAN,
    }
    with connect(warehouse_path()) as con:
        row = con.execute(SQL_FIGURES, params).fetchone()
    own, median, epns = row[: len(MEASURES)], row[len(MEASURES) : -1], row[-1]
    return pd.DataFrame({"measure": MEASURES, "own": own, "median": median, "epns": epns}).astype(
        {"own": "Float64", "median": "Float64"}
    )


def weekly_visits_against_median(
    principal: Principal, year: int, epn_id: str | None = None
) -> pd.DataFrame:
    """week_start, visits, median_visits: the EPN's weeks of ``year`` and the labelled median."""
    epn = own_epn(principal, epn_id)
    return read(
        f"""
        WITH {LABELLED_WEEKS}
        SELECT week_start,
               max(visits) FILTER (WHERE epn_id = $epn) AS visits,
               CASE WHEN count(*) FILTER (WHERE peer) >= {MIN_EPNS_FOR_MEDIAN}
                    THEN median(visits) FILTER (WHERE peer)
               END AS median_visits
        FROM weeks
        GROUP BY week_start
        HAVING count(*) FILTER (WHERE epn_id = $epn) > 0 OR count(*) FILTER (WHERE peer) > 0
        ORDER BY week_start
        """,
        _year_params(year, epn),
    )


def own_findings(principal: Principal, year: int, lang: str, epn_id: str | None = None):
    """The EPN's charter findings of ``year`` (see :func:`findings`)."""
    return findings(principal, year, lang, epn_ids=[own_epn(principal, epn_id)])


def _year_params(year: int, epn: str) -> dict:
    # As the Region's indicators do: every EPN labelled at some point of the year.
    first, last = iso_year_weeks(year)
    as_of = max(dt.date.today(), dt.date(year + 1, 1, 10))
    return {**period_params([year], as_of), "epn": epn, "first": first, "last": last}


# The year's weeks of the EPN and of its peers (the EPNs labelled during the year).
LABELLED_WEEKS = f"""
{PERIODS.format(where="TRUE")},
labelled AS (SELECT DISTINCT epn_id FROM periods),
weeks AS (
    SELECT w.*, l.epn_id IS NOT NULL AS peer
    FROM cur_weekly w LEFT JOIN labelled l ON l.epn_id = w.epn_id
    WHERE w.week_start BETWEEN $first AND $last AND (w.epn_id = $epn OR l.epn_id IS NOT NULL)
)"""

SQL_FIGURES = f"""
WITH {LABELLED_WEEKS},
per_epn AS (
    SELECT epn_id, bool_or(peer) AS peer,
           avg(public_hours) AS public_hours,
           avg(facilitated_hours) AS facilitated_hours,
           avg(visits) AS visits_per_week,
           avg(unique_users) AS unique_users,
           avg((public_hours >= $minimum)::INTEGER) AS long_weeks_share
    FROM weeks WHERE status = 'open'
    GROUP BY epn_id
), peers AS (
    SELECT * FROM per_epn WHERE peer
), enough AS (
    SELECT count(*) >= $min_epns AS ok, count(*) AS epns FROM peers
)
SELECT {", ".join(f"o.{m}" for m in MEASURES)},
       {", ".join(f"CASE WHEN ok THEN (SELECT median({m}) FROM peers) END" for m in MEASURES)},
       epns
FROM enough LEFT JOIN (SELECT * FROM per_epn WHERE epn_id = $epn) o ON TRUE
"""
