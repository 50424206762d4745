// Package jobs runs Momentum's background work — mail, reminders, imports,
// digests — with River (riverqueue.com) on the application's own database,
// SQLite or PostgreSQL, so a job commits or rolls back with the write that
// asked for it. It owns River's tables (Migrate), the client (New, Start,
// Stop), inserting jobs (Insert, InsertTx), the admin view of them (List,
// Counts, Retry, Cancel) and rescuing the jobs of nodes that died
// (RescueDead). It imports only platform/db and platform/errs, and
// knows nothing of the domain: domains define their job args and workers in
// their own jobs.go and register them (RegisterJobs, see register.go).
//
// # Adding a job
//
// In the domain (internal/events/jobs.go):
//
//	type ReminderArgs struct {
//		EventID string `json:"event_id"`
//	}
//
//	func (ReminderArgs) Kind() string { return "events.reminder" }
//
//	type ReminderWorker struct {
//		river.WorkerDefaults[ReminderArgs]
//		Svc *Service
//	}
//
//	func (w *ReminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
//		return w.Svc.sendReminders(ctx, job.Args.EventID) // an error means "retry later"
//	}
//
// In the same file, the service registers it; app/build calls this once
// every service exists, before Start:
//
//	func (s *Service) RegisterJobs(j *jobs.Jobs) error {
//		river.AddWorker(j.Workers(), &ReminderWorker{Svc: s})
//		return nil
//	}
//
// In the service, inside the transaction of the write:
//
//	_, err := s.jobs.InsertTx(ctx, tx, ReminderArgs{EventID: id},
//		&river.InsertOpts{ScheduledAt: ev.StartsAt.Add(-24 * time.Hour)})
//
// Args are stored as JSON and shown on the admin page: keep them to ids, never
// personal data or secrets. A worker must be safe to run twice (a node can die
// after the work but before recording it); check what was already done.
//
// # Retries
//
// A worker that returns an error (or panics) is retried with River's
// exponential backoff: the n-th retry waits n⁴ seconds, ±10% jitter
// (1 s, 16 s, 81 s, 4 min, 10 min, 22 min, 40 min, 68 min, 109 min — about
// 4 hours 15 minutes over DefaultMaxAttempts = 10 attempts). After its last
// attempt the job is discarded and stays visible, with each attempt's error,
// through List(ListFilter{State: "discarded"}) for 7 days; Retry runs it again.
// Override per kind:
//
//	// fewer attempts: on the args
//	func (ReminderArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }
//	// another schedule: on the worker
//	func (w *ReminderWorker) NextRetry(*river.Job[ReminderArgs]) time.Time { return time.Now().Add(time.Minute) }
//
// or per insert with InsertOpts.MaxAttempts. Return river.JobCancel(err) to
// give up without retrying, river.JobSnooze(d) to try again later without
// using an attempt. Jobs time out after a minute unless the worker's Timeout
// method says otherwise.
//
// # Nodes that die
//
// A job whose process dies stays running in river_job: River's own rescuer
// only looks at it once the worker's Timeout has passed. So Start records
// the node in job_nodes (its id is River's client id, which attempted_by
// records) with a heartbeat every HeartbeatEvery, and every node, when it
// starts and every RescueEvery, ends the attempt of the running jobs of dead
// nodes (RescueDead): a node is dead when its heartbeat is NodeDeadAfter old,
// or at once when it ran on this machine and its process is gone. Retry and
// Cancel act at once on such a job. Workers must therefore still be safe to
// run twice. A kind that must know when Jobs ends one of its jobs without its
// worker (cancelled before it ran, or on a dead node) registers an EndFunc with
// Jobs.OnEnded. job_nodes is created by the application's migrations
// (0019), which run before River's.
//
// # Engines
//
// PostgreSQL: riverpgxv5 on db.DB.Pool. New jobs wake workers through
// LISTEN/NOTIFY; any number of nodes share the queue, each job is locked by
// one of them (FOR UPDATE SKIP LOCKED), and one node is elected leader for
// maintenance and periodic jobs. InsertTx takes db.Tx, a database/sql
// transaction over pgx's stdlib driver, which the pgx driver cannot use, so it
// goes through a second, insert-only client on riverdatabasesql.
//
// SQLite: riversqlite, which River marks early-testing, on a one-connection
// pool of its own (as River asks) opened with db.SQLiteDSN. River emulates
// LISTEN/NOTIFY with an outbox table polled every 50 ms; see
// SQLiteFetchCooldown for the polling figures. Two rules follow from SQLite
// having one writer at a time:
//   - Inside db.InTx use InsertTx, never Insert, Retry or Cancel: those need
//     River's own connection to write, which waits for the transaction holding
//     the write lock — yours — and fails with SQLITE_BUSY after five seconds.
//   - Keep write transactions in workers short: River's connection completes
//     and fetches jobs between them.
//
// Throughput on SQLite is about MaxWorkers jobs per FetchCooldown (measured:
// ~315 jobs/s with 4 workers at 10 ms, ~1,000 jobs/s with 20), so make one
// job do a batch of work (a job sends 500 mails, not one), or give a queue of
// slow jobs more workers.
package jobs
