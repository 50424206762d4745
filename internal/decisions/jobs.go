package decisions

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// AdvanceArgs is the job that opens and closes voting on time, and moves
// sealed ballots into the ballot box in batches (MoveBallots). It runs
// every minute; a vote that arrives after closes_at but before the job is
// refused all the same, because Vote checks the clock in its transaction.
type AdvanceArgs struct{}

// Kind names the job in River.
func (AdvanceArgs) Kind() string { return "decisions.advance" }

// AdvanceWorker runs AdvanceArgs. Running it twice is harmless: opening and
// closing are idempotent.
type AdvanceWorker struct {
	river.WorkerDefaults[AdvanceArgs]
	Svc *Service
}

// Work moves the batches of sealed ballots that are ready, then opens and
// closes what is due, as the system.
func (w *AdvanceWorker) Work(ctx context.Context, _ *river.Job[AdvanceArgs]) error {
	ctx = auth.WithSystem(ctx)
	moved, err := w.Svc.MoveBallots(ctx)
	if err != nil {
		return err
	}
	opened, closed, err := w.Svc.AdvanceDue(ctx)
	if err != nil {
		return err
	}
	if opened+closed+moved > 0 {
		w.Svc.log.Info("decisions advanced", "opened", opened, "closed", closed, "ballots_moved", moved)
	}
	return nil
}

// Timeout allows a large election's count.
func (w *AdvanceWorker) Timeout(*river.Job[AdvanceArgs]) time.Duration { return 10 * time.Minute }

// AdvancePeriodic enqueues AdvanceArgs every minute (and when a node
// starts). Register it with the River client, and AdvanceWorker with its
// workers.
func AdvancePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return AdvanceArgs{}, nil },
		&river.PeriodicJobOpts{ID: "decisions.advance", RunOnStart: true})
}

// RegisterJobs registers the decisions workers (opening and closing on
// time, reminders) and their periodic jobs; app calls it once every service
// exists, before the jobs start.
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), &AdvanceWorker{Svc: s})
	river.AddWorker(j.Workers(), &RemindWorker{Svc: s})
	return j.AddPeriodic(AdvancePeriodic(), RemindPeriodic())
}
