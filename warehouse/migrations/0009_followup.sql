-- Follow-up flags the coordinator puts on outlier weeks (a value far from the EPN's own
-- history). Append-only like the registry: each set or clear is a row, so the history of
-- who flagged what, when and why is never lost; the current state of a week and measure
-- is its latest row (view followup_current).
CREATE SEQUENCE followup_flag_seq START 1;
CREATE TABLE followup_flag (
    flag_id     BIGINT PRIMARY KEY DEFAULT nextval('followup_flag_seq'),
    epn_id      VARCHAR NOT NULL,
    week_start  DATE NOT NULL,
    measure     VARCHAR NOT NULL CHECK (measure IN ('visits', 'public_hours')),
    action      VARCHAR NOT NULL CHECK (action IN ('set', 'clear')),
    note        VARCHAR,
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE VIEW followup_current AS
WITH latest AS (
    SELECT * FROM followup_flag
    QUALIFY row_number() OVER (PARTITION BY epn_id, week_start, measure ORDER BY flag_id DESC) = 1
), last_set AS (
    SELECT epn_id, week_start, measure, recorded_by AS flagged_by, recorded_at AS flagged_at,
           note
    FROM followup_flag WHERE action = 'set'
    QUALIFY row_number() OVER (PARTITION BY epn_id, week_start, measure ORDER BY flag_id DESC) = 1
)
SELECT l.epn_id, l.week_start, l.measure, l.action = 'set' AS flagged,
       s.flagged_by, s.flagged_at, s.note,
       CASE WHEN l.action = 'clear' THEN l.recorded_by END AS cleared_by,
       CASE WHEN l.action = 'clear' THEN l.recorded_at END AS cleared_at,
       CASE WHEN l.action = 'clear' THEN l.note END AS clear_note
FROM latest l LEFT JOIN last_set s USING (epn_id, week_start, measure);
