-- Broadcasts (package messaging): an email or SMS to a segment of people.
-- A broadcast is written as a draft, may wait for an admin's approval, is
-- scheduled or sent at once; sending first fixes its recipients (one row
-- each in broadcast_recipients, so nobody is counted or sent to twice) and
-- then a job fans the rows out in batches.
CREATE TABLE broadcasts (
    id            TEXT PRIMARY KEY,
    channel       TEXT NOT NULL DEFAULT 'email',   -- email | sms
    group_id      TEXT REFERENCES groups (id) ON DELETE SET NULL, -- the sending group; NULL: the network
    status        TEXT NOT NULL DEFAULT 'draft',   -- draft | approval | scheduled | sending | paused | sent | cancelled
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',        -- Markdown with {{placeholders}}; the SMS text for SMS
    from_name     TEXT NOT NULL DEFAULT '',        -- shown beside the network's sending address
    reply_to      TEXT NOT NULL DEFAULT '',
    targets       TEXT NOT NULL DEFAULT '[]',      -- JSON: [{"kind":"list|filter|group|tag|event|decision", ...}]
    track         BOOLEAN NOT NULL DEFAULT FALSE,     -- opens and clicks were tracked (the network setting at send time)
    send_at       TIMESTAMPTZ,                       -- scheduled time; NULL: when sent
    created_by    TEXT NOT NULL DEFAULT '',        -- user id
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    approved_by   TEXT NOT NULL DEFAULT '',
    approved_at   TIMESTAMPTZ,
    started_at    TIMESTAMPTZ,                       -- recipients fixed, sending began
    finished_at   TIMESTAMPTZ,
    recipients    INTEGER NOT NULL DEFAULT 0       -- how many rows broadcast_recipients holds
);
CREATE INDEX broadcasts_group ON broadcasts (group_id, created_at);
CREATE INDEX broadcasts_due ON broadcasts (status, send_at);

-- One row per person a broadcast goes to, fixed when sending begins.
-- status: queued -> sending (claimed by a job; never yet handed to the
-- server) -> sent (recorded before the server is told to deliver, so a
-- crash never sends twice) | failed | bounced | complained | skipped.
CREATE TABLE broadcast_recipients (
    broadcast_id  TEXT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL,
    address       TEXT NOT NULL,                   -- email address or phone number at the time
    token         TEXT NOT NULL,                   -- 128 random bits: unsubscribe and tracking links
    status        TEXT NOT NULL DEFAULT 'queued',
    claim         TEXT NOT NULL DEFAULT '',        -- the job attempt that claimed it
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       TIMESTAMPTZ,
    error         TEXT NOT NULL DEFAULT '',
    smtp_code     INTEGER NOT NULL DEFAULT 0,
    opened_at     TIMESTAMPTZ,
    clicked_at    TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ,
    PRIMARY KEY (broadcast_id, person_id)
);
CREATE INDEX broadcast_recipients_status ON broadcast_recipients (broadcast_id, status);
CREATE UNIQUE INDEX broadcast_recipients_token ON broadcast_recipients (token);
CREATE INDEX broadcast_recipients_person ON broadcast_recipients (person_id);

-- Addresses no broadcast may go to: hard bounces, complaints, and
-- addresses an admin blocked. Keyed by the lower-cased address or number.
CREATE TABLE suppressions (
    address    TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,                      -- bounce | complaint | manual | stop
    source     TEXT NOT NULL DEFAULT '',           -- e.g. "postmark webhook", "smtp 550"
    created_at TIMESTAMPTZ NOT NULL
);

-- The network's messaging settings: one row.
CREATE TABLE messaging_settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    approve_groups   BOOLEAN NOT NULL DEFAULT FALSE,  -- an admin approves group broadcasts before they go
    track            BOOLEAN NOT NULL DEFAULT FALSE,  -- count opens and clicks (off by default)
    updated_at       TIMESTAMPTZ NOT NULL
);
