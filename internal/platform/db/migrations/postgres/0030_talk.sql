-- Discussion (package talk): threads in a group or network-wide, or
-- attached to a decision, event or meeting; comments with one level of
-- replies, their earlier texts, reactions; who follows and who has read
-- what; and moderation (flags, hidden comments, mutes, the code of
-- conduct). Authors are accounts (users), so a person's talk stays with
-- their account through a people merge; an erased account has no name
-- and its comments show as "a former member".

CREATE TABLE talk_threads (
    id             TEXT PRIMARY KEY,                    -- UUIDv7
    group_id       TEXT REFERENCES groups (id),         -- NULL: the network's
    subject_kind   TEXT NOT NULL DEFAULT '',            -- '', decision, event, meeting
    subject_id     TEXT NOT NULL DEFAULT '',
    subject_url    TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',            -- Markdown: the opening post
    visibility     TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'group')),
    author_id      TEXT REFERENCES users (id),          -- NULL: started by the system
    pinned         BOOLEAN NOT NULL DEFAULT FALSE,
    locked         BOOLEAN NOT NULL DEFAULT FALSE,
    lock_reason    TEXT NOT NULL DEFAULT '',
    comment_count  INTEGER NOT NULL DEFAULT 0,         -- hidden ones too
    last_post_at   TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- One thread per subject.
CREATE UNIQUE INDEX talk_threads_subject ON talk_threads (subject_kind, subject_id) WHERE subject_kind <> '';
-- A group's list and the network's list: pinned first, then latest post.
CREATE INDEX talk_threads_group ON talk_threads (group_id, pinned, last_post_at);

CREATE TABLE talk_comments (
    id          TEXT PRIMARY KEY,                       -- UUIDv7
    thread_id   TEXT NOT NULL REFERENCES talk_threads (id),
    parent_id   TEXT REFERENCES talk_comments (id),     -- a reply's top-level comment
    author_id   TEXT REFERENCES users (id),
    body        TEXT NOT NULL,
    hidden      BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by   TEXT REFERENCES users (id),
    hidden_at   TIMESTAMPTZ,
    edited      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX talk_comments_thread ON talk_comments (thread_id, created_at);
CREATE INDEX talk_comments_author ON talk_comments (author_id);

-- A comment's earlier texts.
CREATE TABLE talk_revisions (
    id         TEXT PRIMARY KEY,
    comment_id TEXT NOT NULL REFERENCES talk_comments (id),
    body       TEXT NOT NULL,
    edited_by  TEXT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL                       -- when it was replaced
);
CREATE INDEX talk_revisions_comment ON talk_revisions (comment_id, created_at);

-- A thread's earlier titles and opening posts (issue 13: editing the
-- opening post).
CREATE TABLE talk_thread_revisions (
    id         TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES talk_threads (id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    edited_by  TEXT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL                -- when it was replaced
);
CREATE INDEX talk_thread_revisions_thread ON talk_thread_revisions (thread_id, created_at);

CREATE TABLE talk_reactions (
    comment_id TEXT NOT NULL REFERENCES talk_comments (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    emoji      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (comment_id, user_id, emoji)
);

CREATE TABLE talk_follows (
    thread_id  TEXT NOT NULL REFERENCES talk_threads (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX talk_follows_user ON talk_follows (user_id, thread_id);

-- Unread markers: comments after last_read_at are new to the user.
CREATE TABLE talk_reads (
    user_id      TEXT NOT NULL REFERENCES users (id),
    thread_id    TEXT NOT NULL REFERENCES talk_threads (id),
    last_read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

-- Who a comment mentioned (and so was told).
CREATE TABLE talk_mentions (
    comment_id TEXT NOT NULL REFERENCES talk_comments (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (comment_id, user_id)
);

-- Members' reports of a comment; resolved when a moderator hides the
-- comment or dismisses the flags.
CREATE TABLE talk_flags (
    id          TEXT PRIMARY KEY,
    comment_id  TEXT NOT NULL REFERENCES talk_comments (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolution  TEXT NOT NULL DEFAULT ''                -- hidden, dismissed
);
CREATE UNIQUE INDEX talk_flags_once ON talk_flags (comment_id, user_id);
-- The moderation queue: open flags.
CREATE INDEX talk_flags_open ON talk_flags (resolved_at, comment_id);

-- A person who may not post in a group ('' for the network) until a time.
CREATE TABLE talk_mutes (
    group_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    muted_until TIMESTAMPTZ NOT NULL,
    reason     TEXT NOT NULL,
    by_id      TEXT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

-- The network's code of conduct: one row once an admin has written it.
CREATE TABLE talk_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    code_of_conduct TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
