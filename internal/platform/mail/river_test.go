package mail

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// riverInserter adapts a River client to Inserter, as jobs.Jobs does.
type riverInserter struct {
	c    *river.Client[*sql.Tx]
	dups int
}

func (r *riverInserter) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := r.c.Insert(ctx, args, opts)
	if err != nil {
		return 0, err
	}
	if res.UniqueSkippedAsDuplicate {
		r.dups++
	}
	return res.Job.ID, nil
}

// TestSendThroughRiver runs the real path: Queue, River's SQLite driver (its
// own database, as platform/jobs keeps it), the worker, mailpit. It proves
// River accepts the unique insert options and collapses a burst.
func TestSendThroughRiver(t *testing.T) {
	ctx := context.Background()
	mp := mailtest.Start(t)
	d := dbtest.NewSQLite(t)

	jobsDB, err := sql.Open("sqlite", db.SQLiteDSN(filepath.Join(t.TempDir(), "jobs.db")))
	if err != nil {
		t.Fatal(err)
	}
	jobsDB.SetMaxOpenConns(1)
	t.Cleanup(func() { jobsDB.Close() })
	migrator, err := rivermigrate.New(riversqlite.New(jobsDB), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatalf("migrate river: %v", err)
	}

	ins := &riverInserter{}
	s := mustService(t, d, ins, Config{SMTPURL: mp.SMTPURL, From: from})
	workers := river.NewWorkers()
	river.AddWorker(workers, NewSendWorker(s))
	client, err := river.NewClient(riversqlite.New(jobsDB), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		Workers:           workers,
		PeriodicJobs:      []*river.PeriodicJob{PeriodicSweep()},
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
	})
	if err != nil {
		t.Fatalf("river client: %v", err)
	}
	ins.c = client

	// A burst queued before the client starts makes one pending job.
	err = d.InTx(ctx, func(tx *db.Tx) error {
		for _, to := range []string{"one@example.org", "two@example.org", "three@example.org"} {
			if _, err := s.Queue(ctx, tx, Message{To: to, Subject: "Burst", Text: "t", Why: "You asked for it."}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ins.dups != 2 {
		t.Fatalf("%d of 3 enqueues were collapsed, want 2", ins.dups)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = client.Stop(stop)
	})
	for _, to := range []string{"one@example.org", "two@example.org", "three@example.org"} {
		mp.WaitFor(t, to, 15*time.Second)
	}
	// The row is marked sent just after mailpit has the mail: poll briefly.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		list, err := s.Outbox(ctx, OutboxFilter{Status: StatusSent})
		if err == nil && len(list) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails marked sent (%v), want 3", len(list), err)
		}
	}
}
