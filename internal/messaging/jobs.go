package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// Two jobs send broadcasts: the scheduler (every minute) starts the
// broadcasts that are due and re-enqueues the fan-out of any broadcast
// still sending, and the fan-out (one per broadcast at a time) sends its
// recipients in batches.
//
// Exactly once: a recipient row goes queued → sending (claimed by one job
// attempt) → sent, and "sent" is committed (the bulk sender's journal,
// Accepting) before the SMTP server is given the final "." that makes it
// deliver. A node that dies leaves its claimed rows 'sending'; the next
// attempt (River runs it again once jobs.RescueDead finds the node dead)
// puts them back to 'queued' first. So a row is handed over at most once.
// The price is the loss window: a node that dies between the commit and
// the "." leaves rows marked sent that were never delivered (at most one
// group commit of mails per connection).

// batch is how many recipients the fan-out claims at a time.
const batch = 500

// budget is how long one fan-out job sends before it snoozes, so that a
// broadcast of 100,000 is many short jobs rather than one endless one.
const (
	budget     = 3 * time.Minute
	jobTimeout = 10 * time.Minute
)

// SendArgs is the fan-out job of one broadcast.
type SendArgs struct {
	BroadcastID string `json:"broadcast_id"`
}

// Kind is River's name for the job.
func (SendArgs) Kind() string { return "messaging.send" }

// InsertOpts makes the fan-out unique per broadcast while it waits or
// runs: Send, Resume and the scheduler's sweep may all enqueue it.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending,
		rivertype.JobStateRunning, rivertype.JobStateRetryable,
	}}}
}

// ScheduleArgs is the scheduler's job.
type ScheduleArgs struct{}

// Kind is River's name for the job.
func (ScheduleArgs) Kind() string { return "messaging.schedule" }

// RegisterJobs adds the scheduler and the fan-out workers.
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), &SendWorker{svc: s})
	river.AddWorker(j.Workers(), &ScheduleWorker{svc: s})
	j.OnEnded(SendArgs{}.Kind(), s.fanOutEnded)
	return j.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) {
			return ScheduleArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
		}, &river.PeriodicJobOpts{ID: "messaging.schedule", RunOnStart: true}))
}

// ScheduleWorker starts due broadcasts.
type ScheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	svc *Service
}

// Work starts every scheduled broadcast whose time has come and enqueues
// the fan-out of each broadcast still sending.
func (w *ScheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	_, err := w.svc.StartDue(auth.WithSystem(ctx))
	return err
}

// StartDue starts the scheduled broadcasts that are due and re-enqueues the
// fan-out of broadcasts still sending (a lost enqueue, a dead node); the
// scheduler job calls it every minute. It returns how many it started.
// The system only.
func (s *Service) StartDue(ctx context.Context) (int, error) {
	if !isAdmin(ctx) {
		return 0, s.can(ctx, ActApprove, "")
	}
	q := s.d.DB.Q()
	due, err := idsWhere(ctx, q, `status = 'scheduled' AND send_at <= ?`, s.clock())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range due {
		if _, err := s.start(ctx, id, []string{StatusScheduled}, false); err != nil {
			s.log.Error("broadcast not started", "broadcast_id", id, "err", err)
			continue
		}
		n++
	}
	sending, err := idsWhere(ctx, q, `status = 'sending'`)
	if err != nil {
		return n, err
	}
	for _, id := range sending {
		if _, err := s.d.Jobs.Insert(ctx, SendArgs{BroadcastID: id}, nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// fanOutEnded hears of a fan-out job Jobs ended without its worker: its
// node died and an admin cancelled it, or it ran out of attempts. The
// rows it had claimed go back to the queue and the broadcast is paused
// (else the scheduler would start it again within the minute): an
// organiser or admin sees it paused and may Resume it.
func (s *Service) fanOutEnded(ctx context.Context, args []byte, state string) error {
	var a SendArgs
	if err := json.Unmarshal(args, &a); err != nil {
		return fmt.Errorf("fan-out job ended (%s): %w", state, err)
	}
	ctx = auth.WithSystem(ctx)
	if _, err := requeueStale(ctx, s.d.DB.Q(), a.BroadcastID); err != nil {
		return err
	}
	_, err := s.transition(ctx, a.BroadcastID, []string{StatusSending}, "broadcast.paused", func(b *Broadcast) {
		b.Status = StatusPaused
	})
	if errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
		return nil // no longer sending: nothing to stop
	}
	s.log.Warn("broadcast paused: its sending job was ended", "broadcast_id", a.BroadcastID, "job_state", state)
	return err
}

func idsWhere(ctx context.Context, q db.Querier, where string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT id FROM broadcasts WHERE `+where+` ORDER BY id LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("broadcasts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SendWorker is the fan-out.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	svc *Service
}

// Timeout bounds one job; it snoozes after budget well before.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return jobTimeout }

// Work sends the broadcast's queued recipients in batches, as the attempt
// "jobID.attempt".
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	// The claim names the attempt and when it began (see requeueStale).
	claim := fmt.Sprintf("%d.%d.%d", job.ID, job.Attempt, time.Now().Unix())
	return w.svc.fanOut(auth.WithSystem(ctx), job.Args.BroadcastID, claim)
}

// errRetryLater asks River to try again with its backoff.
var errRetryLater = errors.New("messaging: some recipients will be tried again")

// fanOut is one attempt at sending a broadcast (see the top of this file):
// the claim loop both channels share, each batch handed over by the
// channel's send step (sendMail here, sendSMS in sms_send.go).
func (s *Service) fanOut(ctx context.Context, id, claim string) error {
	b, err := getBroadcast(ctx, s.d.DB.Q(), id, false)
	if err != nil {
		return err
	}
	if b.Status != StatusSending {
		return nil // paused, cancelled or done: Resume enqueues it again
	}
	var size int
	switch b.Channel {
	case ChannelEmail:
		size = batch
	case ChannelSMS:
		if err := s.smsDown(); err != nil {
			return err
		}
		size = smsBatch
	default:
		return river.JobCancel(fmt.Errorf("broadcast %s: no sender for channel %q", id, b.Channel))
	}
	if n, err := requeueStale(ctx, s.d.DB.Q(), id); err != nil {
		return err
	} else if n > 0 {
		s.log.Info("broadcast: rows of an earlier attempt back in the queue", "broadcast_id", id, "rows", n)
	}
	m, err := s.newComposer(ctx, b)
	if err != nil {
		return err
	}
	started, lastPublish := time.Now(), time.Time{}
	for {
		status, err := broadcastStatus(ctx, s.d.DB.Q(), id)
		if err != nil {
			return err
		}
		if status != StatusSending {
			s.publish(ctx, id)
			return nil
		}
		var claimed int64
		err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
			claimed, err = claimBatch(ctx, tx, id, b.Channel, claim, size)
			return err
		})
		if err != nil {
			return err
		}
		var rows []recipient
		if claimed > 0 {
			if rows, err = claimedRows(ctx, s.d.DB.Q(), id, claim); err != nil {
				return err
			}
		}
		if len(rows) == 0 { // nothing claimed, or every claimed row skipped
			if claimed > 0 {
				continue
			}
			done, err := finishIfDone(ctx, s.d.DB.Q(), id, s.clock())
			if err != nil {
				return err
			}
			s.publish(ctx, id)
			if done {
				s.log.Info("broadcast sent", "broadcast_id", id, "channel", b.Channel, "seconds", time.Since(started).Seconds())
			}
			return nil
		}
		send := s.sendMail
		if b.Channel == ChannelSMS {
			send = s.sendSMS
		}
		retrying, sendErr := send(ctx, m, id, claim, rows)
		if time.Since(lastPublish) > time.Second {
			s.publish(ctx, id)
			lastPublish = time.Now()
		}
		if sendErr != nil {
			return sendErr
		}
		if retrying > 0 {
			return errRetryLater // River backs off; the rows wait queued
		}
		if time.Since(started) > budget {
			return river.JobSnooze(time.Second)
		}
	}
}

// sendMail hands a claimed batch to the bulk sender, whose journal marks
// each group sent before its final "."; whatever was not handed over goes
// back to the queue. It returns how many rows wait to be tried again.
func (s *Service) sendMail(ctx context.Context, m *composer, id, claim string, rows []recipient) (int, error) {
	msgs := make([]mail.BulkMessage, 0, len(rows))
	for _, r := range rows {
		msgs = append(msgs, m.bulk(r))
	}
	j := &journal{s: s, broadcastID: id, claim: claim}
	sendErr := s.d.Mail.SendBulk(ctx, msgs, j)
	if err := release(context.WithoutCancel(ctx), s.d.DB.Q(), id, claim); err != nil {
		return j.retrying, err
	}
	return j.retrying, sendErr
}

func broadcastStatus(ctx context.Context, q db.Querier, id string) (string, error) {
	var status string
	if err := q.QueryRow(ctx, `SELECT status FROM broadcasts WHERE id = ?`, id).Scan(&status); err != nil {
		return "", db.NotFound(err, "broadcast "+id)
	}
	return status, nil
}

// journal records one batch as the bulk sender goes.
type journal struct {
	s                  *Service
	broadcastID, claim string
	retrying           int
}

// Accepting marks the rows sent, all or none (one statement), before
// their final ".".
//
// On PostgreSQL the commit is asynchronous (synchronous_commit off for
// this transaction only): PostgreSQL finishes a COMMIT it has received
// even if the node that sent it dies, so with a synchronous commit a node
// killed while waiting for the disk flush (milliseconds, most of a send's
// time) would leave its whole group marked sent but never delivered. An
// asynchronous commit answers as soon as it is in the server's memory, so
// the loss window shrinks back to microseconds. What it costs: a crash of
// the PostgreSQL server itself may forget the last fraction of a second of
// marks; requeueStale then refuses to send those rows again (see there).
func (j *journal) Accepting(ctx context.Context, keys []string) error {
	if j.s.d.DB.Dialect != db.Postgres {
		return markSent(ctx, j.s.d.DB.Q(), j.broadcastID, j.claim, keys, j.s.clock())
	}
	return j.s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		return markSent(ctx, tx, j.broadcastID, j.claim, keys, j.s.clock())
	})
}

// Done records the outcomes: a delivered row keeps the server's reply
// code (so a sent row whose code is still 0 is one whose "." was never
// answered: the loss window of a node that died); refused for good →
// failed; refused for now → queued again, failed after maxAttempts.
func (j *journal) Done(ctx context.Context, results []mail.BulkResult) error {
	var failed []mail.BulkResult
	var delivered []string
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r)
		} else {
			delivered = append(delivered, r.Key)
		}
	}
	return j.s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := markDelivered(ctx, tx, j.broadcastID, j.claim, delivered); err != nil {
			return err
		}
		for _, r := range failed {
			if !r.Permanent && !(r.Journaled && r.Code == 0) {
				j.retrying++
			}
			if err := markFailed(ctx, tx, j.broadcastID, j.claim, r.Key, r.Err.Error(), r.Code, r.Permanent, r.Journaled); err != nil {
				return err
			}
			// A mailbox refused for good gets no more broadcasts (comply
			// branch, suppress.go).
			if r.Permanent && SuppressesAddress(r.Code) {
				if err := suppressRecipient(ctx, tx, j.broadcastID, r.Key, r.Code, j.s.clock()); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// publish tells the broadcast's live topic its figures (a hint: pages
// read the figures from Stats when it arrives).
func (s *Service) publish(ctx context.Context, id string) {
	st, err := readStats(ctx, s.d.DB.Q(), id)
	if err != nil {
		s.log.Warn("broadcast progress not published", "broadcast_id", id, "err", err)
		return
	}
	status, _ := broadcastStatus(ctx, s.d.DB.Q(), id)
	data, _ := json.Marshal(map[string]any{"status": status, "recipients": st.Recipients, "queued": st.Queued,
		"sent": st.Sent, "failed": st.Failed, "skipped": st.Skipped})
	if err := s.d.Live.Publish(ctx, live.Event{Topic: Topic(id), Name: "progress", Data: string(data)}); err != nil {
		s.log.Warn("broadcast progress not published", "broadcast_id", id, "err", err)
	}
}
