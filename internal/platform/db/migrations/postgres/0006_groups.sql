-- Local groups, regions above them, working groups across the network, and
-- who belongs to which (package groups). Groups are never deleted: a group
-- that ends is archived (merged_into says where its members went).

CREATE TABLE regions (
    id         TEXT PRIMARY KEY,                          -- UUIDv7
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE groups (
    id               TEXT PRIMARY KEY,                    -- UUIDv7
    slug             TEXT NOT NULL UNIQUE,                -- in URLs: /groups/hackney
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('local', 'working')),
    region_id        TEXT REFERENCES regions (id),
    description      TEXT NOT NULL DEFAULT '',
    join_policy      TEXT NOT NULL DEFAULT 'open' CHECK (join_policy IN ('open', 'request', 'invite')),
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dormant', 'archived')),
    merged_into      TEXT REFERENCES groups (id),
    centre_lat       DOUBLE PRECISION,                    -- a local group's area: a centre and radius,
    centre_lng       DOUBLE PRECISION,                    -- and/or postcode districts (group_districts)
    radius_km        DOUBLE PRECISION,
    last_activity_at TIMESTAMPTZ NOT NULL,                -- events, meetings… (Service.Touch)
    dormant_at       TIMESTAMPTZ,
    archived_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX groups_kind ON groups (kind, status, slug);
CREATE INDEX groups_region ON groups (region_id, slug);
CREATE INDEX groups_activity ON groups (status, last_activity_at);

-- The postcode districts ("E8") a local group covers.
CREATE TABLE group_districts (
    group_id TEXT NOT NULL REFERENCES groups (id),
    district TEXT NOT NULL,
    PRIMARY KEY (group_id, district)
);
CREATE INDEX group_districts_district ON group_districts (district);

-- Memberships. The people package reads these columns (group filter, the
-- organiser rung of the ladder): keep their names.
CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES groups (id),
    person_id  TEXT NOT NULL REFERENCES people (id),
    role       TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('organiser', 'moderator', 'member')),
    status     TEXT NOT NULL CHECK (status IN ('active', 'requested', 'invited', 'left')),
    show_name  BOOLEAN NOT NULL DEFAULT FALSE,            -- the member lets other members see their name here
    joined_at  TIMESTAMPTZ NOT NULL,                      -- when the row was created (asked, invited or joined)
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_members_person ON group_members (person_id);
CREATE INDEX group_members_list ON group_members (group_id, status, joined_at, person_id);

-- A group's own history: joins, departures, role changes, lifecycle. It moves
-- with the members when a group is merged. Details hold ids, never names.
CREATE TABLE group_log (
    id        TEXT PRIMARY KEY,                           -- UUIDv7
    group_id  TEXT NOT NULL REFERENCES groups (id),
    at        TIMESTAMPTZ NOT NULL,
    kind      TEXT NOT NULL,                              -- joined, left, role, dormant, revived, merged, archived
    person_id TEXT REFERENCES people (id) ON DELETE SET NULL,
    detail    TEXT NOT NULL DEFAULT ''                    -- a role, or the other group's name
);
CREATE INDEX group_log_group ON group_log (group_id, at);

-- A group's page lists the timeline entries other capabilities report for it.
CREATE INDEX person_actions_group ON person_actions (group_id, at);
