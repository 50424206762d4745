package events

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// The reminders: a day before an event, and two hours before.
const (
	ReminderDay   = "day"
	ReminderHours = "hours"
)

// Reminder is one person to remind, with the token of their "I can't come
// any more" link.
type Reminder struct {
	PersonID, CancelToken string
}

// remindBatch bounds the people reminded of one event in one transaction
// and the events looked at in one run; the next run does the rest.
const remindBatch = 1000

// SendReminders reminds the people who said yes or maybe to an event (or
// to one of its shifts) that it is soon: once when it starts within a day
// (but more than two hours away), and once when it starts within two
// hours. Each person gets each reminder once, recorded in event_reminders
// in the transaction that queues the mail (Notifier.Remind), so several
// nodes never send one twice. Cancelled events remind nobody; a recurring
// event is reminded of for its first occurrence. It returns how many
// people it reminded. The system only: the events.remind job calls it.
//
// Errors: errs.Forbidden.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || !p.System {
		return 0, errs.E(errs.Forbidden, "Only the system sends reminders.")
	}
	now := s.clock()
	if _, err := s.db.Exec(ctx, `DELETE FROM event_cancel_links WHERE expires_at < ?`, now.Add(-7*24*time.Hour)); err != nil {
		return 0, fmt.Errorf("purge cancel links: %w", err)
	}
	sent := 0
	for _, w := range []struct {
		kind     string
		from, to time.Time
	}{
		{ReminderHours, now, now.Add(2 * time.Hour)},
		{ReminderDay, now.Add(2 * time.Hour), now.Add(24 * time.Hour)},
	} {
		ids, err := queryIDs(ctx, s.db.Q(), `SELECT e.id FROM events e
			WHERE e.status = 'scheduled' AND e.starts_at > ? AND e.starts_at <= ?
			AND EXISTS (SELECT 1 FROM event_rsvps r WHERE r.event_id = e.id AND r.status IN ('accepted', 'tentative')
				AND NOT EXISTS (SELECT 1 FROM event_reminders m WHERE m.event_id = r.event_id AND m.person_id = r.person_id AND m.kind = ?))
			ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(remindBatch), w.from, w.to, w.kind)
		if err != nil {
			return sent, err
		}
		for _, id := range ids {
			n, err := s.remind(ctx, id, w.kind, now)
			sent += n
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}

// remind sends one reminder of one event to those not yet reminded.
func (s *Service) remind(ctx context.Context, eventID, kind string, now time.Time) (int, error) {
	sent := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		e, err := findEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		due, err := queryIDs(ctx, tx, `SELECT DISTINCT r.person_id FROM event_rsvps r
			WHERE r.event_id = ? AND r.status IN ('accepted', 'tentative')
			AND NOT EXISTS (SELECT 1 FROM event_reminders m WHERE m.event_id = r.event_id AND m.person_id = r.person_id AND m.kind = ?)
			ORDER BY r.person_id LIMIT `+fmt.Sprint(remindBatch), eventID, kind)
		if err != nil {
			return err
		}
		var rs []Reminder
		for _, personID := range due {
			res, err := tx.Exec(ctx, `INSERT INTO event_reminders (event_id, person_id, kind, sent_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, eventID, personID, kind, now)
			if err != nil {
				return fmt.Errorf("record reminder: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // another node reminded them
			}
			tok, err := issueCancelLink(ctx, tx, e, personID, now)
			if err != nil {
				return err
			}
			rs = append(rs, Reminder{PersonID: personID, CancelToken: tok})
		}
		if len(rs) == 0 {
			return nil
		}
		if err := s.notifier.Remind(ctx, tx, e, kind, rs); err != nil {
			return err
		}
		sent = len(rs)
		return audit.Record(ctx, tx, "events.remind", "event", eventID, map[string]any{"kind": kind, "people": len(rs)})
	})
	if err != nil {
		return 0, err
	}
	return sent, nil
}

// confirm tells someone who just said yes that they are coming, with their
// cancel link.
func (s *Service) confirm(ctx context.Context, tx *db.Tx, e *Event, shiftID, personID string) error {
	var shift *Shift
	if shiftID != "" {
		var err error
		if shift, err = findShift(ctx, tx, e, shiftID); err != nil {
			return err
		}
	}
	tok, err := issueCancelLink(ctx, tx, e, personID, s.clock())
	if err != nil {
		return err
	}
	return s.notifier.Confirmed(ctx, tx, e, shift, personID, tok)
}

// issueCancelLink stores the hash of a new cancel token for personID's
// answers to e, valid until the event ends, and returns the token.
func issueCancelLink(ctx context.Context, tx *db.Tx, e *Event, personID string, now time.Time) (string, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // never fails (Go 1.24+)
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	if _, err := tx.Exec(ctx, `INSERT INTO event_cancel_links (token_hash, event_id, person_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, tokenHash(tok), e.ID, personID, now, e.End.UTC()); err != nil {
		return "", fmt.Errorf("cancel link: %w", err)
	}
	return tok, nil
}

// RemindArgs is the job that sends the reminders that are due.
type RemindArgs struct{}

// Kind names the job in River.
func (RemindArgs) Kind() string { return "events.remind" }

// RemindWorker runs RemindArgs. Running it twice, or on two nodes at once,
// is harmless: each reminder goes once.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Svc *Service
}

// Work sends the reminders that are due, as the system.
func (w *RemindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	n, err := w.Svc.SendReminders(auth.WithSystem(ctx))
	if n > 0 {
		w.Svc.log.Info("event reminders sent", "count", n)
	}
	return err
}

// RemindPeriodic enqueues RemindArgs every five minutes (and when a node
// starts), so a reminder goes at most five minutes late.
func RemindPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
		&river.PeriodicJobOpts{ID: "events.remind", RunOnStart: true})
}
