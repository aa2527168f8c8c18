-- The coordinator's review of a charter finding, and the exchange with the EPN about it.
-- A finding is named by its stable key in the findings mart: the EPN, the year, the rule's
-- code and, for a repeated breach, the code that repeats ('' otherwise). Append-only like
-- the registry: a new review is a new row (the current review is the latest, view
-- finding_review_current), a message is never edited or deleted.
CREATE SEQUENCE finding_review_seq START 1;
CREATE TABLE finding_review (
    review_id     BIGINT PRIMARY KEY DEFAULT nextval('finding_review_seq'),
    epn_id        VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    code          VARCHAR NOT NULL,
    repeated_code VARCHAR NOT NULL DEFAULT '',
    status        VARCHAR NOT NULL CHECK (status IN ('confirmed', 'justified')),
    reason        VARCHAR,
    reviewed_by   VARCHAR NOT NULL,
    reviewed_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (status <> 'justified' OR length(trim(reason)) > 0)  -- a justification says why
);

CREATE SEQUENCE finding_message_seq START 1;
CREATE TABLE finding_message (
    message_id    BIGINT PRIMARY KEY DEFAULT nextval('finding_message_seq'),
    epn_id        VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    code          VARCHAR NOT NULL,
    repeated_code VARCHAR NOT NULL DEFAULT '',
    author        VARCHAR NOT NULL,
    author_role   VARCHAR NOT NULL CHECK (author_role IN ('coordinator', 'epn_user')),
    body          VARCHAR NOT NULL CHECK (length(trim(body)) > 0),
    written_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE VIEW finding_review_current AS
SELECT * FROM finding_review
QUALIFY row_number() OVER (
    PARTITION BY epn_id, year, code, repeated_code ORDER BY review_id DESC
) = 1;
