package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

type echoArgs struct {
	Key string `json:"key"`
}

func (echoArgs) Kind() string { return "test.echo" }

type flakyArgs struct{}

func (flakyArgs) Kind() string { return "test.flaky" }

type failArgs struct{}

func (failArgs) Kind() string { return "test.fail" }

// InsertOpts is how a job kind overrides jobs.DefaultMaxAttempts.
func (failArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

func TestJobRuns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ran := make(chan string, 1)
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[echoArgs]) error {
			ran <- job.Args.Key
			return nil
		})
		j := mustJobs(t, d, w, nil)
		mustStart(t, j)

		id, err := j.Insert(ctx, echoArgs{Key: "hello"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ran:
			if got != "hello" {
				t.Errorf("worker got key %q, want hello", got)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("job did not run")
		}
		waitState(t, j, id, rivertype.JobStateCompleted)
		in := find(t, j, jobs.ListFilter{State: "completed", Kind: "test.echo"}, id)
		if in.Attempt != 1 || in.MaxAttempts != jobs.DefaultMaxAttempts || in.FinalizedAt == nil ||
			len(in.Errors) != 0 || !strings.Contains(in.Args, `"key":"hello"`) {
			t.Errorf("info = %+v; want attempt 1 of %d, finalized, no errors, args with the key", in, jobs.DefaultMaxAttempts)
		}
		if age := time.Since(in.CreatedAt); age < 0 || age > time.Minute || in.ScheduledAt.Before(in.CreatedAt.Add(-time.Second)) {
			t.Errorf("times = created %s, scheduled %s; want both just now", in.CreatedAt, in.ScheduledAt)
		}
		counts, err := j.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["completed"] != 1 || counts["available"] != 0 {
			t.Errorf("counts = %v, want 1 completed", counts)
		}
		if _, err := j.Insert(ctx, flakyArgs{}, nil); err == nil {
			t.Error("Insert of a kind with no worker succeeded; want an error")
		}
	})
}

func TestRetryThenSucceed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[flakyArgs]) error {
			if job.Attempt < 3 {
				return fmt.Errorf("flaky attempt %d", job.Attempt)
			}
			return nil
		})
		j := mustJobs(t, d, w, nil)
		mustStart(t, j)

		id, err := j.Insert(context.Background(), flakyArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		waitState(t, j, id, rivertype.JobStateCompleted)
		in := find(t, j, jobs.ListFilter{Kind: "test.flaky"}, id)
		if in.State != "completed" || in.Attempt != 3 || len(in.Errors) != 2 ||
			!strings.Contains(in.Errors[0], "attempt 1 at ") || !strings.HasSuffix(in.Errors[0], ": flaky attempt 1") ||
			!strings.HasSuffix(in.Errors[1], ": flaky attempt 2") {
			t.Errorf("info = %+v; want completed on attempt 3 after two errors", in)
		}
	})
}

func TestDiscardedThenRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var healed atomic.Bool
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[failArgs]) error {
			if healed.Load() {
				return nil
			}
			return fmt.Errorf("smtp refused on attempt %d", job.Attempt)
		})
		j := mustJobs(t, d, w, nil)
		mustStart(t, j)

		id, err := j.Insert(ctx, failArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		waitState(t, j, id, rivertype.JobStateDiscarded)
		in := find(t, j, jobs.ListFilter{State: "discarded"}, id)
		if in.Attempt != 3 || in.MaxAttempts != 3 || len(in.Errors) != 3 || in.FinalizedAt == nil {
			t.Fatalf("info = %+v; want discarded after 3 of 3 attempts with 3 errors", in)
		}
		for i, e := range in.Errors {
			if want := fmt.Sprintf("smtp refused on attempt %d", i+1); !strings.HasSuffix(e, want) {
				t.Errorf("error %d = %q, want it to end %q", i, e, want)
			}
		}
		if infos, _ := j.List(ctx, jobs.ListFilter{State: "completed"}); len(infos) != 0 {
			t.Errorf("List(completed) = %+v, want none", infos)
		}
		if counts, _ := j.Counts(ctx); counts["discarded"] != 1 {
			t.Errorf("counts = %v, want 1 discarded", counts)
		}

		healed.Store(true)
		if err := j.Retry(ctx, id); err != nil {
			t.Fatal(err)
		}
		row := waitState(t, j, id, rivertype.JobStateCompleted)
		if row.Attempt != 4 {
			t.Errorf("attempt after retry = %d, want 4", row.Attempt)
		}

		err = j.Retry(ctx, id+1000)
		if errs.CodeOf(err) != errs.NotFound || !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Retry(unknown) = %v, want not found", err)
		}
		if _, err := j.List(ctx, jobs.ListFilter{State: "lost"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("List(state lost) = %v, want invalid", err)
		}
	})
}

func TestCancel(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var runs atomic.Int32
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[echoArgs]) error {
			runs.Add(1)
			return nil
		})
		j := mustJobs(t, d, w, nil)
		mustStart(t, j)

		id, err := j.Insert(ctx, echoArgs{Key: "later"}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Cancel(ctx, id); err != nil {
			t.Fatal(err)
		}
		if in := find(t, j, jobs.ListFilter{State: "cancelled"}, id); in.FinalizedAt == nil {
			t.Errorf("cancelled job %+v has no FinalizedAt", in)
		}
		if runs.Load() != 0 {
			t.Error("cancelled job ran")
		}
		if err := j.Cancel(ctx, id+1000); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("Cancel(unknown) = %v, want not found", err)
		}
	})
}

type noteArgs struct {
	Note string `json:"note"`
}

func (noteArgs) Kind() string { return "test.note" }

func TestInsertTx(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE jobtest_notes (id TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[string]bool{} // note → its row was visible to the worker
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[noteArgs]) error {
			var n int
			err := d.QueryRow(ctx, `SELECT COUNT(*) FROM jobtest_notes WHERE id = ?`, job.Args.Note).Scan(&n)
			mu.Lock()
			defer mu.Unlock()
			seen[job.Args.Note] = n == 1
			return err
		})
		j := mustJobs(t, d, w, nil)
		mustStart(t, j)

		write := func(note string, commit bool) (int64, error) {
			var id int64
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO jobtest_notes (id) VALUES (?)`, note); err != nil {
					return err
				}
				var err error
				if id, err = j.InsertTx(ctx, tx, noteArgs{Note: note}, nil); err != nil {
					return err
				}
				if !commit {
					return errRollback
				}
				return nil
			})
			return id, err
		}
		jobCount := func() int {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		rolledBack, err := write("rolled-back", false)
		if !errors.Is(err, errRollback) {
			t.Fatalf("rolled-back write: %v", err)
		}
		if rolledBack == 0 {
			t.Fatal("InsertTx returned no id")
		}
		if n := jobCount(); n != 0 {
			t.Fatalf("river_job has %d rows after rollback, want 0", n)
		}

		committed, err := write("committed", true)
		if err != nil {
			t.Fatal(err)
		}
		waitState(t, j, committed, rivertype.JobStateCompleted)
		mu.Lock()
		defer mu.Unlock()
		if visible, ran := seen["committed"]; !ran || !visible {
			t.Errorf("committed job: ran %v, saw its row %v; want both", ran, visible)
		}
		if _, ran := seen["rolled-back"]; ran {
			t.Error("the job of the rolled-back transaction ran")
		}
		if n := jobCount(); n != 1 {
			t.Errorf("river_job has %d rows, want 1", n)
		}
	})
}

type sleepArgs struct {
	For time.Duration `json:"for"`
}

func (sleepArgs) Kind() string { return "test.sleep" }

func TestStop(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		started := make(chan struct{}, 1)
		var cancelled atomic.Bool
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[sleepArgs]) error {
			started <- struct{}{}
			select {
			case <-time.After(job.Args.For):
				return nil
			case <-ctx.Done():
				cancelled.Store(true)
				return ctx.Err()
			}
		})
		run := func(t *testing.T, sleep, deadline time.Duration) (int64, time.Duration, error) {
			cancelled.Store(false)
			j := mustJobs(t, d, w, nil)
			mustStart(t, j)
			id, err := j.Insert(context.Background(), sleepArgs{For: sleep}, nil)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("job did not start")
			}
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			t0 := time.Now()
			err = j.Stop(ctx)
			took := time.Since(t0)
			row, gerr := j.Client().JobGet(context.Background(), id)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if sleep < deadline && row.State != rivertype.JobStateCompleted {
				t.Errorf("state after Stop = %s, want completed", row.State)
			}
			if sleep > deadline && row.State == rivertype.JobStateCompleted {
				t.Error("job completed although Stop's deadline passed first")
			}
			return id, took, err
		}

		t.Run("WaitsForRunningJob", func(t *testing.T) {
			_, took, err := run(t, 300*time.Millisecond, 5*time.Second)
			if err != nil {
				t.Errorf("Stop = %v, want nil", err)
			}
			if cancelled.Load() {
				t.Error("the running job was cancelled")
			}
			if took < 200*time.Millisecond {
				t.Errorf("Stop returned after %s, before the job could finish", took)
			}
		})
		t.Run("CancelsAtDeadline", func(t *testing.T) {
			_, took, err := run(t, time.Minute, 100*time.Millisecond)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Stop = %v, want deadline exceeded", err)
			}
			if !cancelled.Load() {
				t.Error("the running job's context was not cancelled")
			}
			if took > 3*time.Second {
				t.Errorf("Stop took %s", took)
			}
		})
	})
}

func TestMigrateTwice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if d.Dialect == db.Postgres {
			// Two nodes starting at once on an empty database take turns.
			var wg sync.WaitGroup
			for range 2 {
				j, err := jobs.New(ctx, d, jobs.Options{Log: testLog})
				if err != nil {
					t.Fatal(err)
				}
				wg.Go(func() {
					if err := j.Migrate(ctx); err != nil {
						t.Errorf("concurrent Migrate: %v", err)
					}
				})
			}
			wg.Wait()
		}
		j := mustJobs(t, d, river.NewWorkers(), nil) // migrates
		versions := func() string {
			var n, top int
			if err := d.QueryRow(ctx, `SELECT COUNT(*), MAX(version) FROM river_migration`).Scan(&n, &top); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%d rows, up to %d", n, top)
		}
		before := versions()
		if err := j.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if after := versions(); after != before {
			t.Errorf("river_migration went from %s to %s", before, after)
		}
	})
}
