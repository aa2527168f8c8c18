-- Published (frozen) indicators per reporting year: what the Region published must not move
-- when late corrections arrive. Append-only: the latest snapshot of a year is the current
-- one, earlier ones stay as history.
CREATE SEQUENCE indicator_snapshot_seq START 1;
CREATE TABLE indicator_snapshot (
    snapshot_id  BIGINT PRIMARY KEY DEFAULT nextval('indicator_snapshot_seq'),
    year         INTEGER NOT NULL,
    frozen_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    frozen_by    VARCHAR NOT NULL,
    document     JSON NOT NULL,  -- the `epn indicators --json` document, as published
    details      JSON            -- what the page and the annual report show beside it
);

CREATE VIEW cur_indicator_snapshot AS
SELECT * FROM indicator_snapshot
QUALIFY row_number() OVER (PARTITION BY year ORDER BY snapshot_id DESC) = 1;
