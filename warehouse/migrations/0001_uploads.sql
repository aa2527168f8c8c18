-- Every received file, accepted or rejected (duplicates change nothing and are not stored).
CREATE SEQUENCE upload_seq START 1;
CREATE TABLE upload (
    upload_id   BIGINT PRIMARY KEY DEFAULT nextval('upload_seq'),
    sha256      VARCHAR NOT NULL,
    filename    VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    kind        VARCHAR,            -- annual_report | statistics | NULL when unreadable
    received_on DATE NOT NULL,      -- when the file reached the Region
    uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    uploaded_by VARCHAR,
    status      VARCHAR NOT NULL,   -- accepted | rejected
    epn_ids     VARCHAR[],
    year        INTEGER,
    errors      JSON
);
