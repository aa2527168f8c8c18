-- Reminders to EPNs (what they owe: weeks of statistics, the annual report) and the outbox
-- that records every message, sent or not. The registry's identity gains the EPN's contact
-- e-mail and language (optional registry-file columns, an extension of the standard).
CREATE OR REPLACE VIEW registry_identity AS
SELECT epn_id,
       data ->> 'name'                        AS name,
       CAST(data ->> 'commune_nis' AS INTEGER) AS commune_nis,
       data ->> 'address'                     AS address,
       CAST(data ->> 'postcode' AS INTEGER)    AS postcode,
       data ->> 'authority_name'              AS authority_name,
       data ->> 'authority_type'              AS authority_type,
       CAST(data ->> 'workstations' AS INTEGER) AS workstations,
       data ->> 'contact_email'               AS contact_email,
       data ->> 'language'                    AS language
FROM registry_event
WHERE data ->> 'name' IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY epn_id ORDER BY event_id DESC) = 1;

CREATE SEQUENCE reminder_outbox_seq START 1;
CREATE TABLE reminder_outbox (
    message_id   BIGINT PRIMARY KEY DEFAULT nextval('reminder_outbox_seq'),
    epn_id       VARCHAR NOT NULL,
    as_of        DATE NOT NULL,
    fingerprint  VARCHAR NOT NULL,   -- what is owed; the same one is not sent twice in 7 days
    recipient    VARCHAR,
    language     VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    outcome      VARCHAR NOT NULL,   -- sent | failed | no_contact
    detail       VARCHAR,            -- why it was not sent
    recorded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    recorded_by  VARCHAR
);
