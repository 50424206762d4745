-- The network's people (package people). A person is a record the network
-- holds — a supporter from a petition, a donor, a member — whether or not
-- they have an account; user_id links the two when they do.

CREATE TABLE people (
    id                TEXT PRIMARY KEY,                  -- UUIDv7
    user_id           TEXT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    given_name        TEXT NOT NULL DEFAULT '',
    family_name       TEXT NOT NULL DEFAULT '',
    email             TEXT,                              -- primary address, lowercased; all addresses in person_emails
    phone             TEXT,                              -- primary number, E.164; all numbers in person_phones
    email_key         TEXT,                              -- canonical primary email (no +tag; gmail without dots), for duplicates
    name_key          TEXT NOT NULL DEFAULT '',          -- "given family" lowercased, letters only, for duplicates
    address_line1     TEXT NOT NULL DEFAULT '',
    address_line2     TEXT NOT NULL DEFAULT '',
    locality          TEXT NOT NULL DEFAULT '',          -- town or city
    region            TEXT NOT NULL DEFAULT '',
    postcode          TEXT NOT NULL DEFAULT '',          -- normalised: "E8 1DY"
    postcode_district TEXT NOT NULL DEFAULT '',          -- outward code: "E8"
    country           TEXT NOT NULL DEFAULT 'GB',
    latitude          DOUBLE PRECISION,
    longitude         DOUBLE PRECISION,
    language          TEXT NOT NULL DEFAULT 'en',
    membership_status TEXT NOT NULL DEFAULT 'supporter'
                      CHECK (membership_status IN ('supporter', 'member', 'lapsed')),
    member_since      TIMESTAMPTZ,
    lapsed_at         TIMESTAMPTZ,
    ladder            TEXT NOT NULL DEFAULT 'supporter'  -- computed from what the person does
                      CHECK (ladder IN ('supporter', 'donor', 'member', 'active', 'organiser')),
    last_active_at    TIMESTAMPTZ,
    source            TEXT NOT NULL DEFAULT 'admin'      -- where the person came from
                      CHECK (source IN ('import', 'signup', 'event', 'api', 'admin')),
    source_detail     TEXT NOT NULL DEFAULT '',          -- file name, form, event id
    custom_fields     TEXT NOT NULL DEFAULT '{}',        -- JSON object, keys from custom_field_defs
    show_name         BOOLEAN NOT NULL DEFAULT FALSE, -- the person lets other members see their name
    erased_at         TIMESTAMPTZ,                         -- set when anonymised on request
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_email ON people (email);
CREATE INDEX people_phone ON people (phone);
CREATE INDEX people_district ON people (postcode_district, id);
CREATE INDEX people_ladder ON people (ladder, id);
CREATE INDEX people_updated ON people (updated_at);
CREATE INDEX people_names ON people (family_name, given_name);
CREATE INDEX people_email_key ON people (email_key);
CREATE INDEX people_postcode_name ON people (postcode, name_key);
CREATE INDEX people_location ON people (latitude, longitude);

-- Every address a person uses; an address belongs to one person.
CREATE TABLE person_emails (
    address    TEXT PRIMARY KEY,                         -- lowercased
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_emails_person ON person_emails (person_id);

-- Every phone number (E.164). A household may share one, so not unique.
CREATE TABLE person_phones (
    number     TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (number, person_id)
);
CREATE INDEX person_phones_person ON person_phones (person_id);

CREATE TABLE tags (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,                     -- lowercased name: tags are case-insensitive
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE person_tags (
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tag_id, person_id)
);
CREATE INDEX person_tags_person ON person_tags (person_id);

-- Fields admins add to every person record.
CREATE TABLE custom_field_defs (
    key        TEXT PRIMARY KEY,                         -- [a-z0-9_]+
    label      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    choices    TEXT NOT NULL DEFAULT '[]',               -- JSON array for kind choice
    created_at TIMESTAMPTZ NOT NULL
);

-- Private notes by organisers and admins. group_id: written by an organiser of
-- that group, and visible to that group's organisers (and admins).
CREATE TABLE person_notes (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    author_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    group_id   TEXT,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_notes_person ON person_notes (person_id, created_at);

-- Donations, imported or recorded: a donor is visible as a donor.
CREATE TABLE donations (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    currency     TEXT NOT NULL DEFAULT 'GBP',
    donated_at   TIMESTAMPTZ NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    external_id  TEXT UNIQUE,                            -- the payment system's id: imports stay idempotent
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX donations_person ON donations (person_id, donated_at);

-- Consent per channel: the current state, and every change in consent_history.
CREATE TABLE consents (
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
    status     TEXT NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    changed_at TIMESTAMPTZ NOT NULL,
    source     TEXT NOT NULL,                            -- "signup form", "import: file.csv", "unsubscribe link"
    wording    TEXT NOT NULL DEFAULT '',                 -- what the person agreed to, word for word
    PRIMARY KEY (person_id, channel)
);
CREATE INDEX consents_channel ON consents (channel, status, person_id);

CREATE TABLE consent_history (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    status      TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    source      TEXT NOT NULL,
    wording     TEXT NOT NULL DEFAULT '',
    actor_label TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consent_history_person ON consent_history (person_id, changed_at);

-- The timeline: what a person did, reported by every capability.
CREATE TABLE person_actions (
    id        TEXT PRIMARY KEY,                          -- UUIDv7
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    at        TIMESTAMPTZ NOT NULL,
    kind      TEXT NOT NULL,                             -- "event.attended", "decision.voted", "donation"
    summary   TEXT NOT NULL,
    ref_type  TEXT NOT NULL DEFAULT '',
    ref_id    TEXT NOT NULL DEFAULT '',
    group_id  TEXT,
    participation BOOLEAN NOT NULL DEFAULT FALSE -- took part: counts for last_active_at and the ladder
);
CREATE INDEX person_actions_person ON person_actions (person_id, at, id);
CREATE INDEX person_actions_at ON person_actions (at);

-- Saved filters of the people list (OSDI lists).
CREATE TABLE people_lists (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    filter     TEXT NOT NULL,                            -- JSON of people.Filter
    group_id   TEXT,                                     -- a group's list, or NULL for the network
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_lists_group ON people_lists (group_id, name);

-- Imports: one row per run. A run is resumable: processed_rows is committed
-- with each batch, so a run started again on the same file (same sha256)
-- carries on from there.
CREATE TABLE import_runs (
    id             TEXT PRIMARY KEY,
    file_name      TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    mapping        TEXT NOT NULL DEFAULT '{}',           -- JSON: column -> field
    tags           TEXT NOT NULL DEFAULT '[]',           -- JSON array
    total_rows     INTEGER NOT NULL DEFAULT 0,
    processed_rows BIGINT NOT NULL DEFAULT 0,
    created_count  INTEGER NOT NULL DEFAULT 0,
    updated_count  INTEGER NOT NULL DEFAULT 0,
    rejected_count BIGINT NOT NULL DEFAULT 0,
    errors         TEXT NOT NULL DEFAULT '[]',           -- JSON: [{line, message}], the first 1000
    created_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    group_id       TEXT,
    started_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX import_runs_file ON import_runs (file_sha256, status);
