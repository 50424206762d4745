package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// lockPlaces serialises answers to one event and returns the places of the
// event or shift (0: no limit). SQLite transactions already hold the one
// write lock; PostgreSQL locks the event's row until the transaction ends.
func lockPlaces(ctx context.Context, tx *db.Tx, e *Event, shiftID string) (int, error) {
	if tx.Dialect() == db.Postgres {
		if _, err := tx.Exec(ctx, `SELECT id FROM events WHERE id = ? FOR UPDATE`, e.ID); err != nil {
			return 0, fmt.Errorf("lock event: %w", err)
		}
	}
	if shiftID == "" {
		var c sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT capacity FROM events WHERE id = ?`, e.ID).Scan(&c); err != nil {
			return 0, fmt.Errorf("event capacity: %w", err)
		}
		return int(c.Int64), nil
	}
	var c sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT capacity FROM event_shifts WHERE id = ? AND event_id = ?`, shiftID, e.ID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.Fields(map[string]string{"shift_id": "This event has no such shift."})
	}
	if err != nil {
		return 0, fmt.Errorf("shift capacity: %w", err)
	}
	return int(c.Int64), nil
}

func countAccepted(ctx context.Context, tx *db.Tx, eventID, shiftID string) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND shift_id = ? AND status = 'accepted'`,
		eventID, shiftID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count accepted: %w", err)
	}
	return n, nil
}

// firstWaiting is the person waiting longest, or "".
func firstWaiting(ctx context.Context, tx *db.Tx, eventID, shiftID string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT person_id FROM event_rsvps WHERE event_id = ? AND shift_id = ? AND status = 'waitlisted'
		ORDER BY waitlisted_at, person_id LIMIT 1`, eventID, shiftID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("waitlist: %w", err)
	}
	return id, nil
}

const rsvpCols = `event_id, shift_id, person_id, status, waitlisted_at, attended_at, source, created_at, updated_at`

func scanRSVP(row interface{ Scan(...any) error }) (*RSVP, error) {
	r := &RSVP{}
	var wl, at sql.NullTime
	if err := row.Scan(&r.EventID, &r.ShiftID, &r.PersonID, &r.Status, &wl, &at, &r.Source, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	if wl.Valid {
		t := wl.Time.UTC()
		r.WaitlistedAt = &t
	}
	if at.Valid {
		t := at.Time.UTC()
		r.AttendedAt = &t
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

// findRSVP returns a person's answer, or nil when they have not answered.
func findRSVP(ctx context.Context, q db.Querier, eventID, shiftID, personID string) (*RSVP, error) {
	r, err := scanRSVP(q.QueryRow(ctx, `SELECT `+rsvpCols+` FROM event_rsvps WHERE event_id = ? AND shift_id = ? AND person_id = ?`,
		eventID, shiftID, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find rsvp: %w", err)
	}
	return r, nil
}

func saveRSVP(ctx context.Context, tx *db.Tx, r *RSVP) error {
	_, err := tx.Exec(ctx, `INSERT INTO event_rsvps (`+rsvpCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, shift_id, person_id) DO UPDATE SET status = excluded.status,
		waitlisted_at = excluded.waitlisted_at, attended_at = excluded.attended_at, source = excluded.source,
		updated_at = excluded.updated_at`,
		r.EventID, r.ShiftID, r.PersonID, r.Status, r.WaitlistedAt, r.AttendedAt, r.Source, r.CreatedAt, r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save rsvp: %w", err)
	}
	return nil
}

// listRSVPs lists an event's answers: accepted first, then the waitlist in
// order, then the rest.
func listRSVPs(ctx context.Context, q db.Querier, eventID string) ([]RSVP, error) {
	rows, err := q.Query(ctx, `SELECT `+rsvpCols+` FROM event_rsvps WHERE event_id = ?
		ORDER BY shift_id, CASE status WHEN 'accepted' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'tentative' THEN 2 ELSE 3 END,
		waitlisted_at, created_at, person_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("list rsvps: %w", err)
	}
	defer rows.Close()
	var out []RSVP
	for rows.Next() {
		r, err := scanRSVP(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
