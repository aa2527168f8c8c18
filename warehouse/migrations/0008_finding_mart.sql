-- Charter findings as a mart: what the dashboards read instead of evaluating the charter on
-- every page view. Refreshed for the EPNs and years an upload or a registry step touches,
-- and in full once a day (time moves deadlines and the current week).
CREATE TABLE mart_finding (
    epn_id    VARCHAR NOT NULL,
    year      INTEGER NOT NULL,
    code      VARCHAR NOT NULL,
    severity  VARCHAR NOT NULL,
    evidence  JSON,
    as_of     DATE NOT NULL
);

CREATE TABLE mart_refresh (
    name          VARCHAR PRIMARY KEY,
    refreshed_on  DATE NOT NULL,
    refreshed_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
