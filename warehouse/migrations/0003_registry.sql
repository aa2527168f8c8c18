-- The labelling registry as an append-only history of events; status is derived from it.
CREATE SEQUENCE registry_event_seq START 1;
CREATE TABLE registry_event (
    event_id     BIGINT PRIMARY KEY DEFAULT nextval('registry_event_seq'),
    epn_id       VARCHAR NOT NULL,
    event        VARCHAR NOT NULL,   -- imported | applied | recommended | visited | ratified | rejected | signed | withdrawn
    status_after VARCHAR,            -- the status this event sets; NULL when unchanged (visit)
    occurred_on  DATE,
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    recorded_by  VARCHAR,
    note         VARCHAR,
    data         JSON                -- identity, recommendation, reason, documents...
);

-- Identity: the latest event that carries one.
CREATE VIEW registry_identity AS
SELECT epn_id,
       data ->> 'name'                        AS name,
       CAST(data ->> 'commune_nis' AS INTEGER) AS commune_nis,
       data ->> 'address'                     AS address,
       CAST(data ->> 'postcode' AS INTEGER)    AS postcode,
       data ->> 'authority_name'              AS authority_name,
       data ->> 'authority_type'              AS authority_type,
       CAST(data ->> 'workstations' AS INTEGER) AS workstations
FROM registry_event
WHERE data ->> 'name' IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY event_id DESC) = 1;

CREATE VIEW registry_current AS
WITH status AS (
    SELECT epn_id, status_after AS status, occurred_on AS status_since
    FROM registry_event WHERE status_after IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY event_id DESC) = 1
), labelled AS (
    SELECT epn_id, max(occurred_on) AS labelled_on
    FROM registry_event WHERE status_after = 'labelled' GROUP BY epn_id
), withdrawn AS (
    SELECT epn_id, max(occurred_on) AS withdrawn_on
    FROM registry_event WHERE event = 'withdrawn' GROUP BY epn_id
), received AS (
    SELECT epn_id, min(occurred_on) AS received_on
    FROM registry_event WHERE event IN ('applied', 'imported') GROUP BY epn_id
)
SELECT i.*, s.status, s.status_since, l.labelled_on, w.withdrawn_on, r.received_on
FROM registry_identity i
JOIN status s USING (epn_id)
LEFT JOIN labelled l USING (epn_id)
LEFT JOIN withdrawn w USING (epn_id)
LEFT JOIN received r USING (epn_id);
