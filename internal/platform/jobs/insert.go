package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Insert enqueues a job on its own and returns its id. Prefer InsertTx when
// the job follows a write: a job inserted before the write commits may run
// before its data is visible, or run for a write that then rolls back.
//
// opts may be nil; it overrides the args' InsertOpts (queue, MaxAttempts,
// ScheduledAt, UniqueOpts…). It fails if no worker is registered for the kind.
func (j *Jobs) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := j.client.Insert(ctx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("insert job %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertTx enqueues a job in the caller's transaction: it is visible to
// workers only once tx commits, and vanishes if tx rolls back. This is how a
// service queues work that follows a write ("send the RSVP confirmation").
//
// On SQLite it runs River's SQLite driver on tx (the application's writer
// connection; River's own connection waits for it). On PostgreSQL it uses an
// insert-only River client on database/sql, since db.Tx wraps a pgx stdlib
// transaction; its NOTIFY is delivered at commit and wakes every node.
func (j *Jobs) InsertTx(ctx context.Context, tx *db.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := j.sqlTx.InsertTx(ctx, tx.SQL(), args, opts)
	if err != nil {
		return 0, fmt.Errorf("insert job %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertManyTx enqueues several jobs in the caller's transaction and returns
// their ids in order. Prefer one job that does a batch of work to many tiny
// jobs, especially on SQLite.
func (j *Jobs) InsertManyTx(ctx context.Context, tx *db.Tx, params []river.InsertManyParams) ([]int64, error) {
	res, err := j.sqlTx.InsertManyTx(ctx, tx.SQL(), params)
	if err != nil {
		return nil, fmt.Errorf("insert %d jobs: %w", len(params), err)
	}
	return ids(res), nil
}

// InsertMany enqueues several jobs in one transaction of its own.
func (j *Jobs) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]int64, error) {
	res, err := j.client.InsertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("insert %d jobs: %w", len(params), err)
	}
	return ids(res), nil
}

func ids(res []*rivertype.JobInsertResult) []int64 {
	out := make([]int64, len(res))
	for i, r := range res {
		out[i] = r.Job.ID
	}
	return out
}
