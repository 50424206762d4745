-- Issue 14 (apievents): an event's place keeps the parts of an address
-- Action Network's API sends and answers (location.locality, region,
-- country), besides the venue, address and postcode it had.
ALTER TABLE events ADD COLUMN locality TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN region   TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN country  TEXT NOT NULL DEFAULT '';
