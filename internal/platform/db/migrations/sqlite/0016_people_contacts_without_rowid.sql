-- person_emails, person_phones and person_tags become WITHOUT ROWID
-- tables (SQLite only; PostgreSQL has no rowid). Each row is a short key
-- and nothing else, so storing it in its primary key's own B-tree, rather
-- than in a rowid table plus an index of that key, writes one B-tree
-- fewer per row. An import writes one row of each per person.

CREATE TABLE person_emails_new (
    address    TEXT PRIMARY KEY,                         -- lowercased
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
INSERT INTO person_emails_new (address, person_id, created_at) SELECT address, person_id, created_at FROM person_emails;
DROP TABLE person_emails;
ALTER TABLE person_emails_new RENAME TO person_emails;
CREATE INDEX person_emails_person ON person_emails (person_id);

-- Every phone number (E.164). A household may share one, so not unique.
CREATE TABLE person_phones_new (
    number     TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (number, person_id)
) WITHOUT ROWID;
INSERT INTO person_phones_new (number, person_id, created_at) SELECT number, person_id, created_at FROM person_phones;
DROP TABLE person_phones;
ALTER TABLE person_phones_new RENAME TO person_phones;
CREATE INDEX person_phones_person ON person_phones (person_id);

CREATE TABLE person_tags_new (
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tag_id, person_id)
) WITHOUT ROWID;
INSERT INTO person_tags_new (tag_id, person_id, created_at) SELECT tag_id, person_id, created_at FROM person_tags;
DROP TABLE person_tags;
ALTER TABLE person_tags_new RENAME TO person_tags;
CREATE INDEX person_tags_person ON person_tags (person_id);
