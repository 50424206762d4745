-- Accounts, sessions, one-time links, rate limits and API tokens (package auth).

-- People who can sign in. email is stored lowercased; role is the network-wide
-- role (group roles live with groups).
CREATE TABLE users (
    id                TEXT PRIMARY KEY,                 -- UUIDv7
    email             TEXT NOT NULL UNIQUE,             -- lowercased
    name              TEXT NOT NULL,
    password_hash     TEXT,                             -- argon2id PHC string; NULL: links only
    role              TEXT NOT NULL DEFAULT 'supporter'
                      CHECK (role IN ('admin', 'member', 'supporter')),
    email_verified_at TIMESTAMPTZ,
    totp_secret       TEXT,                             -- base32; set while enrolling and once enabled
    totp_enabled_at   TIMESTAMPTZ,                        -- NULL: not enabled (or enrolment pending)
    totp_last_step    BIGINT  NOT NULL DEFAULT 0,       -- last accepted 30 s step: no code is used twice
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    disabled_at       TIMESTAMPTZ
);
CREATE INDEX users_role ON users (role, id);

-- Signed-in browsers. id is the SHA-256 (hex) of the cookie value; the cookie
-- value itself is never stored.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,                    -- absolute end, whatever the activity
    mfa_pending  BOOLEAN NOT NULL DEFAULT FALSE,       -- true: password done, TOTP code still due
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Links sent by mail. hash is the SHA-256 (hex) of the token in the link.
-- email is the address the link was sent to (the new address for change_email).
CREATE TABLE one_time_tokens (
    hash       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL
               CHECK (kind IN ('verify_email', 'login_link', 'reset_password', 'change_email')),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, kind);
CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);

-- Fixed-window counters shared by every node. bucket names the limit and a
-- hash of its key (never a raw email or IP).
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- Machine access (federation, scripts). token_hash is the SHA-256 (hex) of
-- the plaintext, which is shown once.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scope        TEXT NOT NULL CHECK (scope IN ('network_admin', 'group')),
    group_id     TEXT,                                  -- the group a 'group' token acts for
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
