package app

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// PingArgs is a job that does nothing but leave an audit record naming the
// node that ran it. Admins enqueue it from /admin/jobs to check that workers
// are alive; the two-node test uses it to show each job runs exactly once.
type PingArgs struct {
	Nonce string `json:"nonce"`
	Seq   int    `json:"seq"`
}

// Kind names the job in River.
func (PingArgs) Kind() string { return "admin.ping" }

type pingWorker struct {
	river.WorkerDefaults[PingArgs]
	db   *db.DB
	node string
}

func (w *pingWorker) Work(ctx context.Context, j *river.Job[PingArgs]) error {
	ctx = reqctx.WithActor(ctx, reqctx.System)
	return audit.Record(ctx, w.db.Q(), "job.ping", "job", j.Args.Nonce, map[string]any{"node": w.node, "job_id": j.ID, "seq": j.Args.Seq})
}
