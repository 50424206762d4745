-- Events (package events): a group's or the network's meetings, rallies,
-- canvasses, phone banks, trainings and socials; who said they are coming,
-- and who came.

CREATE TABLE events (
    id                TEXT PRIMARY KEY,                       -- UUIDv7
    group_id          TEXT REFERENCES groups (id),            -- NULL: a network event
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',               -- Markdown
    kind              TEXT NOT NULL CHECK (kind IN ('meeting', 'rally', 'canvass', 'phone_bank', 'training', 'social')),
    starts_at         TIMESTAMPTZ NOT NULL,
    ends_at           TIMESTAMPTZ NOT NULL,
    time_zone         TEXT NOT NULL,                          -- IANA, e.g. Europe/London: times are shown and exported in it
    place_name        TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    postcode          TEXT NOT NULL DEFAULT '',
    postcode_district TEXT NOT NULL DEFAULT '',
    latitude          DOUBLE PRECISION,
    longitude         DOUBLE PRECISION,
    online_url        TEXT NOT NULL DEFAULT '',
    capacity          INTEGER CHECK (capacity IS NULL OR capacity > 0), -- NULL: no limit
    visibility        TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members', 'group')),
    rrule             TEXT NOT NULL DEFAULT '',               -- RFC 5545 recurrence, e.g. FREQ=WEEKLY;COUNT=6
    status            TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    sequence          INTEGER NOT NULL DEFAULT 0,             -- bumped on changes attendees must hear of (iCalendar SEQUENCE)
    created_by        TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_upcoming ON events (status, visibility, starts_at);
CREATE INDEX events_group ON events (group_id, starts_at);
CREATE INDEX events_location ON events (latitude, longitude);

CREATE TABLE event_hosts (
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_hosts_person ON event_hosts (person_id);

-- Volunteer shifts: time slots of an event with their own capacity.
CREATE TABLE event_shifts (
    id        TEXT PRIMARY KEY,
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title     TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at   TIMESTAMPTZ NOT NULL,
    capacity  INTEGER CHECK (capacity IS NULL OR capacity > 0)
);
CREATE INDEX event_shifts_event ON event_shifts (event_id, starts_at);

-- RSVPs in OSDI's attendance terms, plus the waitlist. shift_id is '' for
-- the event itself. waitlisted_at orders the waitlist: the first waiting is
-- the first promoted when a place frees.
CREATE TABLE event_rsvps (
    event_id      TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    shift_id      TEXT NOT NULL DEFAULT '',
    person_id     TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('accepted', 'tentative', 'declined', 'waitlisted')),
    waitlisted_at TIMESTAMPTZ,
    attended_at   TIMESTAMPTZ,                                        -- checked in at the door
    source        TEXT NOT NULL DEFAULT '',                   -- "event page", "walk-in", "api", "organiser"
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, shift_id, person_id)
);
CREATE INDEX event_rsvps_person ON event_rsvps (person_id);
CREATE INDEX event_rsvps_waitlist ON event_rsvps (event_id, shift_id, status, waitlisted_at);
