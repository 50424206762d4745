-- Events and shifts whose times lie outside 1900–2199 (UTC). Before issue
-- 11, an event at 9999-12-31 23:30 in Pacific/Honolulu was stored in the
-- year 10000 UTC, which SQLite keeps as text no driver reads back as a time:
-- the event's page and every list holding it failed until the row was
-- deleted. Input is bounded now (platform/timebound); this repairs rows
-- stored before, keeping them on record: the event is cancelled and moved,
-- with its shifts, to the last day of the range, so it reads back again.
-- Times are text here ("2026-03-09 19:00:00+00:00"): a four-digit year
-- compares as text (against literals that are not numbers: the columns'
-- NUMERIC affinity would turn '2200' into an integer); anything else (a
-- five-digit year) is out of range.
UPDATE events SET status = 'cancelled', sequence = sequence + 1,
    starts_at = '2199-12-31 00:00:00+00:00', ends_at = '2199-12-31 01:00:00+00:00'
WHERE NOT (starts_at GLOB '[0-9][0-9][0-9][0-9]-*' AND ends_at GLOB '[0-9][0-9][0-9][0-9]-*')
   OR starts_at < '1900-01-01' OR ends_at < '1900-01-01' OR starts_at >= '2200-01-01' OR ends_at >= '2200-01-01';

UPDATE event_shifts SET starts_at = '2199-12-31 00:00:00+00:00', ends_at = '2199-12-31 01:00:00+00:00'
WHERE NOT (starts_at GLOB '[0-9][0-9][0-9][0-9]-*' AND ends_at GLOB '[0-9][0-9][0-9][0-9]-*')
   OR starts_at < '1900-01-01' OR ends_at < '1900-01-01' OR starts_at >= '2200-01-01' OR ends_at >= '2200-01-01';
