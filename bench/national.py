"""A national-scale warehouse for the dashboard benchmark, written set-wise in SQL.

20,000 EPNs over ten years of weeks (about 10M weekly rows), an annual report per EPN and
year with its activities, audience and staff, the uploads that brought them, registry
events (labels, applications waiting for the COPIL, withdrawals), follow-up flags, accounts
and audit entries; then the charter findings mart and a published snapshot per year, built
by the product's own code. Values are drawn from a hash of their keys, so that two runs
build the same warehouse; a few EPNs open too few hours, report late or have an outlier
week, so that every page has something to show.

Ingesting this through the pipeline would take an hour and is not what is measured here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from epn.standard import ACTIVITY_KINDS, AUDIENCE_CATEGORIES, DOMAINS, FORMATS
from validation.charter.periods import monday
from warehouse import snapshots
from warehouse.db import connect, transaction
from warehouse.finding_mart import refresh_all

YEARS = 10
STATISTICS_UPLOAD = 1  # upload ids: one statistics file per EPN and year...
REPORT_UPLOAD = 2  # ...and one annual report


def first_week(today: dt.date) -> dt.date:
    return dt.date.fromisocalendar(today.year - YEARS + 1, 1, 1)


def build(db: Path, n_epns: int, today: dt.date) -> dict:
    """Writes the warehouse; returns its row counts."""
    params = {
        "n": n_epns,
        "first": first_week(today),
        "last": monday(today) - dt.timedelta(days=7),
        "first_year": today.year - YEARS + 1,
        "last_report_year": today.year - 1,
    }
    with connect(db) as con:
        with transaction(con):
            for statement in STATEMENTS:
                con.execute(
                    statement,
                    {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)},
                )
        with transaction(con):
            refresh_all(con, today)
        for year in range(params["first_year"], today.year):
            with transaction(con):
                snapshots.freeze(con, year, "bench")
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cur_weekly", "hist_report", "hist_activity", "mart_finding", "upload")
        }


def _list(values) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


AUDIENCE = [(d, c) for d, codes in AUDIENCE_CATEGORIES.items() for c in codes]

STATEMENTS = [
    # EPNs: labelled in the first years, one in fifty withdrawn, one in a hundred applying;
    # one in forty opens too few hours, another too few of them facilitated
    """
    CREATE TEMP TABLE bench_epn AS
    SELECT 'EPN-' || lpad(i::VARCHAR, 5, '0') AS epn_id, i,
           21001 + i % 19 AS commune_nis,
           ['commune', 'cpas', 'non_market', 'library'][1 + i % 4] AS authority_type,
           $first::DATE + ((i % 3) * 120)::INTEGER AS labelled_on,
           CASE WHEN i % 50 = 7 THEN $last::DATE - 400 END AS withdrawn_on,
           i % 100 = 3 AS applicant
    FROM range($n) t(i)
    """,
    """
    INSERT INTO registry_event (epn_id, event, status_after, occurred_on, recorded_by, data)
    SELECT epn_id, CASE WHEN applicant THEN 'applied' ELSE 'imported' END,
           CASE WHEN applicant THEN 'applied' ELSE 'labelled' END,
           CASE WHEN applicant THEN $last::DATE - 30 ELSE labelled_on END, 'bench',
           to_json({name: 'EPN ' || epn_id, commune_nis: commune_nis,
                    authority_name: 'Autorité ' || epn_id, authority_type: authority_type})
    FROM bench_epn ORDER BY i
    """,
    """
    INSERT INTO registry_event (epn_id, event, status_after, occurred_on, recorded_by, data)
    SELECT epn_id, 'recommended', 'recommended', $last::DATE - 20, 'bench',
           to_json({recommendation: 'favourable'})
    FROM bench_epn WHERE applicant AND i % 200 = 3
    UNION ALL
    SELECT epn_id, 'withdrawn', 'withdrawn', withdrawn_on, 'bench',
           to_json({reason: 'repeated_breach'})
    FROM bench_epn WHERE withdrawn_on IS NOT NULL
    """,
    # one statistics upload and one report upload per EPN and year
    """
    CREATE TEMP TABLE bench_epn_year AS
    SELECT e.*, y.year,
           (row_number() OVER (ORDER BY y.year, e.i)) * 2 AS upload_base
    FROM bench_epn e, range($first_year, $last_report_year + 2) y(year)
    WHERE NOT e.applicant
    """,
    f"""
    INSERT INTO upload (upload_id, sha256, filename, size_bytes, kind, received_on,
                        uploaded_by, status, epn_ids, year, errors)
    SELECT upload_base + {STATISTICS_UPLOAD - 2}, md5(epn_id || year || 's'),
           'statistiques-' || epn_id || '-' || year || '.csv', 40000, 'statistics',
           make_date(year + 1, 1, 10), 'coordinator', 'accepted', [epn_id], year, '[]'
    FROM bench_epn_year
    UNION ALL
    SELECT upload_base + {REPORT_UPLOAD - 2}, md5(epn_id || year || 'r'),
           'rapport-' || epn_id || '-' || year || '.xlsx', 60000, 'annual_report',
           make_date(year + 1, 3, 1) + 40 * (hash(epn_id, year) % 20 = 0)::INTEGER,
           epn_id, 'accepted', [epn_id], year, '[]'
    FROM bench_epn_year WHERE year <= $last_report_year
    """,
    "SELECT setval('upload_seq', (SELECT max(upload_id) + 1 FROM upload))",
    # the weeks: open but for three summer weeks; one EPN in forty opens too few hours
    f"""
    INSERT INTO hist_weekly
    SELECT y.upload_base + {STATISTICS_UPLOAD - 2}, 2 + weekofyear(w.week_start), y.epn_id,
           w.week_start, s.status, CASE WHEN s.status = 'closed' THEN 'holiday' END,
           s.hours, CASE WHEN y.i % 40 = 13 THEN s.hours // 2 ELSE s.hours END,
           s.visits, s.visits * 6 // 10, s.visits // 10
    FROM bench_epn_year y,
         (SELECT unnest(generate_series($first::DATE, $last::DATE, INTERVAL 7 DAY))::DATE
             AS week_start) w,
         LATERAL (SELECT (hash(y.epn_id, w.week_start) % 1000003)::BIGINT AS h) r,
         LATERAL (SELECT
             CASE WHEN weekofyear(w.week_start) BETWEEN 30 AND 32 THEN 'closed' ELSE 'open' END
                 AS status,
             CASE WHEN weekofyear(w.week_start) BETWEEN 30 AND 32 THEN 0
                  WHEN y.i % 40 = 11 THEN 10 + h % 4 ELSE 16 + h % 14 END AS hours,
             CASE WHEN weekofyear(w.week_start) BETWEEN 30 AND 32 THEN 0
                  WHEN h % 997 = 0 THEN 900 + h % 400 ELSE 60 + h % 90 END AS visits) s
    WHERE isoyear(w.week_start) = y.year AND w.week_start >= y.labelled_on - 6
      AND (y.withdrawn_on IS NULL OR w.week_start < y.withdrawn_on)
    """,
    "INSERT INTO cur_weekly SELECT * FROM hist_weekly",
    f"""
    INSERT INTO hist_report
    SELECT upload_base + {REPORT_UPLOAD - 2}, epn_id, year, 'Responsable ' || epn_id,
           lower(epn_id) || '@example.be', 8 + i % 8, 300 + hash(epn_id, year) % 500, true,
           CASE WHEN i % 97 = 5 THEN 'paid' ELSE 'free' END, true, i % 30 <> 4
    FROM bench_epn_year
    WHERE year <= $last_report_year AND (withdrawn_on IS NULL OR year < year(withdrawn_on))
    """,
    f"""
    INSERT INTO hist_activity
    SELECT r.upload_id, 1 + a, 'A' || a, 'Atelier ' || a,
           {_list(FORMATS)}[1 + a % 2], {_list(ACTIVITY_KINDS)}[1 + a % 4],
           {_list(DOMAINS)}[1 + (hash(r.epn_id, r.year, a) % {len(DOMAINS)})::INTEGER],
           4 + a, 8.0 + a, 20 + a * 3, 10 + a
    FROM hist_report r, range(10) t(a)
    """,
    f"""
    INSERT INTO hist_audience
    SELECT r.upload_id, 1 + a, ({_list(d for d, _ in AUDIENCE)})[1 + a],
           ({_list(c for _, c in AUDIENCE)})[1 + a],
           r.users_total // {len(AUDIENCE_CATEGORIES)}
    FROM hist_report r, range({len(AUDIENCE)}) t(a)
    """,
    """
    INSERT INTO hist_staff
    SELECT r.upload_id, 1 + s, 'S' || s, CASE WHEN s = 0 THEN 'facilitator' ELSE 'volunteer' END,
           s = 0, CASE WHEN s = 0 THEN 'Animateur multimédia' END, 19.0
    FROM hist_report r, range(3) t(s)
    """,
    """
    INSERT INTO hist_cooperation
    SELECT r.upload_id, 1, 'EPN voisin', 'EPN-' || lpad(((e.i + 1) % $n)::VARCHAR, 5, '0'),
           'Atelier commun', make_date(r.year, 5, 12)
    FROM hist_report r JOIN bench_epn e USING (epn_id) WHERE e.i % 25 <> 9
    """,
    """
    INSERT INTO followup_flag (epn_id, week_start, measure, action, note, recorded_by)
    SELECT epn_id, week_start, 'visits', 'set', 'À vérifier', 'coordinator'
    FROM cur_weekly WHERE visits >= 900 AND hash(epn_id) % 3 = 0
    """,
    """
    INSERT INTO app_user (username, display_name, role, epn_id)
    SELECT 'user-' || epn_id, 'Responsable ' || epn_id, 'epn_user', epn_id
    FROM bench_epn WHERE i % 10 = 0
    """,
    """
    INSERT INTO audit_log (username, action, target, outcome, detail)
    SELECT uploaded_by, 'upload', filename, status, to_json({upload_id: upload_id})
    FROM upload
    """,
]
