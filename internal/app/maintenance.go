package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// PurgeArgs is the hourly clean-up of expired sessions, one-time links and
// rate-limit windows.
type PurgeArgs struct{}

// Kind names the job in River.
func (PurgeArgs) Kind() string { return "auth.purge_expired" }

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	app *App
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	n, err := w.app.Auth.PurgeExpired(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.app.Log.Info("purged expired sessions, links and rate-limit windows", "rows", n)
	}
	return nil
}

func purgePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
		&river.PeriodicJobOpts{ID: "auth.purge_expired", RunOnStart: true})
}
