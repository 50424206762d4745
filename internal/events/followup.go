package events

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// followUpWindow is how long after its end an event is still followed up:
// a node that was down for a while catches up, but nobody is thanked for
// an event of last month.
const followUpWindow = 7 * 24 * time.Hour

// SendFollowUps thanks the people checked in at events that have ended, once
// per event (Notifier.FollowUp, in the transaction that marks the event
// followed up), sends the hosts their report (Notifier.HostReport), and
// returns how many events it followed up. A recurring
// event is followed up after its first occurrence. The system only: the
// events.follow_up job calls it.
//
// Errors: errs.Forbidden.
func (s *Service) SendFollowUps(ctx context.Context) (int, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || !p.System {
		return 0, errs.E(errs.Forbidden, "Only the system sends follow-ups.")
	}
	now := s.clock()
	rows, err := s.db.Q().Query(ctx, `SELECT id FROM events WHERE followed_up_at IS NULL AND status = 'scheduled'
		AND ends_at <= ? AND ends_at > ? ORDER BY ends_at, id LIMIT 100`, now, now.Add(-followUpWindow))
	if err != nil {
		return 0, fmt.Errorf("events to follow up: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	done := 0
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE events SET followed_up_at = ? WHERE id = ? AND followed_up_at IS NULL`, now, id)
			if err != nil {
				return fmt.Errorf("follow up event %s: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node did it
			}
			e, err := findEvent(ctx, tx, id)
			if err != nil {
				return err
			}
			came, err := attendedIDs(ctx, tx, id)
			if err != nil {
				return err
			}
			if len(came) > 0 {
				if err := s.notifier.FollowUp(ctx, tx, e, came); err != nil {
					return err
				}
			}
			if err := s.reportToHosts(ctx, tx, e); err != nil {
				return err
			}
			done++
			return audit.Record(ctx, tx, "events.follow_up", "event", id, map[string]any{"attended": len(came)})
		})
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

func attendedIDs(ctx context.Context, q db.Querier, eventID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT person_id FROM event_rsvps WHERE event_id = ? AND shift_id = '' AND attended_at IS NOT NULL
		ORDER BY attended_at, person_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("attended: %w", err)
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

// FollowUpArgs is the job that thanks the people who came to events that
// have ended.
type FollowUpArgs struct{}

// Kind names the job in River.
func (FollowUpArgs) Kind() string { return "events.follow_up" }

// FollowUpWorker runs FollowUpArgs. Running it twice is harmless: an event
// is followed up once.
type FollowUpWorker struct {
	river.WorkerDefaults[FollowUpArgs]
	Svc *Service
}

// Work follows up the events that have ended, as the system.
func (w *FollowUpWorker) Work(ctx context.Context, _ *river.Job[FollowUpArgs]) error {
	n, err := w.Svc.SendFollowUps(auth.WithSystem(ctx))
	if n > 0 {
		w.Svc.log.Info("events followed up", "count", n)
	}
	return err
}

// FollowUpPeriodic enqueues FollowUpArgs every ten minutes (and when a node
// starts). Register it with the River client, and FollowUpWorker with its
// workers.
func FollowUpPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return FollowUpArgs{}, nil },
		&river.PeriodicJobOpts{ID: "events.follow_up", RunOnStart: true})
}

// HostReport is what an event's hosts learn once it is over: how many said
// yes, and by name who came (walk-ins included), who among them was new to
// the network (came in through this event), and who said yes but did not
// come.
type HostReport struct {
	Accepted           int
	Came, New, NoShows []string
}

// reportToHosts builds the hosts' report of e and hands it to the notifier.
func (s *Service) reportToHosts(ctx context.Context, tx *db.Tx, e *Event) error {
	hosts, err := column(ctx, tx, `SELECT person_id FROM event_hosts WHERE event_id = ? ORDER BY person_id`, e.ID)
	if err != nil || len(hosts) == 0 {
		return err
	}
	var r HostReport
	const name = `TRIM(p.given_name || ' ' || p.family_name)`
	if r.Came, err = column(ctx, tx, `SELECT `+name+` FROM event_rsvps r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? AND r.shift_id = '' AND r.attended_at IS NOT NULL ORDER BY 1`, e.ID); err != nil {
		return err
	}
	if r.New, err = column(ctx, tx, `SELECT `+name+` FROM event_rsvps r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? AND r.shift_id = '' AND p.source = 'event' AND p.source_detail = ? ORDER BY 1`, e.ID, e.ID); err != nil {
		return err
	}
	if r.NoShows, err = column(ctx, tx, `SELECT `+name+` FROM event_rsvps r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? AND r.shift_id = '' AND r.status = 'accepted' AND r.attended_at IS NULL ORDER BY 1`, e.ID); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND shift_id = '' AND status = 'accepted'`,
		e.ID).Scan(&r.Accepted); err != nil {
		return fmt.Errorf("host report: %w", err)
	}
	return s.notifier.HostReport(ctx, tx, e, hosts, r)
}

// column runs a query returning one text column.
func column(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("host report: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
