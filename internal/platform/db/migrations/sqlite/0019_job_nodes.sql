-- The processes working jobs, so that a node can tell that another has
-- died and rescue the jobs it was running within seconds, instead of
-- River's rescuer, which waits for the job's whole timeout (two hours for
-- an import). Each node writes its row when it starts, refreshes
-- heartbeat_at every few seconds and deletes it when it stops cleanly.
CREATE TABLE job_nodes (
    id           TEXT PRIMARY KEY,          -- River's client id: river_job.attempted_by names it
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    -- Where pid means something: host, boot id and pid namespace ('' when
    -- unknown). A node in the same space can tell at once that pid is gone.
    space        TEXT NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL
);

-- The job that runs a run staged by the wizard (NULL for the command
-- line's imports): while its run is pending or running, the same file is
-- not imported again beside it.
ALTER TABLE import_runs ADD COLUMN job_id BIGINT;
-- At most one such run of a file per group (or for the whole network) is
-- under way at a time: a second upload of the file is refused with a link
-- to the first, even when two arrive at once on two nodes.
CREATE UNIQUE INDEX import_runs_one_active ON import_runs (file_sha256, COALESCE(group_id, ''))
    WHERE job_id IS NOT NULL AND status IN ('pending', 'running');
