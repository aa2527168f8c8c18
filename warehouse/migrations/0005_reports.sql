-- Annual activity reports (standard §2): history per upload; the current report per
-- (epn_id, year) is the latest accepted upload.
CREATE TABLE hist_report (
    upload_id               BIGINT NOT NULL,
    epn_id                  VARCHAR NOT NULL,
    year                    INTEGER NOT NULL,
    submitted_by            VARCHAR,
    contact_email           VARCHAR,
    workstations            INTEGER,
    users_total             INTEGER,
    nonprofit               BOOLEAN,
    fees                    VARCHAR,
    label_sticker_displayed BOOLEAN,
    charter_displayed       BOOLEAN
);
CREATE TABLE hist_staff (
    upload_id BIGINT NOT NULL, source_row INTEGER, staff_ref VARCHAR, role VARCHAR,
    qualified BOOLEAN, qualification VARCHAR, weekly_hours DOUBLE
);
CREATE TABLE hist_activity (
    upload_id BIGINT NOT NULL, source_row INTEGER, activity_ref VARCHAR, title VARCHAR,
    format VARCHAR, kind VARCHAR, domain VARCHAR, sessions INTEGER, hours DOUBLE,
    participants INTEGER, priority_participants INTEGER
);
CREATE TABLE hist_audience (
    upload_id BIGINT NOT NULL, source_row INTEGER, dimension VARCHAR, category VARCHAR,
    users INTEGER
);
CREATE TABLE hist_cooperation (
    upload_id BIGINT NOT NULL, source_row INTEGER, partner VARCHAR, partner_epn_id VARCHAR,
    action VARCHAR, date DATE
);
CREATE TABLE hist_narrative (upload_id BIGINT NOT NULL, key VARCHAR, value VARCHAR);

CREATE VIEW cur_report AS
SELECT r.*, u.received_on,
       min(u.received_on) OVER (PARTITION BY r.epn_id, r.year) AS first_received_on
FROM hist_report r JOIN upload u USING (upload_id)
QUALIFY row_number() OVER (PARTITION BY r.epn_id, r.year ORDER BY r.upload_id DESC) = 1;
