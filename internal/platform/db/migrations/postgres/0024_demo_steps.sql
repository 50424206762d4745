-- The demo network's progress (package demo), so that a run of
-- `momentum demo` or `serve --demo` killed half-way is finished by the
-- next run instead of leaving a network without its events or decisions.
--
-- step names a part of the load: 'run' (item: "seed people", written
-- first), 'admin', 'people', 'groups', 'event' (one row per event, item: its
-- index, ref: its id), 'events', 'decisions' and 'finished' (written last).
CREATE TABLE demo_steps (
    step    TEXT NOT NULL,
    item    TEXT NOT NULL DEFAULT '',
    ref     TEXT NOT NULL DEFAULT '',
    done_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (step, item)
);
