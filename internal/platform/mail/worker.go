package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// batchSize is how many mails one claim takes; one job sends batches until
// nothing is due (DESIGN.md: a job sends 500 mails, not one).
const batchSize = 500

// sendBudget is how long one job keeps claiming new batches before it
// snoozes and lets River run it again; jobTimeout bounds the whole job.
const (
	sendBudget = 5 * time.Minute
	jobTimeout = 10 * time.Minute
)

// SendArgs is the job that sends queued mail. It carries nothing: the
// worker sends whatever is queued.
type SendArgs struct{}

// Kind is River's name for the job.
func (SendArgs) Kind() string { return "mail.send" }

// InsertOpts makes a burst of Queue calls produce one pending job: a job is
// not inserted while another is available, scheduled, pending or running
// (River requires all four). Mail queued while a job runs is sent by the same
// job, which claims again until nothing is due, or else by the sweep.
func (SendArgs) InsertOpts() river.InsertOpts { _, o := sendJob(); return *o }

func sendJob() (SendArgs, *river.InsertOpts) {
	return SendArgs{}, &river.InsertOpts{
		MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStateScheduled,
			rivertype.JobStatePending, rivertype.JobStateRunning,
		}},
	}
}

// PeriodicSweep enqueues SendArgs every minute, so mail whose enqueue after
// commit was lost (a crash, a full queue) and mail waiting for its next
// attempt are still sent. Register it with the River client.
func PeriodicSweep() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { a, o := sendJob(); return a, o },
		&river.PeriodicJobOpts{ID: "mail.sweep"})
}

// SendWorker sends queued mail over SMTP.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// NewSendWorker returns the worker for SendArgs.
func NewSendWorker(s *Service) *SendWorker { return &SendWorker{s: s} }

// Timeout gives a job time for several batches on a slow server.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return jobTimeout }

// Work claims due mail in batches and sends it. It returns an error when any
// mail of the job could not be sent and will be tried again, so River retries
// with backoff; mail waits for its own next attempt time either way. In
// outbox mode it does nothing.
func (w *SendWorker) Work(ctx context.Context, _ *river.Job[SendArgs]) error {
	s := w.s
	if s.smtp == nil {
		return nil
	}
	start := time.Now()
	var retrying int
	for {
		batch, err := s.claim(ctx, batchSize)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		n, err := s.sendBatch(ctx, batch)
		if err != nil {
			return err
		}
		retrying += n
		if retrying > 0 {
			break // the server is unwell: let River back off
		}
		if time.Since(start) > sendBudget {
			return river.JobSnooze(time.Second)
		}
	}
	if retrying > 0 {
		return fmt.Errorf("mail: %d mails could not be sent and will be tried again", retrying)
	}
	return nil
}

// sendBatch sends claimed mail over one connection, reconnecting after a
// connection error. It returns how many went back to the queue.
func (s *Service) sendBatch(ctx context.Context, batch []Stored) (int, error) {
	var c *smtpConn
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	retrying, sent, failed := 0, 0, 0
	defer func() {
		s.log.Info("mail batch done", "claimed", len(batch), "sent", sent, "retrying", retrying, "failed", failed)
	}()
	var dialErr error
	for i := range batch {
		if ctx.Err() != nil {
			// Stopping (shutdown, timeout): hand the rest back untouched.
			ids := make([]string, 0, len(batch)-i)
			for _, m := range batch[i:] {
				ids = append(ids, m.ID)
			}
			if err := s.release(context.WithoutCancel(ctx), ids); err != nil {
				return retrying, err
			}
			return retrying, ctx.Err()
		}
		m := &batch[i]
		var err error
		if dialErr != nil {
			err = dialErr // the server is unreachable: don't dial 500 times
		} else {
			if c == nil {
				if c, err = dialSMTP(ctx, s.smtp, s.domain); err != nil {
					dialErr = err
					s.log.Warn("cannot reach the SMTP server", "server", s.smtp.String(), "err", err)
				}
			}
			if err == nil {
				err = c.send(s.from.Address, m.To, func() ([]byte, error) { return compose(s.from, m, s.now()) })
			}
		}
		if err == nil {
			if err := s.markSent(context.WithoutCancel(ctx), m); err != nil {
				return retrying, err
			}
			sent++
			s.log.Debug("mail sent", "mail_id", m.ID, "to_domain", domainOf(m.To), "kind", m.Kind, "related", m.Related, "status", StatusSent)
			continue
		}
		var perm *permanentError
		permanent := errors.As(err, &perm)
		status, uerr := s.markFailedAttempt(context.WithoutCancel(ctx), m, err, permanent)
		if uerr != nil {
			return retrying, uerr
		}
		if status == StatusQueued {
			retrying++
		} else {
			failed++
		}
		s.log.Warn("mail not sent", "mail_id", m.ID, "to_domain", domainOf(m.To), "kind", m.Kind, "related", m.Related,
			"status", status, "attempts", m.Attempts+1, "smtp_code", smtpCode(err))
		if c != nil && !c.reset() {
			c.close()
			c = nil // reconnect for the next mail
		}
	}
	return retrying, nil
}
