-- Decisions: proposals, polls, ballots and elections (package decisions).
--
-- Secret ballots keep what was voted (decision_ballots) apart from who voted
-- (decision_voters). Neither table has a timestamp, a sequence or a
-- reference to the other; a ballot's key is 128 random bits and the table is
-- WITHOUT ROWID, so its storage order is the order of random keys, never the
-- order of voting. Only a named (open) vote puts person_id on its ballot.

CREATE TABLE decisions (
    id                   TEXT PRIMARY KEY,                    -- UUIDv7
    group_id             TEXT REFERENCES groups (id),         -- NULL: network-wide
    title                TEXT NOT NULL,
    body                 TEXT NOT NULL DEFAULT '',            -- Markdown
    kind                 TEXT NOT NULL CHECK (kind IN ('proposal', 'poll', 'approval', 'ranked', 'election', 'score', 'dot', 'meeting_time')),
    method               TEXT NOT NULL,                       -- a tally.Method
    seats                INTEGER NOT NULL DEFAULT 1,
    max_points           INTEGER NOT NULL DEFAULT 0,          -- score: highest score; dot: dots per voter
    secret               INTEGER NOT NULL DEFAULT 1,
    status               TEXT NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'discussion', 'nominations', 'voting', 'closed', 'published', 'withdrawn')),
    opens_at             TIMESTAMP,                           -- UTC, whole seconds
    closes_at            TIMESTAMP,
    scope                TEXT NOT NULL DEFAULT 'group' CHECK (scope IN ('group', 'network')),
    members_only         INTEGER NOT NULL DEFAULT 1,          -- only people whose membership_status is 'member'
    member_since         TIMESTAMP,                           -- cut-off: members since at most this time
    quorum_percent       INTEGER NOT NULL DEFAULT 0 CHECK (quorum_percent BETWEEN 0 AND 100),
    required_num         INTEGER NOT NULL DEFAULT 1,
    required_den         INTEGER NOT NULL DEFAULT 2,
    min_rep_category     TEXT NOT NULL DEFAULT '',
    min_rep_seats        INTEGER NOT NULL DEFAULT 0,
    nomination_threshold INTEGER NOT NULL DEFAULT 0,
    tie_order            TEXT NOT NULL DEFAULT '',            -- JSON candidate indexes drawn by lot at the close
    created_by           TEXT REFERENCES users (id) ON DELETE SET NULL,
    outcome              TEXT NOT NULL DEFAULT '',            -- the outcome statement
    results              TEXT,                                -- JSON: the count, turnout, electorate size
    electorate_size      INTEGER NOT NULL DEFAULT 0,
    turnout              INTEGER NOT NULL DEFAULT 0,
    opened_at            TIMESTAMP,
    closed_at            TIMESTAMP,
    published_at         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX decisions_group ON decisions (group_id, status, id);
CREATE INDEX decisions_status ON decisions (status, id);
CREATE INDEX decisions_opens ON decisions (status, opens_at);
CREATE INDEX decisions_closes ON decisions (status, closes_at);

-- The choices on a ballot, known by position (1, 2, …) in ballot content.
CREATE TABLE decision_options (
    id          TEXT PRIMARY KEY,                             -- UUIDv7
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',                     -- a candidate's statement
    category    TEXT NOT NULL DEFAULT '',                     -- e.g. 'woman', for minimum representation
    person_id   TEXT REFERENCES people (id) ON DELETE SET NULL, -- a candidate
    UNIQUE (decision_id, position)
);

-- Nominations for an election; public, so they keep their times.
CREATE TABLE decision_nominations (
    id           TEXT PRIMARY KEY,                            -- UUIDv7
    decision_id  TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    statement    TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    nominated_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (decision_id, person_id)
);

-- Members supporting a nomination (the nominator counts too when not the nominee).
CREATE TABLE decision_seconds (
    nomination_id TEXT NOT NULL REFERENCES decision_nominations (id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (nomination_id, person_id)
);

-- Who may vote: frozen when voting opens.
CREATE TABLE decision_electorate (
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (decision_id, person_id)
) WITHOUT ROWID;

-- Who has voted (turnout, reminders, one vote each). No time, no ballot.
CREATE TABLE decision_voters (
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (decision_id, person_id)
) WITHOUT ROWID;

-- What was voted. id: 128 random bits; receipt_hash: hex(sha256(receipt
-- code)); content: JSON. person_id only on named votes.
CREATE TABLE decision_ballots (
    id           TEXT PRIMARY KEY,
    decision_id  TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    receipt_hash TEXT NOT NULL UNIQUE,
    content      TEXT NOT NULL,
    person_id    TEXT REFERENCES people (id) ON DELETE SET NULL
) WITHOUT ROWID;
CREATE INDEX decision_ballots_decision ON decision_ballots (decision_id, receipt_hash);
