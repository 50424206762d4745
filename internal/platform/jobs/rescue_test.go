package jobs_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

type rescueArgs struct {
	Name string `json:"name"`
}

func (rescueArgs) Kind() string { return "test.rescue" }

// runningOn puts job id in the state a node leaves it in when it dies
// mid-attempt: running, attempted by node, since at.
func runningOn(t *testing.T, d *db.DB, id int64, node string, at time.Time) {
	t.Helper()
	q := `UPDATE river_job SET state = 'running', finalized_at = NULL, attempt = 1, attempted_at = ?, attempted_by = jsonb(json_array(?)) WHERE id = ?`
	var when any = at.UTC().Format("2006-01-02 15:04:05.000") // River's SQLite time format
	if d.Dialect == db.Postgres {
		q = `UPDATE river_job SET state = 'running', finalized_at = NULL, attempt = 1, attempted_at = ?, attempted_by = ARRAY[?]::text[] WHERE id = ?`
		when = at
	}
	if _, err := d.Exec(context.Background(), q, when, node, id); err != nil {
		t.Fatalf("mark job %d running on %s: %v", id, node, err)
	}
}

// addNode records a node as Jobs.Start would, with its last heartbeat.
func addNode(t *testing.T, d *db.DB, id, space string, pid int, beat time.Time) {
	t.Helper()
	_, err := d.Exec(context.Background(), `INSERT INTO job_nodes (id, host, pid, space, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, "elsewhere", pid, space, beat.Add(-time.Hour), beat)
	if err != nil {
		t.Fatal(err)
	}
}

// localSpace is this process's space as nodes.go computes it ("" off Linux).
func localSpace(t *testing.T) string {
	host, _ := os.Hostname()
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		t.Skip("no /proc: the local process check is Linux only")
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Skip("no /proc/self/ns/pid")
	}
	return host + "/" + strings.TrimSpace(string(boot)) + "/" + ns
}

// goneProcess returns the pid of a process that has exited.
func goneProcess(t *testing.T) int {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestDeadNodeJobs: a job left running by a node that died is run again at
// once by a node that starts (or within RescueEvery of its death being
// seen), never while its node lives; Cancel and Retry act on it at once,
// and its kind hears of a cancellation no worker saw.
func TestDeadNodeJobs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		ran := map[string]int{}
		ended := map[string]string{}
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[rescueArgs]) error {
			mu.Lock()
			ran[job.Args.Name]++
			mu.Unlock()
			return nil
		})
		j, err := jobs.New(ctx, d, jobs.Options{Log: testLog, Workers: w, TestOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		j.OnEnded("test.rescue", func(ctx context.Context, args []byte, state string) error {
			mu.Lock()
			defer mu.Unlock()
			ended[string(args)] = state
			return nil
		})
		if err := j.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = j.Stop(ctx)
			j.Close()
		})
		now := time.Now()
		insert := func(name string) int64 {
			id, err := j.Insert(ctx, rescueArgs{Name: name}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		addNode(t, d, "stale-node", "another machine", 4242, now.Add(-time.Minute))
		addNode(t, d, "live-node", "another machine", 4242, now)
		addNode(t, d, "gone-here", localSpace(t), goneProcess(t), now)
		stale, gone, live := insert("stale"), insert("gone"), insert("live")
		cancelled, retried, unknown := insert("cancelled"), insert("retried"), insert("unknown")
		runningOn(t, d, stale, "stale-node", now.Add(-time.Minute))
		runningOn(t, d, gone, "gone-here", now.Add(-time.Second))
		runningOn(t, d, live, "live-node", now.Add(-time.Minute))
		runningOn(t, d, unknown, "never-registered", now.Add(-2*time.Minute))

		// Start rescues at once: the jobs of the dead nodes run again.
		start := time.Now()
		mustStart(t, j)
		for _, id := range []int64{stale, gone, unknown, cancelled, retried} {
			waitState(t, j, id, rivertype.JobStateCompleted)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("the dead nodes' jobs took %v to run again, want well under RescueEvery", took)
		}
		in := find(t, j, jobs.ListFilter{Kind: "test.rescue", State: "completed"}, stale)
		if in.Attempt != 2 || len(in.Errors) != 1 || !strings.Contains(in.Errors[0], "the node running it (stale-node) stopped") {
			t.Errorf("rescued job = %+v, want attempt 2 with the rescue as attempt 1's error", in)
		}
		if n, err := j.RescueDead(ctx); err != nil || n != 0 {
			t.Errorf("RescueDead again = %d, %v; want nothing left to rescue", n, err)
		}
		if row := waitState(t, j, live, rivertype.JobStateRunning); row.Attempt != 1 {
			t.Errorf("the live node's job = attempt %d, want untouched", row.Attempt)
		}

		t.Run("ListSaysLive", func(t *testing.T) {
			if in := find(t, j, jobs.ListFilter{State: "running"}, live); in.Orphaned {
				t.Errorf("a live node's job in List = %+v, want not Orphaned", in)
			}
		})
		t.Run("RetryLiveRefused", func(t *testing.T) {
			if err := j.Retry(ctx, live); errs.CodeOf(err) != errs.Conflict {
				t.Errorf("Retry of a job running on a live node = %v, want errs.Conflict", err)
			}
		})
		t.Run("CancelLiveAsks", func(t *testing.T) {
			if err := j.Cancel(ctx, live); err != nil {
				t.Fatal(err)
			}
			if row, _ := j.Client().JobGet(ctx, live); row.State != rivertype.JobStateRunning {
				t.Errorf("a live node's job after Cancel = %s, want running until its worker returns", row.State)
			}
		})

		// The live node dies (its heartbeat stops): cancel one of its jobs,
		// retry another.
		if _, err := d.Exec(ctx, `UPDATE job_nodes SET heartbeat_at = ? WHERE id = 'live-node'`, now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		runningOn(t, d, cancelled, "live-node", now.Add(-time.Minute))
		runningOn(t, d, retried, "live-node", now.Add(-time.Minute))
		t.Run("ListSaysOrphaned", func(t *testing.T) {
			if in := find(t, j, jobs.ListFilter{State: "running"}, retried); !in.Orphaned {
				t.Errorf("a dead node's job in List = %+v, want Orphaned", in)
			}
		})
		t.Run("CancelDead", func(t *testing.T) {
			if err := j.Cancel(ctx, cancelled); err != nil {
				t.Fatal(err)
			}
			row, _ := j.Client().JobGet(ctx, cancelled)
			if row.State != rivertype.JobStateCancelled || row.FinalizedAt == nil {
				t.Fatalf("a dead node's job after Cancel = %s, want cancelled at once", row.State)
			}
			mu.Lock()
			defer mu.Unlock()
			if got := ended[`{"name":"cancelled"}`]; got != "cancelled" {
				t.Errorf("the kind heard %q of the cancelled job, want cancelled (heard %v)", got, ended)
			}
		})
		t.Run("RetryDead", func(t *testing.T) {
			if err := j.Retry(ctx, retried); err != nil {
				t.Fatal(err)
			}
			waitState(t, j, retried, rivertype.JobStateCompleted)
			mu.Lock()
			defer mu.Unlock()
			if ran["retried"] != 2 {
				t.Errorf("the retried job ran %d times, want 2", ran["retried"])
			}
		})
		t.Run("DeadJobCancelledBeforeIsCancelled", func(t *testing.T) {
			// The job cancelled while its node lived is ended as cancelled,
			// not run again, once the node is seen dead.
			if _, err := j.RescueDead(ctx); err != nil {
				t.Fatal(err)
			}
			if row, _ := j.Client().JobGet(ctx, live); row.State != rivertype.JobStateCancelled {
				t.Errorf("job cancelled on a node that then died = %s, want cancelled", row.State)
			}
		})
	})
}
