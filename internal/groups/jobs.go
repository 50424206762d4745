package groups

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// DormantArgs is the daily job that turns quiet groups dormant. AfterDays is
// how long without activity that takes.
type DormantArgs struct {
	AfterDays int `json:"after_days"`
}

// Kind names the job in River.
func (DormantArgs) Kind() string { return "groups.mark_dormant" }

// DormantWorker runs DormantArgs. Running it twice is harmless: a group that
// is already dormant is not told again.
type DormantWorker struct {
	river.WorkerDefaults[DormantArgs]
	Svc *Service
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Work marks the groups dormant as the system.
func (w *DormantWorker) Work(ctx context.Context, job *river.Job[DormantArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	after := time.Duration(job.Args.AfterDays) * 24 * time.Hour
	if after <= 0 {
		after = DefaultDormantAfter
	}
	gs, err := w.Svc.MarkDormant(auth.WithSystem(ctx), now(), after)
	if err != nil {
		return err
	}
	if len(gs) > 0 {
		w.Svc.log.Info("groups turned dormant", "count", len(gs), "after_days", int(after.Hours()/24))
	}
	return nil
}

// DormantPeriodic enqueues DormantArgs once a day (and when a node starts),
// for groups quiet for longer than after (DefaultDormantAfter when zero).
// RegisterJobs registers it.
func DormantPeriodic(after time.Duration) *river.PeriodicJob {
	if after <= 0 {
		after = DefaultDormantAfter
	}
	days := int(after.Hours() / 24)
	if days < 1 {
		days = 1
	}
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return DormantArgs{AfterDays: days}, nil },
		&river.PeriodicJobOpts{ID: "groups.mark_dormant", RunOnStart: true})
}

// RegisterJobs registers the groups workers and their periodic job (app
// calls it once every service exists, before the jobs start).
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), &DormantWorker{Svc: s})
	return j.AddPeriodic(DormantPeriodic(DefaultDormantAfter))
}
