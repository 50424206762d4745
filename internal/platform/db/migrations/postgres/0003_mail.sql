-- Outgoing mail. Every mail Momentum sends is first a row here, written in the
-- transaction of the change that caused it, so a mail is never lost between the
-- change and the send. With no SMTP server configured, mail is 'kept' here: the
-- development outbox (/admin/outbox).
CREATE TABLE mail_messages (
    id              TEXT PRIMARY KEY,                 -- UUIDv7
    created_at      TIMESTAMPTZ NOT NULL,
    to_addr         TEXT NOT NULL,                    -- bare address, e.g. ada@example.org
    to_name         TEXT NOT NULL DEFAULT '',         -- display name, may be empty
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,                             -- NULL: text only
    headers         TEXT NOT NULL DEFAULT '{}',       -- JSON object of extra headers
    kind            TEXT NOT NULL DEFAULT 'service'
                    CHECK (kind IN ('service', 'bulk')),
    status          TEXT NOT NULL
                    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'kept')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMPTZ,                      -- NULL: as soon as possible
    claimed_at      TIMESTAMPTZ,                      -- when a worker marked it 'sending'
    sent_at         TIMESTAMPTZ,
    message_id      TEXT NOT NULL,                    -- the Message-ID header, <id@domain>
    related         TEXT NOT NULL DEFAULT ''          -- what caused it, e.g. "auth.verify_email"
);
CREATE INDEX mail_messages_status ON mail_messages (status, created_at);
-- Service mail (password resets, sign-in links) jumps the queue of a broadcast.
CREATE INDEX mail_messages_queued_service ON mail_messages (created_at)
    WHERE status = 'queued' AND kind = 'service';
