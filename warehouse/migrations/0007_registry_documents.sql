-- Documents received with an application or later (art. 7 § 1): decision in principle,
-- identification, evidence. Kept whole with their sha256, append-only like the events.
CREATE SEQUENCE registry_document_seq START 1;
CREATE TABLE registry_document (
    document_id BIGINT PRIMARY KEY DEFAULT nextval('registry_document_seq'),
    epn_id      VARCHAR NOT NULL,
    event_id    BIGINT NOT NULL REFERENCES registry_event (event_id),  -- applied | attached
    kind        VARCHAR NOT NULL CHECK (kind IN ('decision', 'identification', 'evidence', 'other')),
    filename    VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    content     BLOB NOT NULL,
    received_on DATE NOT NULL,        -- when the document reached the Region
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    recorded_by VARCHAR
);
