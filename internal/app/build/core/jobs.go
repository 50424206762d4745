package core

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// The two jobs that belong to no capability's package: the accounts'
// clean-up (auth is platform and registers no workers of its own) and the
// daily ladder recompute.

// PurgeArgs is the hourly clean-up of expired sessions, one-time links and
// rate-limit windows, and of mail older than MOMENTUM_MAIL_RETENTION.
type PurgeArgs struct{}

// Kind names the job in River.
func (PurgeArgs) Kind() string { return "auth.purge_expired" }

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	auth *auth.Service
	mail *mail.Service
	log  *slog.Logger
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	n, err := w.auth.PurgeExpired(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("purged expired sessions, links and rate-limit windows", "rows", n)
	}
	m, err := w.mail.PurgeOld(ctx)
	if err != nil {
		return err
	}
	if m > 0 {
		w.log.Info("purged mail past its retention", "mails", m)
	}
	return nil
}

func purgePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
		&river.PeriodicJobOpts{ID: "auth.purge_expired", RunOnStart: true})
}

// LadderArgs recomputes the engagement ladder daily: "active" lapses after
// 90 days without taking part.
type LadderArgs struct{}

// Kind names the job in River.
func (LadderArgs) Kind() string { return "people.recompute_ladders" }

type ladderWorker struct {
	river.WorkerDefaults[LadderArgs]
	people *people.Service
	log    *slog.Logger
}

func (w *ladderWorker) Work(ctx context.Context, _ *river.Job[LadderArgs]) error {
	n, err := w.people.RecomputeLadders(auth.WithSystem(ctx))
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("engagement ladder recomputed", "changed", n)
	}
	return nil
}

func ladderPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return LadderArgs{}, nil },
		&river.PeriodicJobOpts{ID: "people.recompute_ladders", RunOnStart: true})
}
