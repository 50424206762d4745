package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// EndFunc is told that Jobs ended a job of its kind without a worker
// seeing it end: cancelled before it ran, or while its node was dead, or
// discarded when its dead node had used its last attempt. state is
// "cancelled" or "discarded"; args are the job's JSON args. A worker
// ends its own jobs and learns of it by what it returns.
type EndFunc func(ctx context.Context, args []byte, state string) error

// watch keeps this node's heartbeat and rescues the jobs of dead nodes,
// at once and then every RescueEvery, until ctx is done.
func (j *Jobs) watch(ctx context.Context) {
	defer close(j.watchDone)
	beat := time.NewTicker(HeartbeatEvery)
	defer beat.Stop()
	sweep := time.NewTicker(RescueEvery)
	defer sweep.Stop()
	j.rescueLogged(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			if err := j.heartbeat(ctx); err != nil && ctx.Err() == nil {
				j.log.Warn("job node heartbeat", "err", err)
			}
		case <-sweep.C:
			j.rescueLogged(ctx)
		}
	}
}

func (j *Jobs) rescueLogged(ctx context.Context) {
	n, err := j.RescueDead(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		j.log.Warn("rescue the jobs of dead nodes", "err", err)
	case n > 0:
		j.log.Info("rescued the jobs of dead nodes", "jobs", n)
	}
}

// RescueDead finds running jobs whose node is dead (see NodeDeadAfter;
// at once for a node on this machine whose process is gone) and ends
// their attempt as River's rescuer would, without waiting for their
// timeout: a job whose cancellation was asked for is cancelled, one that
// has used its attempts is discarded, and the rest run again at once. It
// returns how many jobs it rescued. Nodes call it on their own; it is
// exported for tests and tools.
func (j *Jobs) RescueDead(ctx context.Context) (int, error) {
	now := db.Now()
	// Rows of nodes dead for an hour have long had their jobs rescued.
	if _, err := j.d.Exec(ctx, `DELETE FROM job_nodes WHERE heartbeat_at < ?`, now.Add(-time.Hour)); err != nil {
		return 0, fmt.Errorf("forget dead job nodes: %w", err)
	}
	live, err := j.liveNodes(ctx, now)
	if err != nil {
		return 0, err
	}
	res, err := j.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(10_000))
	if err != nil {
		return 0, fmt.Errorf("list running jobs: %w", err)
	}
	var dead []*rivertype.JobRow
	for _, job := range res.Jobs {
		if orphaned(job, live, now) {
			dead = append(dead, job)
		}
	}
	return len(dead), j.rescue(ctx, dead, "", now)
}

// orphaned reports whether a running job's node is dead. live maps the
// nodes of job_nodes to whether they are alive; a node the table does not
// know (one that never registered, or whose row was forgotten) counts as
// dead once the attempt is NodeDeadAfter old.
func orphaned(job *rivertype.JobRow, live map[string]bool, now time.Time) bool {
	if job.State != rivertype.JobStateRunning || len(job.AttemptedBy) == 0 {
		return false
	}
	node := job.AttemptedBy[len(job.AttemptedBy)-1]
	alive, known := live[node]
	if known {
		return !alive
	}
	return job.AttemptedAt == nil || now.Sub(*job.AttemptedAt) > NodeDeadAfter
}

// rescue ends the attempts of running jobs whose node is dead. to forces
// the new state (cancelled or available) for every job; "" decides per
// job as River's rescuer does.
func (j *Jobs) rescue(ctx context.Context, dead []*rivertype.JobRow, to rivertype.JobState, now time.Time) error {
	if len(dead) == 0 {
		return nil
	}
	var ended []*rivertype.JobRow
	for _, job := range dead {
		state := to
		if state == "" {
			var meta struct {
				CancelAttemptedAt *time.Time `json:"cancel_attempted_at"`
			}
			_ = json.Unmarshal(job.Metadata, &meta)
			switch {
			case meta.CancelAttemptedAt != nil:
				state = rivertype.JobStateCancelled
			case job.Attempt >= job.MaxAttempts:
				state = rivertype.JobStateDiscarded
			default:
				state = rivertype.JobStateAvailable
			}
		}
		msg, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(job.Attempt, 0),
			Error: fmt.Sprintf("the node running it (%s) stopped; rescued by another", job.AttemptedBy[len(job.AttemptedBy)-1])})
		var finalized *time.Time
		scheduled := now
		if state != rivertype.JobStateAvailable {
			finalized, scheduled = &now, job.ScheduledAt
			ended = append(ended, &rivertype.JobRow{ID: job.ID, Kind: job.Kind, EncodedArgs: job.EncodedArgs, State: state})
		}
		// The horizon is just after this attempt began: if another node
		// rescued the job first and it is running again, this changes
		// nothing (River's SQLite driver keeps milliseconds).
		horizon := now
		if job.AttemptedAt != nil {
			horizon = job.AttemptedAt.Add(time.Millisecond)
		}
		_, err := j.exec.JobRescueMany(ctx, &riverdriver.JobRescueManyParams{ID: []int64{job.ID}, Error: [][]byte{msg},
			FinalizedAt: []*time.Time{finalized}, ScheduledAt: []time.Time{scheduled}, State: []string{string(state)},
			StuckHorizon: horizon})
		if err != nil {
			return fmt.Errorf("rescue job %d: %w", job.ID, err)
		}
	}
	for _, job := range ended {
		j.ended(ctx, job)
	}
	return nil
}

// ended tells the job's kind that Jobs ended it. A failure is logged: the
// job is ended whatever the domain says.
func (j *Jobs) ended(ctx context.Context, job *rivertype.JobRow) {
	fn := j.onEnd[job.Kind]
	if fn == nil {
		return
	}
	if err := fn(ctx, []byte(compactJSON(job.EncodedArgs)), string(job.State)); err != nil {
		j.log.Error("tell a job's kind it ended", "job_id", job.ID, "kind", job.Kind, "err", err)
	}
}

// deadOwner reports whether a running job's node is dead.
func (j *Jobs) deadOwner(ctx context.Context, job *rivertype.JobRow) (bool, error) {
	now := db.Now()
	live, err := j.liveNodes(ctx, now)
	if err != nil {
		return false, err
	}
	return orphaned(job, live, now), nil
}
