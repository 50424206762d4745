-- Where an account has logged in from (package auth), so that log-in
-- throttling can tell the owner's browsers and usual addresses from a
-- stranger's: failures from strangers cannot use up the owner's budget
-- (docs/SECURITY.md, "Log-in throttling").
--
-- kind 'device': a browser that logged in holds a random device cookie; id is
-- the SHA-256 (hex) of its value, never the value itself.
-- kind 'address': an address a log-in succeeded from; id is the SHA-256 (hex)
-- of the user id and the address, so it can be matched, not listed.
CREATE TABLE login_sources (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('device', 'address')),
    created_at    TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_sources_user ON login_sources (user_id, kind, last_login_at);
