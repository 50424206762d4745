-- Network-wide settings that admins change at run time (not deployment config).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The audit log: append-only, one row per write made through a service.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,          -- UUIDv7, so ids sort by time
    at          TIMESTAMP NOT NULL,
    actor_id    TEXT,                      -- NULL for the system (jobs, CLI without a user)
    actor_label TEXT NOT NULL,             -- email or "system", kept if the account goes
    action      TEXT NOT NULL,             -- e.g. "user.signup", "session.login"
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}' -- JSON
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
