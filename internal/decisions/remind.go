package decisions

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// RemindBefore is how long before the close voters who have not voted are
// reminded. Decisions whose voting lasts no longer than this get no
// reminder: it would arrive as voting opens.
const RemindBefore = 24 * time.Hour

// Reminder sends the reminders, in the transaction that marks them sent
// (MailReminder hands one notice per voter to the notices service). Ballot
// reminders go to everyone in the electorate with an account who has not
// voted, whatever their marketing consent, as each chose for
// "decisions.reminder" (at once, in the daily digest, or not), and say why.
type Reminder interface {
	RemindVoters(ctx context.Context, tx *db.Tx, d *Decision, voters []Voter) error
}

// Voter is a member of the electorate to remind: their person and the
// address of their account.
type Voter struct {
	PersonID string
	Email    string
}

// DueReminders lists the decisions whose reminders are due at the
// service's clock: open for voting, closing within RemindBefore, scheduled
// to open more than RemindBefore before the close, and not yet reminded.
// Errors: errs.Forbidden (the system and admins).
func (s *Service) DueReminders(ctx context.Context) ([]string, error) {
	if err := s.can(ctx, ActAdvance, &Decision{}); err != nil {
		return nil, err
	}
	now := s.clock()
	rows, err := s.db.Q().Query(ctx, `SELECT id, opens_at, closes_at FROM decisions
		WHERE status = 'voting' AND reminded_at IS NULL AND closes_at > ? AND closes_at <= ?
		ORDER BY closes_at, id LIMIT 100`, now, now.Add(RemindBefore))
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		var opens, closes time.Time
		if err := rows.Scan(&id, &opens, &closes); err != nil {
			return nil, fmt.Errorf("due reminders: %w", err)
		}
		if closes.Sub(opens) > RemindBefore {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// NotVoted lists the account email addresses of the people in a
// decision's electorate who have not voted (not erased, with an account).
// Errors: errs.Forbidden (the system and admins), errs.NotFound.
func (s *Service) NotVoted(ctx context.Context, id string) ([]string, error) {
	d, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActAdvance, d); err != nil {
		return nil, err
	}
	voters, err := notVoted(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	emails := make([]string, len(voters))
	for i, v := range voters {
		emails[i] = v.Email
	}
	return emails, nil
}

// notVoted reads the users table (read-only) for account addresses.
func notVoted(ctx context.Context, q db.Querier, decisionID string) ([]Voter, error) {
	rows, err := q.Query(ctx, `SELECT p.id, u.email FROM decision_electorate e
		JOIN people p ON p.id = e.person_id AND p.erased_at IS NULL
		JOIN users u ON u.id = p.user_id
		WHERE e.decision_id = ? AND NOT EXISTS
			(SELECT 1 FROM decision_voters v WHERE v.decision_id = e.decision_id AND v.person_id = e.person_id)
		ORDER BY u.email`, decisionID)
	if err != nil {
		return nil, fmt.Errorf("not voted in %s: %w", decisionID, err)
	}
	defer rows.Close()
	var out []Voter
	for rows.Next() {
		var v Voter
		if err := rows.Scan(&v.PersonID, &v.Email); err != nil {
			return nil, fmt.Errorf("not voted in %s: %w", decisionID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SendReminders reminds, once per decision, everyone who has not voted in
// each decision DueReminders lists: in one transaction per decision it
// marks the reminder sent and hands the addresses to the Reminder, so a
// reminder is queued exactly when it is marked. It returns how many
// addresses it reminded. A decision that fails is logged and left for the
// next run. Errors: errs.Forbidden (the system and admins).
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	ids, err := s.DueReminders(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		n, err := s.remindOne(ctx, id)
		if err != nil {
			s.log.Error("reminders not sent", "decision", id, "err", err)
			continue
		}
		sent += n
	}
	return sent, nil
}

func (s *Service) remindOne(ctx context.Context, id string) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, err := getDecision(ctx, tx, id, writeLock)
		if err != nil {
			return notFound(err)
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT reminded_at IS NOT NULL FROM decisions WHERE id = ?`, id).Scan(&done); err != nil {
			return fmt.Errorf("remind %s: %w", id, err)
		}
		if done || d.Status != StatusVoting {
			return nil // another node got here first, or it closed
		}
		voters, err := notVoted(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE decisions SET reminded_at = ? WHERE id = ?`, s.clock(), id); err != nil {
			return fmt.Errorf("remind %s: %w", id, err)
		}
		if len(voters) > 0 {
			if err := s.remind.RemindVoters(ctx, tx, d, voters); err != nil {
				return err
			}
		}
		n = len(voters)
		return audit.Record(ctx, tx, "decision.reminded", "decision", id, map[string]any{"reminded": n})
	})
	return n, err
}

// RemindArgs is the job that sends reminders a day before the close.
type RemindArgs struct{}

// Kind names the job in River.
func (RemindArgs) Kind() string { return "decisions.remind" }

// RemindWorker runs RemindArgs. Running it twice is harmless: a decision's
// reminders are marked sent in the transaction that queues them.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Svc *Service
}

// Work sends the reminders that are due, as the system.
func (w *RemindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	n, err := w.Svc.SendReminders(auth.WithSystem(ctx))
	if err != nil {
		return err
	}
	if n > 0 {
		w.Svc.log.Info("decision reminders queued", "count", n)
	}
	return nil
}

// RemindPeriodic enqueues RemindArgs every ten minutes (and when a node
// starts).
func RemindPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
		&river.PeriodicJobOpts{ID: "decisions.remind", RunOnStart: true})
}
