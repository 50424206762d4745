-- Actions (package actions, issue 14): petitions and forms, and the
-- responses to them (signatures and submissions). confirmed_count is the
-- number of confirmed responses, kept in the transaction that confirms
-- one, so a petition's page reads its count without counting.

CREATE TABLE actions (
    id              TEXT PRIMARY KEY,                    -- UUIDv7
    kind            TEXT NOT NULL CHECK (kind IN ('petition', 'form')),
    group_id        TEXT REFERENCES groups (id),         -- NULL: the network's
    slug            TEXT NOT NULL UNIQUE,                -- the public address /act/{slug}
    title           TEXT NOT NULL,
    target          TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL DEFAULT '',            -- Markdown
    goal            INTEGER NOT NULL DEFAULT 0,
    comments        BOOLEAN NOT NULL DEFAULT FALSE,
    questions       TEXT NOT NULL DEFAULT '[]',          -- JSON array of questions
    consent_wording TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',          -- JSON array of tag names
    thanks_subject  TEXT NOT NULL DEFAULT '',
    thanks_text     TEXT NOT NULL DEFAULT '',
    thanks_page     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_by      TEXT REFERENCES users (id),          -- NULL: the system
    confirmed_count INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX actions_group ON actions (group_id, id);

-- One person's response to an action: a second one by the same person is
-- a duplicate, not a row. confirm_hash is the SHA-256 of the double
-- opt-in link's token, NULL once confirmed (or when none was asked).
CREATE TABLE action_responses (
    id           TEXT PRIMARY KEY,                       -- UUIDv7
    action_id    TEXT NOT NULL REFERENCES actions (id),
    person_id    TEXT NOT NULL REFERENCES people (id),
    comment      TEXT NOT NULL DEFAULT '',
    answers      TEXT NOT NULL DEFAULT '{}',             -- JSON object by question key
    email_opt_in BOOLEAN NOT NULL DEFAULT FALSE,         -- ticked the consent box (granted on confirmation)
    source       TEXT NOT NULL DEFAULT '',               -- page, "embed: <origin>", "api: <token>"
    referrer     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    confirm_hash TEXT UNIQUE,
    UNIQUE (action_id, person_id)
);
CREATE INDEX action_responses_list ON action_responses (action_id, created_at DESC, id DESC);
CREATE INDEX action_responses_person ON action_responses (person_id);
