-- Weekly opening and attendance statistics (standard §3).
-- History keeps every accepted value with the upload it came from; never overwritten.
CREATE TABLE hist_weekly (
    upload_id         BIGINT NOT NULL,
    source_row        INTEGER,
    epn_id            VARCHAR NOT NULL,
    week_start        DATE NOT NULL,
    status            VARCHAR NOT NULL,
    closure_reason    VARCHAR,
    public_hours      DOUBLE,
    facilitated_hours DOUBLE,
    visits            INTEGER,
    unique_users      INTEGER,
    new_users         INTEGER
);

-- Current facts: the latest accepted value per (epn_id, week_start), maintained on ingest
-- in the same transaction as the history (a window view would be too slow at 10M rows).
CREATE TABLE cur_weekly AS SELECT * FROM hist_weekly WITH NO DATA;
