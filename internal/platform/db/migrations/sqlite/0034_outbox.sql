-- The outbox (package platform/outbox): what happened that the world
-- outside may be told of, appended in the transaction of the change and
-- read in order by the webhooks dispatcher. seq is the order; dispatched_at
-- is set once the event has been turned into deliveries.
CREATE TABLE outbox_events (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    group_id      TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL DEFAULT '{}',
    at            TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP
);
CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE dispatched_at IS NULL;
