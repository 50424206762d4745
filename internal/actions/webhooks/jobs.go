package webhooks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// Queue is where the webhooks' jobs run, apart from mail and the rest of
// the default queue: a receiver that takes its 10 s to answer holds up
// only other deliveries.
const Queue = "webhooks"

// waitingOrRunning are the states in which a job keeps another of the same
// args from being inserted.
var waitingOrRunning = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// DispatchArgs is the dispatcher's job.
type DispatchArgs struct{}

// Kind is River's name for the job.
func (DispatchArgs) Kind() string { return "webhooks.dispatch" }

// InsertOpts keeps one dispatcher at a time.
func (DispatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingOrRunning}}
}

// DeliverArgs is an endpoint's deliver job.
type DeliverArgs struct {
	EndpointID string `json:"endpoint_id"`
}

// Kind is River's name for the job.
func (DeliverArgs) Kind() string { return "webhooks.deliver" }

// InsertOpts keeps one deliver job per endpoint, so its deliveries go in
// order; it is retried as long as its deliveries are (each delivery counts
// its own attempts and is failed after MaxAttempts), and the dispatcher
// enqueues it again should it ever be given up.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 10_000, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingOrRunning}}
}

// PurgeArgs is the daily clean-up of old deliveries.
type PurgeArgs struct{}

// Kind is River's name for the job.
func (PurgeArgs) Kind() string { return "webhooks.purge" }

// InsertOpts puts the purge on the webhooks' queue.
func (PurgeArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue} }

// RegisterJobs adds the dispatcher (periodic), the deliverer and the
// daily purge.
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	if err := j.Client().Queues().Add(Queue, river.QueueConfig{MaxWorkers: 4}); err != nil {
		return fmt.Errorf("webhooks queue: %w", err)
	}
	river.AddWorker(j.Workers(), &DispatchWorker{svc: s})
	river.AddWorker(j.Workers(), &DeliverWorker{svc: s})
	river.AddWorker(j.Workers(), &PurgeWorker{svc: s})
	return j.AddPeriodic(
		river.NewPeriodicJob(river.PeriodicInterval(s.d.DispatchEvery), func() (river.JobArgs, *river.InsertOpts) {
			if !s.dispatchDue() {
				return nil, nil // nothing to do: no job, so the jobs page is not flooded every 2 s
			}
			return DispatchArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "webhooks.dispatch", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return PurgeArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "webhooks.purge"}))
}

// DispatchWorker turns the outbox into deliveries.
type DispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	svc *Service
}

// Work dispatches what the outbox holds.
func (w *DispatchWorker) Work(ctx context.Context, _ *river.Job[DispatchArgs]) error {
	_, err := w.svc.Dispatch(auth.WithSystem(ctx))
	return err
}

// NextRetry: the next periodic run is the retry.
func (w *DispatchWorker) NextRetry(*river.Job[DispatchArgs]) time.Time {
	return time.Now().Add(w.svc.d.DispatchEvery)
}

// DeliverWorker sends an endpoint's deliveries.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	svc *Service
}

// Timeout bounds one run; it snoozes after deliverBudget well before.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 5 * time.Minute }

// Work sends; an error (a failed attempt) is retried after the delivery's
// own backoff (NextRetry).
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	wait, err := w.svc.deliver(auth.WithSystem(ctx), job.Args.EndpointID)
	if errors.Is(err, errSnooze) {
		return river.JobSnooze(time.Millisecond)
	}
	if err != nil && wait > 0 {
		w.svc.retryIn.Store(job.ID, wait)
	}
	return err
}

// NextRetry waits as the failed delivery's attempts say (RetryDelays).
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	if d, ok := w.svc.retryIn.LoadAndDelete(job.ID); ok {
		return time.Now().Add(d)
	}
	return time.Now().Add(w.svc.delays[0]) // the node stopped mid-attempt: soon
}

// PurgeWorker deletes old deliveries.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	svc *Service
}

// Work purges.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	return w.svc.Purge(auth.WithSystem(ctx))
}

// syncMap is a typed sync.Map of job ids to waits.
type syncMap struct{ m sync.Map }

func (m *syncMap) Store(k int64, v time.Duration) { m.m.Store(k, v) }

func (m *syncMap) LoadAndDelete(k int64) (time.Duration, bool) {
	v, ok := m.m.LoadAndDelete(k)
	if !ok {
		return 0, false
	}
	return v.(time.Duration), true
}

// dispatchDue reports whether the dispatcher has work: an event not yet
// dispatched, or a delivery waiting for an enabled endpoint (whose deliver
// job the dispatcher makes sure of; while one is being retried, the
// dispatcher so runs every 2 s). Two indexed probes, bounded by a second; when the
// database does not answer, the job runs and reports the error.
func (s *Service) dispatchDue() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var n int
	err := s.d.DB.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM (SELECT 1 FROM outbox_events WHERE dispatched_at IS NULL LIMIT 1) e) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints p ON p.id = d.endpoint_id
			WHERE d.status = 'pending' AND p.enabled = ? LIMIT 1) d)`, true).Scan(&n)
	return err != nil || n > 0
}
