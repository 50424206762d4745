-- Notification preferences (package messaging/notices). Each kind of
-- notification a capability sends ("events.reminder", "decisions.reminder")
-- reaches a person instantly (the default, so no row), in their daily
-- digest, or not at all. Service mail (log-in links, receipts, the
-- confirmation of one's own RSVP) ignores these: it always goes.
CREATE TABLE notification_prefs (
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('instant', 'digest', 'off')),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, kind)
) WITHOUT ROWID;

-- Notifications waiting for a person's daily digest. The digest job takes
-- a person's rows (DELETE … RETURNING) in the transaction that queues the
-- digest mail, so a row is sent once even when the job runs twice or on two
-- nodes at once, and no copy of a notice (which may hold a link) outlives
-- its digest: the mail package redacts and purges the mail itself.
CREATE TABLE notification_digest (
    id         TEXT PRIMARY KEY,                 -- UUIDv7: sorts by time
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    to_addr    TEXT NOT NULL,                    -- the address the notice was for
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    why        TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- The job's question: who has notices waiting?
CREATE INDEX notification_digest_person ON notification_digest (person_id, created_at);
