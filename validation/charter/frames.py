"""The frames the charter rules look at, built in SQL from the warehouse's current facts."""

# The report frame of every judged year at once, over the labelled periods loaded
# (``judged.load_periods``), with a ``year`` column: one row per EPN labelled during each year,
# with that year's latest report received by ``$as_of`` and the year's deadline.
# {periods}: the table of labelled periods (``judged.PERIODS``)
REPORTS_QUERY = """
    WITH received AS (
        SELECT r.*, u.received_on
        FROM hist_report r JOIN upload u USING (upload_id)
        SEMI JOIN {periods} p ON p.epn_id = r.epn_id AND p.year = r.year
        WHERE u.received_on <= $as_of AND u.status = 'accepted'
    ), latest AS (
        SELECT *, min(received_on) OVER (PARTITION BY epn_id, year) AS first_received_on
        FROM received
        QUALIFY row_number() OVER (PARTITION BY epn_id, year ORDER BY upload_id DESC) = 1
    ), staff AS (
        SELECT upload_id, count(*) AS staff_rows,
               count(*) FILTER (WHERE role = 'facilitator' AND qualified)
                   AS qualified_facilitators
        FROM hist_staff WHERE upload_id IN (SELECT upload_id FROM latest)
        GROUP BY upload_id
    ), activity AS (
        SELECT upload_id, sum(participants) AS participants,
               sum(priority_participants) AS priority_participants
        FROM hist_activity WHERE upload_id IN (SELECT upload_id FROM latest)
        GROUP BY upload_id
    ), cooperation AS (
        SELECT upload_id, count(*) AS cooperation_actions
        FROM hist_cooperation WHERE upload_id IN (SELECT upload_id FROM latest)
        GROUP BY upload_id
    )
    SELECT p.year, p.epn_id, l.upload_id IS NOT NULL AS has_report, l.upload_id,
           l.nonprofit, l.fees, l.label_sticker_displayed, l.charter_displayed,
           coalesce(s.staff_rows, 0) AS staff_rows,
           coalesce(s.qualified_facilitators, 0) AS qualified_facilitators,
           coalesce(a.participants, 0) AS participants,
           coalesce(a.priority_participants, 0) AS priority_participants,
           coalesce(c.cooperation_actions, 0) AS cooperation_actions,
           l.first_received_on, p.deadline, p.deadline_passed
    FROM {periods} p
    LEFT JOIN latest l ON l.epn_id = p.epn_id AND l.year = p.year
    LEFT JOIN staff s ON s.upload_id = l.upload_id
    LEFT JOIN activity a ON a.upload_id = l.upload_id
    LEFT JOIN cooperation c ON c.upload_id = l.upload_id
    ORDER BY p.year, p.epn_id
"""
