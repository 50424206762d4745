package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// fnWorker runs a closure, so each test builds workers over its own state.
type fnWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	work func(ctx context.Context, job *river.Job[T]) error
}

func (w *fnWorker[T]) Work(ctx context.Context, job *river.Job[T]) error { return w.work(ctx, job) }

// NextRetry retries a millisecond later instead of after River's backoff
// (1 s, 16 s, 81 s…), which is how a worker overrides the retry schedule.
func (w *fnWorker[T]) NextRetry(*river.Job[T]) time.Time { return time.Now().Add(time.Millisecond) }

func addWorker[T river.JobArgs](workers *river.Workers, work func(ctx context.Context, job *river.Job[T]) error) {
	river.AddWorker(workers, &fnWorker[T]{work: work})
}

var testLog = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

// mustJobs builds and migrates a job client on d; it is not started.
func mustJobs(t *testing.T, d *db.DB, workers *river.Workers, queues map[string]river.QueueConfig) *jobs.Jobs {
	t.Helper()
	ctx := context.Background()
	j, err := jobs.New(ctx, d, jobs.Options{Log: testLog, Workers: workers, Queues: queues, TestOnly: true})
	if err != nil {
		t.Fatalf("jobs.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := j.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		j.Close()
	})
	if err := j.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return j
}

// mustStart starts j for the rest of the test (Stop runs in cleanup).
func mustStart(t *testing.T, j *jobs.Jobs) {
	t.Helper()
	if err := j.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
}

// waitFor polls cond every 10 ms until it holds, failing after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitState waits until job id is in state and returns it as List shows it.
func waitState(t *testing.T, j *jobs.Jobs, id int64, state rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	var row *rivertype.JobRow
	waitFor(t, "job to be "+string(state), func() bool {
		r, err := j.Client().JobGet(context.Background(), id)
		if err != nil {
			t.Fatalf("get job %d: %v", id, err)
		}
		row = r
		return r.State == state
	})
	return row
}

// find returns the job with id from List(f), failing when it is absent.
func find(t *testing.T, j *jobs.Jobs, f jobs.ListFilter, id int64) jobs.Info {
	t.Helper()
	infos, err := j.List(context.Background(), f)
	if err != nil {
		t.Fatalf("list %+v: %v", f, err)
	}
	for _, in := range infos {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("job %d not in List(%+v) = %+v", id, f, infos)
	return jobs.Info{}
}

var errRollback = errors.New("roll back")
