-- Pairs an admin has looked at on the duplicates page and found to be two
-- different people (a parent and child at one address, say): they are no
-- longer offered as likely duplicates. a < b.
CREATE TABLE people_distinct (
    a          TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b          TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
);
CREATE INDEX people_distinct_b ON people_distinct (b);
