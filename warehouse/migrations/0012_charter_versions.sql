-- The charter's versions as warehouse data (issue 15): the coordinator proposes a version,
-- the COPIL adopts it. A row is never updated nor deleted: a version is followed by a new
-- one. Seeded with the shipped default (validation/charter/charter_terms.toml), adopted.
CREATE SEQUENCE charter_version_seq START 1;
CREATE TABLE charter_version (
    version_id             INTEGER PRIMARY KEY DEFAULT nextval('charter_version_seq'),
    effective_from         DATE NOT NULL,     -- a reporting year is judged by the version in force on 1 January
    name                   VARCHAR NOT NULL,
    min_public_hours       DOUBLE NOT NULL CHECK (min_public_hours >= 0),
    min_facilitated_hours  DOUBLE NOT NULL CHECK (min_facilitated_hours >= 0),
    hours_tolerance_weeks  INTEGER NOT NULL CHECK (hours_tolerance_weeks BETWEEN 0 AND 53),
    report_deadline_month  INTEGER NOT NULL CHECK (report_deadline_month BETWEEN 1 AND 12),
    report_deadline_day    INTEGER NOT NULL CHECK (report_deadline_day BETWEEN 1 AND 31),
    reporting_from         INTEGER NOT NULL,  -- the first reporting year judged
    proposed_by            VARCHAR NOT NULL,
    proposed_at            TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note                   VARCHAR
);

CREATE TABLE charter_adoption (
    version_id  INTEGER PRIMARY KEY REFERENCES charter_version (version_id),
    adopted_by  VARCHAR NOT NULL,
    adopted_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

INSERT INTO charter_version (effective_from, name, min_public_hours, min_facilitated_hours,
    hours_tolerance_weeks, report_deadline_month, report_deadline_day, reporting_from,
    proposed_by, note)
VALUES {charter_default};
INSERT INTO charter_adoption (version_id, adopted_by) SELECT version_id, 'system' FROM charter_version;

-- Each finding and each published snapshot names the version it was judged by.
ALTER TABLE mart_finding ADD COLUMN charter_version INTEGER;
ALTER TABLE indicator_snapshot ADD COLUMN charter_version INTEGER;
CREATE OR REPLACE VIEW cur_indicator_snapshot AS
SELECT * FROM indicator_snapshot
QUALIFY row_number() OVER (PARTITION BY year ORDER BY snapshot_id DESC) = 1;
