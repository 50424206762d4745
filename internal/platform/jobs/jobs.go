package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// DefaultMaxAttempts is how many times a job runs before it is discarded,
// unless its args or its insert options say otherwise. River's own default is
// 25, which with its backoff means retrying for about three weeks; ten
// attempts give up after about four hours, while an organiser still
// remembers what they did.
const DefaultMaxAttempts = 10

// Polling on SQLite. SQLite has no LISTEN/NOTIFY: River's SQLite driver
// emulates it with an outbox table (river_notification) that it polls every
// 50 ms, so a new job is noticed within about 50 ms whatever these are.
//
// SQLiteFetchCooldown is the least time between two fetches of a queue, so it
// caps throughput: each fetch takes at most MaxWorkers jobs (4 by default,
// hence at most ~400 jobs/s at 10 ms; River's default of 100 ms caps it at 40).
// SQLiteFetchPollInterval is the fallback poll: it bounds how late a retried
// or scheduled job starts once it is due (such jobs send no notification),
// and it is what an idle node costs — each poll is a short write on River's
// connection, so 10 a second per queue rather than River's 50 at 20 ms.
const (
	SQLiteFetchCooldown     = 10 * time.Millisecond
	SQLiteFetchPollInterval = 100 * time.Millisecond
)

// Options configure New.
type Options struct {
	// Log receives River's logs. Default slog.Default().
	Log *slog.Logger
	// Workers holds the workers known when New runs; nil starts an empty
	// bundle, which services fill through Jobs.Workers before Start.
	// Inserting a job whose kind has no worker fails at once.
	Workers *river.Workers
	// Queues to work and how many jobs of each run at once on this node.
	// Default {"default": {MaxWorkers: 4}}.
	Queues map[string]river.QueueConfig
	// PeriodicJobs are enqueued by the leader node on their schedule.
	PeriodicJobs []*river.PeriodicJob
	// RetryPolicy replaces River's exponential backoff for every worker that
	// does not define NextRetry. Nil keeps River's default.
	RetryPolicy river.ClientRetryPolicy
	// TestOnly polls fast (10 ms cooldown, 50 ms poll on both engines) and
	// turns off River's jittered start-up of maintenance services. Tests only.
	TestOnly bool
}

// Client is the part of River's client that does not depend on the driver's
// transaction type, so it is the same on SQLite and PostgreSQL. It is the
// escape hatch for what Jobs does not wrap: JobGet, JobDelete, InsertMany,
// pausing queues, subscribing to events (handy in tests), periodic jobs.
type Client interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobCancel(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobDelete(ctx context.Context, id int64) (*rivertype.JobRow, error)
	QueuePause(ctx context.Context, name string, opts *river.QueuePauseOpts) error
	QueueResume(ctx context.Context, name string, opts *river.QueuePauseOpts) error
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	PeriodicJobs() *river.PeriodicJobBundle
	Queues() *river.QueueBundle
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Stopped() <-chan struct{}
}

var (
	_ Client = (*river.Client[pgx.Tx])(nil)
	_ Client = (*river.Client[*sql.Tx])(nil)
)

// Jobs runs background jobs with River on the application's database.
type Jobs struct {
	d   *db.DB
	log *slog.Logger
	// client works the queues: riverpgxv5 on PostgreSQL, riversqlite on SQLite.
	client Client
	// pg is the same client as client on PostgreSQL; nil on SQLite.
	pg *river.Client[pgx.Tx]
	// sqlTx inserts in a caller's *sql.Tx. On SQLite it is the working
	// client; on PostgreSQL an insert-only riverdatabasesql client on d.W
	// (the pgx stdlib pool whose transactions db.Tx wraps).
	sqlTx *river.Client[*sql.Tx]
	// own is River's one-connection SQLite pool; nil on PostgreSQL.
	own *sql.DB
	// workers is the bundle both clients were given; see Workers.
	workers *river.Workers
	// exec is the working client's driver, for what River's client does
	// not offer: ending the attempt of a job whose node died.
	exec riverdriver.Executor
	// id names this node: River's client id, and its row in job_nodes.
	id    string
	self  self
	onEnd map[string]EndFunc
	// stopWatch stops the heartbeat and rescue loop that Start begins;
	// watchDone is closed when it has returned.
	stopWatch context.CancelFunc
	watchDone chan struct{}
}

// New builds the job client for d's engine. It does not touch the database:
// call Migrate, then Start on nodes that work jobs.
//
// On PostgreSQL River uses d.Pool with LISTEN/NOTIFY: any number of nodes may
// share the database, and each job runs on one of them at a time. On SQLite
// River gets its own one-connection pool on d.Path, which is what River's
// SQLite driver (early-testing upstream) asks for; SQLite serialises writers
// anyway, and the busy timeout of db.SQLiteDSN queues River's writes behind
// the application's.
func New(ctx context.Context, d *db.DB, o Options) (*Jobs, error) {
	cfg := o.config(d.Dialect)
	j := &Jobs{d: d, log: cfg.Logger, workers: cfg.Workers, id: cfg.ID, self: thisProcess(), onEnd: map[string]EndFunc{}}
	switch d.Dialect {
	case db.Postgres:
		if d.Pool == nil {
			return nil, errors.New("jobs: PostgreSQL database without a pgx pool")
		}
		drv := riverpgxv5.New(d.Pool)
		c, err := river.NewClient(drv, cfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		j.exec = drv.GetExecutor()
		// Insert-only: no queues, so it never works or elects a leader. Its
		// inserts send the same NOTIFY in the caller's transaction, which the
		// working clients receive once it commits.
		ins, err := river.NewClient(riverdatabasesql.New(d.W), &river.Config{
			Logger:      cfg.Logger,
			Workers:     cfg.Workers,
			MaxAttempts: cfg.MaxAttempts,
		})
		if err != nil {
			return nil, fmt.Errorf("jobs: insert client: %w", err)
		}
		j.client, j.pg, j.sqlTx = c, c, ins
	case db.SQLite:
		own, err := sql.Open("sqlite", db.SQLiteDSN(d.Path))
		if err != nil {
			return nil, fmt.Errorf("jobs: open sqlite %s: %w", d.Path, err)
		}
		own.SetMaxOpenConns(1)
		if err := own.PingContext(ctx); err != nil {
			own.Close()
			return nil, fmt.Errorf("jobs: open sqlite %s: %w", d.Path, err)
		}
		drv := riversqlite.New(own)
		c, err := river.NewClient(drv, cfg)
		if err != nil {
			own.Close()
			return nil, fmt.Errorf("jobs: %w", err)
		}
		j.exec = drv.GetExecutor()
		j.client, j.sqlTx, j.own = c, c, own
	default:
		return nil, fmt.Errorf("jobs: unknown dialect %q", d.Dialect)
	}
	return j, nil
}

func (o Options) config(dialect db.Dialect) *river.Config {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	workers := o.Workers
	if workers == nil {
		workers = river.NewWorkers()
	}
	queues := o.Queues
	if len(queues) == 0 {
		queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
	}
	cfg := &river.Config{
		ID:           db.NewID(), // a node's id in job_nodes: River's own is host and time, not unique enough
		Logger:       log,
		Workers:      workers,
		Queues:       queues,
		PeriodicJobs: o.PeriodicJobs,
		MaxAttempts:  DefaultMaxAttempts,
		RetryPolicy:  o.RetryPolicy,
		TestOnly:     o.TestOnly,
	}
	if dialect == db.SQLite {
		cfg.FetchCooldown = SQLiteFetchCooldown
		cfg.FetchPollInterval = SQLiteFetchPollInterval
	}
	if o.TestOnly {
		cfg.FetchCooldown = 10 * time.Millisecond
		cfg.FetchPollInterval = 50 * time.Millisecond
	}
	return cfg
}

// Client returns River's working client, for what Jobs does not wrap.
// Workers that need the typed client use river.ClientFromContext with
// PgxClient's or SQLClient's type parameter, depending on the engine.
func (j *Jobs) Client() Client { return j.client }

// PgxClient returns the working client on PostgreSQL (for InsertTx in a
// pgx.Tx, or river.ClientFromContext[pgx.Tx] in a worker), nil on SQLite.
func (j *Jobs) PgxClient() *river.Client[pgx.Tx] { return j.pg }

// SQLClient returns the client that inserts in a database/sql transaction:
// the working client on SQLite, an insert-only one on PostgreSQL.
func (j *Jobs) SQLClient() *river.Client[*sql.Tx] { return j.sqlTx }

// Start starts fetching and working jobs, the maintenance services (retry
// scheduling, cleaning finished jobs after 24 hours, rescuing stuck jobs), and
// periodic jobs on the leader. ctx must live as long as the node: cancelling
// it stops the client and cancels running jobs.
//
// It also records the node in job_nodes, keeps its heartbeat, and rescues
// the jobs of dead nodes at once and every RescueEvery (see RescueDead).
func (j *Jobs) Start(ctx context.Context) error {
	if err := j.register(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	if err := j.client.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	wctx, cancel := context.WithCancel(ctx)
	j.stopWatch, j.watchDone = cancel, make(chan struct{})
	go j.watch(wctx)
	return nil
}

// NodeID is this node's id: River's client id, which river_job.attempted_by
// records for the jobs it runs.
func (j *Jobs) NodeID() string { return j.id }

// hardStopWait is how long Stop waits, after its deadline, for cancelled jobs
// to return.
const hardStopWait = 5 * time.Second

// Stop stops fetching and waits for running jobs until ctx is done; then it
// cancels their contexts and waits up to five more seconds for them to
// return. A cancelled job counts as a failed attempt and is retried later.
// Stop returns nil when every job finished in time, and otherwise an error
// wrapping ctx's. Stopping a client that is not running does nothing.
func (j *Jobs) Stop(ctx context.Context) error {
	err := j.client.Stop(ctx)
	if j.stopWatch != nil { // started: the node leaves job_nodes
		j.stopWatch()
		<-j.watchDone
		if uerr := j.unregister(context.WithoutCancel(ctx)); uerr != nil {
			j.log.Warn("stop jobs", "err", uerr)
		}
	}
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), hardStopWait)
	defer cancel()
	if herr := j.client.StopAndCancel(hctx); herr != nil {
		return fmt.Errorf("stop jobs: running jobs ignored cancellation: %w", errors.Join(err, herr))
	}
	return fmt.Errorf("stop jobs: running jobs were cancelled at the deadline: %w", err)
}

// Close releases River's own SQLite connection. Call it after Stop, before
// closing the database. It does nothing on PostgreSQL, where River uses d.Pool.
func (j *Jobs) Close() error {
	if j.own == nil {
		return nil
	}
	return j.own.Close()
}
