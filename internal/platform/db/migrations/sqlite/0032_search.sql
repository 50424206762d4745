-- The full-text index (package search): one row per searchable item
-- (thread, comment, document, decision, event, group), written by each
-- capability in the transaction that writes the item. n is the row's
-- number, the FTS5 table's rowid (an INTEGER PRIMARY KEY, so VACUUM keeps
-- it). group_id is '' for network-wide items. visibility is public |
-- members | group: the search query filters on it, so an item the asker
-- may not see is never read.
CREATE TABLE search_docs (
    n           INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    group_id    TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    context     TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX search_docs_group_at ON search_docs (group_id, at);
CREATE INDEX search_docs_at ON search_docs (at);
-- What the permission and filters read of a match, found by its number: a
-- covering index, so checking a thousand candidates reads a few small
-- pages instead of a thousand rows with their bodies.
CREATE INDEX search_docs_scope ON search_docs (n, visibility, group_id, kind, at);

-- Words seen in titles and bodies (lower-cased, unstemmed), for "did you
-- mean": a misspelt word is matched against these. Only ever added to.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY
);

-- SQLite only: the FTS5 index over search_docs (external content, kept in
-- step by the triggers below). Porter stemming over unicode61 words; bm25
-- weights title over body over context at query time. PostgreSQL has a
-- tsvector column and a GIN index instead (schema_parity_test lists both).
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, context,
    content = 'search_docs', content_rowid = 'n',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, context) VALUES (new.n, new.title, new.body, new.context);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, context) VALUES ('delete', old.n, old.title, old.body, old.context);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, context) VALUES ('delete', old.n, old.title, old.body, old.context);
    INSERT INTO search_fts (rowid, title, body, context) VALUES (new.n, new.title, new.body, new.context);
END;
