-- Local accounts (argon2id hashes) and the audit trail of who did or was refused what.
CREATE TABLE app_user (
    username        VARCHAR PRIMARY KEY,
    display_name    VARCHAR,
    role            VARCHAR NOT NULL,   -- epn_user | coordinator | copil | region | admin
    epn_id          VARCHAR,            -- the EPN an epn_user acts for
    password_hash   VARCHAR,            -- NULL for accounts that only log in through OIDC
    email           VARCHAR,
    disabled        BOOLEAN NOT NULL DEFAULT false,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE audit_seq START 1;
CREATE TABLE audit_log (
    audit_id    BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    username    VARCHAR,
    action      VARCHAR NOT NULL,   -- upload | registry_step | login | access_denied | account...
    target      VARCHAR,            -- file, EPN id, username...
    outcome     VARCHAR NOT NULL,   -- ok | accepted | rejected | duplicate | refused | failed
    detail      JSON
);
