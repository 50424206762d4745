package jobs_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

func TestZZMeasure(t *testing.T) {
	if os.Getenv("MEASURE") == "" {
		t.Skip()
	}
	d := dbtest.NewSQLite(t)
	ctx := context.Background()
	ran := make(chan time.Time, 10000)
	w := river.NewWorkers()
	addWorker(w, func(ctx context.Context, job *river.Job[countArgs]) error { ran <- time.Now(); return nil })
	qc := river.QueueConfig{MaxWorkers: 4}
	if v := os.Getenv("MW"); v != "" {
		qc.MaxWorkers, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("CD"); v != "" {
		qc.FetchCooldown, _ = time.ParseDuration(v)
	}
	t.Logf("queue %+v", qc)
	j, err := jobs.New(ctx, d, jobs.Options{Log: testLog, Workers: w, Queues: map[string]river.QueueConfig{"default": qc}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	j.Start(ctx)
	defer j.Stop(ctx)
	time.Sleep(300 * time.Millisecond)
	defer func() { d.Exec(ctx, `DELETE FROM river_job`) }()
	// latency of single inserts
	var tot time.Duration
	for i := 0; i < 10; i++ {
		t0 := time.Now()
		j.Insert(ctx, countArgs{N: i}, nil)
		tot += (<-ran).Sub(t0)
		time.Sleep(30 * time.Millisecond)
	}
	t.Logf("single job latency avg %s", tot/10)
	time.Sleep(200*time.Millisecond)
	d.Exec(ctx, `DELETE FROM river_job`)
	for _, n := range []int{200, 2000} {
		params := make([]river.InsertManyParams, n)
		for i := range params {
			params[i] = river.InsertManyParams{Args: countArgs{N: i}}
		}
		t0 := time.Now()
		if _, err := j.InsertMany(ctx, params); err != nil {
			t.Fatal(err)
		}
		ins := time.Since(t0)
		var last time.Time
		for i := 0; i < n; i++ {
			last = <-ran
		}
		for {
			c, _ := j.Counts(ctx)
			if c[string(rivertype.JobStateCompleted)] >= n {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("%d jobs: insert %s, all ran after %s, all completed after %s", n, ins, last.Sub(t0), time.Since(t0))
		d.Exec(ctx, `DELETE FROM river_job`)
	}
}
