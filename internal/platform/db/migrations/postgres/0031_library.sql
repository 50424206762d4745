-- The knowledge base (package library, issue 13): folders of Markdown
-- documents, each save a numbered revision; attachments kept in a
-- files.Store (the row holds its key); learning paths (ordered documents)
-- and who ticked which step off. A folder or document with no group_id is
-- the network's. A document is never more open than its folder, nor a
-- folder than its parent (the service checks), so a document's own
-- visibility is all a reader's check needs.
CREATE TABLE library_folders (
    id          TEXT PRIMARY KEY,
    group_id    TEXT REFERENCES groups (id) ON DELETE CASCADE,          -- NULL: the network's
    parent_id   TEXT REFERENCES library_folders (id) ON DELETE CASCADE, -- NULL: top level
    name        TEXT NOT NULL,
    visibility  TEXT NOT NULL,                                          -- public | members | group
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX library_folders_group ON library_folders (group_id, parent_id);
CREATE INDEX library_folders_parent ON library_folders (parent_id);

CREATE TABLE library_documents (
    id          TEXT PRIMARY KEY,
    folder_id   TEXT NOT NULL REFERENCES library_folders (id) ON DELETE CASCADE,
    group_id    TEXT REFERENCES groups (id) ON DELETE CASCADE,          -- the folder's, copied for the checks
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL,
    revision    INTEGER NOT NULL,                                       -- the current revision's number
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX library_documents_folder ON library_documents (folder_id, title);
CREATE INDEX library_documents_group ON library_documents (group_id);

-- Every save of a document, whole (documents are short; a diff is worked
-- out when asked for).
CREATE TABLE library_revisions (
    document_id   TEXT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    visibility    TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    author_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_name   TEXT NOT NULL DEFAULT '',                             -- as it was when saved
    restored_from INTEGER NOT NULL DEFAULT 0,                           -- the revision this one restored; 0: none
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (document_id, number)
);

CREATE TABLE library_attachments (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,                                         -- the uploaded file's name, cleaned
    content_type TEXT NOT NULL,                                         -- sniffed by files.Check
    size         BIGINT NOT NULL,
    storage_key  TEXT NOT NULL,                                         -- "attachments/<id>" in the files.Store
    uploaded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX library_attachments_document ON library_attachments (document_id);

-- Learning paths: ordered documents a member ticks off.
CREATE TABLE library_paths (
    id          TEXT PRIMARY KEY,
    group_id    TEXT REFERENCES groups (id) ON DELETE CASCADE,          -- NULL: the network's
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX library_paths_group ON library_paths (group_id);

CREATE TABLE library_path_steps (
    path_id     TEXT NOT NULL REFERENCES library_paths (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (path_id, document_id)
);
CREATE INDEX library_path_steps_document ON library_path_steps (document_id);

CREATE TABLE library_path_progress (
    path_id     TEXT NOT NULL REFERENCES library_paths (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    done_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (path_id, user_id, document_id)
);
