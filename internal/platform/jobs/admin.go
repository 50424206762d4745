package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// States are River's job states, in the order the admin page shows them.
// "pending" is only used by River features Momentum does not use yet.
var States = []string{
	string(rivertype.JobStateAvailable),
	string(rivertype.JobStateRunning),
	string(rivertype.JobStateScheduled),
	string(rivertype.JobStateRetryable),
	string(rivertype.JobStateDiscarded),
	string(rivertype.JobStateCancelled),
	string(rivertype.JobStateCompleted),
	string(rivertype.JobStatePending),
}

// ListFilter selects jobs for List. Empty fields match everything.
type ListFilter struct {
	State string // one of States
	Kind  string
	Queue string
	// BeforeID pages backwards: jobs with a smaller id (ids grow with time).
	BeforeID int64
	Limit    int // default 50, at most 500
}

// Info is a job as the admin page shows it.
type Info struct {
	ID                   int64
	Kind, Queue, State   string
	Attempt, MaxAttempts int
	CreatedAt            time.Time
	// ScheduledAt is when the job is (or was) due to run: its next retry for
	// a job that failed.
	ScheduledAt time.Time
	FinalizedAt *time.Time // when it completed, was discarded or cancelled
	// Errors of past attempts, oldest first: "attempt 2 at <RFC 3339>: <error>".
	Errors []string
	Args   string // JSON
	// Orphaned is true for a running job whose node is dead: a node will
	// run it again within RescueEvery, and Retry or Cancel act at once.
	Orphaned bool
}

// List returns jobs newest first. The caller checks that the viewer may see
// them: args can hold personal data.
//
// Errors: errs.Invalid for an unknown state.
func (j *Jobs) List(ctx context.Context, f ListFilter) ([]Info, error) {
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	p = p.First(min(limit, 500))
	if f.State != "" {
		if !slices.Contains(States, f.State) {
			return nil, errs.E(errs.Invalid, "There is no job state %q.", f.State)
		}
		p = p.States(rivertype.JobState(f.State))
	}
	if f.Kind != "" {
		p = p.Kinds(f.Kind)
	}
	if f.Queue != "" {
		p = p.Queues(f.Queue)
	}
	if f.BeforeID > 0 {
		p = p.Where("id < @before_id", river.NamedArgs{"before_id": f.BeforeID})
	}
	res, err := j.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out := make([]Info, len(res.Jobs))
	var live map[string]bool
	now := db.Now()
	for i, r := range res.Jobs {
		out[i] = infoOf(r)
		if r.State != rivertype.JobStateRunning {
			continue
		}
		if live == nil {
			if live, err = j.liveNodes(ctx, now); err != nil {
				return nil, err
			}
		}
		out[i].Orphaned = orphaned(r, live, now)
	}
	return out, nil
}

func infoOf(r *rivertype.JobRow) Info {
	in := Info{
		ID:          r.ID,
		Kind:        r.Kind,
		Queue:       r.Queue,
		State:       string(r.State),
		Attempt:     r.Attempt,
		MaxAttempts: r.MaxAttempts,
		CreatedAt:   r.CreatedAt.UTC(),
		ScheduledAt: r.ScheduledAt.UTC(),
		Args:        compactJSON(r.EncodedArgs),
	}
	if r.FinalizedAt != nil {
		t := r.FinalizedAt.UTC()
		in.FinalizedAt = &t
	}
	for _, e := range r.Errors {
		in.Errors = append(in.Errors, fmt.Sprintf("attempt %d at %s: %s", e.Attempt, e.At.UTC().Format(time.RFC3339), e.Error))
	}
	return in
}

// Counts returns how many jobs are in each of States (zero included).
// River deletes finished jobs after 24 hours (completed and cancelled) and 7
// days (discarded), so their counts cover about that window.
func (j *Jobs) Counts(ctx context.Context) (map[string]int, error) {
	counts := make(map[string]int, len(States))
	for _, s := range States {
		counts[s] = 0
	}
	rows, err := j.d.Query(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		counts[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return counts, nil
}

// Retry makes a job available to run now, whatever state it ended in
// (discarded, cancelled, completed, or waiting for its next retry). A job
// that had used all its attempts gets one more. A running job is left
// alone, unless its node is dead: then it runs again at once, on a live
// node.
//
// Errors: errs.NotFound (wrapping db.ErrNotFound) when no job has that id;
// errs.Conflict for a job running on a live node.
func (j *Jobs) Retry(ctx context.Context, id int64) error {
	row, err := j.client.JobRetry(ctx, id)
	if err != nil {
		return jobError("retry", id, err)
	}
	if row.State != rivertype.JobStateRunning {
		return nil
	}
	dead, err := j.deadOwner(ctx, row)
	if err != nil {
		return jobError("retry", id, err)
	}
	if !dead {
		return errs.E(errs.Conflict, "Job %d is running on a node that is alive: wait for it to end, or cancel it.", id)
	}
	return j.rescue(ctx, []*rivertype.JobRow{row}, rivertype.JobStateAvailable, db.Now())
}

// Cancel cancels a job. A job that has not run yet, or waits for a retry,
// becomes cancelled at once; a running job has its context cancelled (on
// every node) and becomes cancelled when its worker returns, or at once
// when its node is dead. A finished job is left as it is. The job's kind
// hears of a cancellation no worker saw (Jobs.OnEnded).
//
// Errors: errs.NotFound (wrapping db.ErrNotFound) when no job has that id.
func (j *Jobs) Cancel(ctx context.Context, id int64) error {
	before, err := j.client.JobGet(ctx, id)
	if err != nil {
		return jobError("cancel", id, err)
	}
	row, err := j.client.JobCancel(ctx, id)
	if err != nil {
		return jobError("cancel", id, err)
	}
	switch {
	case row.State == rivertype.JobStateCancelled && before.State != rivertype.JobStateCancelled:
		j.ended(ctx, row) // it had not started: no worker will hear of it
	case row.State == rivertype.JobStateRunning:
		dead, err := j.deadOwner(ctx, row)
		if err != nil {
			return jobError("cancel", id, err)
		}
		if dead {
			return j.rescue(ctx, []*rivertype.JobRow{row}, rivertype.JobStateCancelled, db.Now())
		}
	}
	return nil
}

func jobError(verb string, id int64, err error) error {
	if errors.Is(err, river.ErrNotFound) {
		return &errs.Error{
			Code:    errs.NotFound,
			Message: "That job no longer exists; finished jobs are cleaned up after a few days.",
			Err:     fmt.Errorf("%s job %d: %w", verb, id, db.ErrNotFound),
		}
	}
	return fmt.Errorf("%s job %d: %w", verb, id, err)
}

// compactJSON removes the spaces PostgreSQL's jsonb puts back, so args look
// the same on both engines.
func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	return buf.String()
}
