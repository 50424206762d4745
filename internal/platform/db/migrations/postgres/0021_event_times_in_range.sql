-- Events and shifts whose times lie outside 1900–2199 (UTC). Before issue
-- 11 such times could be stored (an event at 9999-12-31 23:30 in
-- Pacific/Honolulu is in the year 10000 UTC); SQLite could not read them
-- back (see its 0021). PostgreSQL can, but the range is the same on both
-- engines (platform/timebound): the event is cancelled and moved, with its
-- shifts, to the last day of the range, keeping it on record.
UPDATE events SET status = 'cancelled', sequence = sequence + 1,
    starts_at = '2199-12-31 00:00:00+00', ends_at = '2199-12-31 01:00:00+00'
WHERE starts_at < '1900-01-01 00:00:00+00' OR ends_at < '1900-01-01 00:00:00+00'
   OR starts_at >= '2200-01-01 00:00:00+00' OR ends_at >= '2200-01-01 00:00:00+00';

UPDATE event_shifts SET starts_at = '2199-12-31 00:00:00+00', ends_at = '2199-12-31 01:00:00+00'
WHERE starts_at < '1900-01-01 00:00:00+00' OR ends_at < '1900-01-01 00:00:00+00'
   OR starts_at >= '2200-01-01 00:00:00+00' OR ends_at >= '2200-01-01 00:00:00+00';
