-- Reminders and one-click cancel links (package events).
--
-- event_reminders records each reminder sent to each person, so that the
-- events.remind job sends the one a day before and the one two hours before
-- once each, on any number of nodes (the primary key decides).
CREATE TABLE event_reminders (
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('day', 'hours')),
    sent_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, person_id, kind)
);

-- "I can't come any more" links in reminder and confirmation mails: only
-- the SHA-256 of the random token is kept, as for one_time_tokens. A link
-- works until the event ends, once.
CREATE TABLE event_cancel_links (
    token_hash TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX event_cancel_links_expiry ON event_cancel_links (expires_at);
