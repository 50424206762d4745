-- The decision log (issue 13): every closed or published decision, read
-- straight from decisions (no copy that could drift). A decision may carry a
-- topic (free short text the log filters and links by) and, chosen when its
-- results are published, public_record: the record (title, outcome
-- statement, results summary) is published openly, to everyone, in the log,
-- its Atom feed and the open-data export.
ALTER TABLE decisions ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN public_record INTEGER NOT NULL DEFAULT 0;
CREATE INDEX decisions_log ON decisions (closed_at, id);
CREATE INDEX decisions_topic ON decisions (topic, closed_at);
