-- A person's private calendar feed of the events they said they would come
-- to (package events): the feed's address holds a token, stored hashed.
CREATE TABLE event_feed_tokens (
    person_id  TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,                      -- hex SHA-256 of the token in the address
    created_at TIMESTAMP NOT NULL
);
