-- Text messages people sent to the network's SMS number (package sms): one
-- row per message the provider's webhook delivered, with what it did. A
-- STOP withdraws the sender's 'sms' consent and adds the number to
-- suppressions; START gives both back; HELP is answered; anything else is
-- only recorded. Bodies are cut to 320 characters (two SMS): this is a log
-- of replies, not an inbox.
CREATE TABLE sms_inbound (
    id           TEXT PRIMARY KEY,
    from_number  TEXT NOT NULL,                  -- E.164, or the sender as given (cut) when not a number
    body         TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,                  -- stop | start | help | none
    person_id    TEXT REFERENCES people (id) ON DELETE SET NULL, -- the first person with that number; NULL: unknown
    people       INTEGER NOT NULL DEFAULT 0,     -- how many people have that number (a household may share one)
    provider_id  TEXT NOT NULL DEFAULT '',       -- the provider's message id (Twilio's MessageSid)
    received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sms_inbound_received ON sms_inbound (received_at);
CREATE INDEX sms_inbound_from ON sms_inbound (from_number);
