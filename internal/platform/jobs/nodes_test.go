package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

type countArgs struct {
	N int `json:"n"`
}

func (countArgs) Kind() string { return "test.count" }

// TestTwoNodes runs two job clients, each on its own connection pool as two
// `momentum serve` processes would, and checks that 200 jobs inserted on one
// run exactly once between them, with both nodes taking a share.
func TestTwoNodes(t *testing.T) {
	url := dbtest.PostgresURL(t) // skips without PostgreSQL
	ctx := context.Background()
	open := func() *db.DB {
		d, err := db.Open(ctx, db.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	d1, d2 := open(), open()
	if _, err := d1.Migrate(ctx); err != nil { // job_nodes, which Start writes
		t.Fatal(err)
	}
	if _, err := d1.Exec(ctx, `CREATE TABLE job_runs (job_id BIGINT PRIMARY KEY, node TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	runs := map[int64]int{}
	var perNode [2]atomic.Int32
	node := func(n int, d *db.DB) *jobs.Jobs {
		w := river.NewWorkers()
		addWorker(w, func(ctx context.Context, job *river.Job[countArgs]) error {
			mu.Lock()
			runs[job.ID]++
			mu.Unlock()
			perNode[n].Add(1)
			time.Sleep(5 * time.Millisecond) // give the other node a chance to fetch
			// A second run of the same job fails here on the primary key.
			_, err := d.Exec(ctx, `INSERT INTO job_runs (job_id, node) VALUES (?, ?)`, job.ID, fmt.Sprint(n))
			return err
		})
		j, err := jobs.New(ctx, d, jobs.Options{Log: testLog, Workers: w, TestOnly: true,
			Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := j.Stop(ctx); err != nil {
				t.Errorf("stop node %d: %v", n, err)
			}
		})
		return j
	}
	j1, j2 := node(0, d1), node(1, d2)
	if err := j1.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	mustStart(t, j1)
	mustStart(t, j2)

	params := make([]river.InsertManyParams, 200)
	for i := range params {
		params[i] = river.InsertManyParams{Args: countArgs{N: i}}
	}
	t0 := time.Now()
	ids, err := j1.InsertMany(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "200 completed jobs", func() bool {
		c, err := j2.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if time.Since(t0) > 9*time.Second {
			t.Logf("counts %v", c)
		}
		return c["completed"] == len(ids)
	})
	t.Logf("200 jobs took %s", time.Since(t0).Round(time.Millisecond))
	time.Sleep(50 * time.Millisecond) // let a duplicate run, if there were one, show itself

	var rows, distinct int
	if err := d1.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT job_id) FROM job_runs`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != 200 || distinct != 200 {
		t.Errorf("job_runs has %d rows, %d distinct jobs; want 200 and 200", rows, distinct)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != 200 {
		t.Errorf("%d distinct jobs ran, want 200", len(runs))
	}
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job %d ran %d times, want once", id, runs[id])
		}
	}
	n0, n1 := perNode[0].Load(), perNode[1].Load()
	t.Logf("node 1 ran %d jobs, node 2 ran %d", n0, n1)
	if n0 == 0 || n1 == 0 {
		t.Errorf("work was not shared: node 1 ran %d jobs, node 2 ran %d", n0, n1)
	}
}
