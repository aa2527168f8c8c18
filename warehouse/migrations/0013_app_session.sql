-- Sessions of the app that survive a reload: the browser keeps only an opaque token in an
-- HttpOnly cookie; the server keeps its SHA-256 (a copy of this table signs nobody in).
-- A session ends at logout, at its expiry, or when its account is disabled, changes role
-- or gets a new password (warehouse/accounts.py ends them in the same transaction).
CREATE TABLE app_session (
    session_id          VARCHAR PRIMARY KEY,  -- server side only, never sent to a browser
    username            VARCHAR NOT NULL,
    role                VARCHAR NOT NULL,     -- as at login: another role ends the session
    epn_id              VARCHAR,
    method              VARCHAR NOT NULL,     -- password | sso
    token_hash          VARCHAR UNIQUE,       -- sha256 of the cookie's token, once handed over
    handoff_hash        VARCHAR UNIQUE,       -- sha256 of the one-time code that sets the cookie
    handoff_expires_at  TIMESTAMP,
    created_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at          TIMESTAMP NOT NULL,
    ended_at            TIMESTAMP,
    end_reason          VARCHAR               -- logout | account_disabled | role_changed | password_reset
);
CREATE INDEX app_session_user ON app_session (username);
