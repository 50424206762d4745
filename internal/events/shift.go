package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Shift is a volunteer time slot of an event with its own places, as
// Mobilize has them: people say yes to a shift as they do to the event
// (RSVPInput.ShiftID), with a waitlist of its own.
type Shift struct {
	ID, EventID, Title string
	// Start and End are in the event's time zone.
	Start, End time.Time
	Capacity   int // 0: no limit
	// Accepted and Waitlisted count the answers to the shift.
	Accepted, Waitlisted int
}

// Full reports whether every place of the shift is taken.
func (sh *Shift) Full() bool { return sh.Capacity > 0 && sh.Accepted >= sh.Capacity }

// Left is the number of places left, or -1 when there is no limit.
func (sh *Shift) Left() int {
	if sh.Capacity == 0 {
		return -1
	}
	return max(sh.Capacity-sh.Accepted, 0)
}

// ShiftInput is a shift an organiser adds. Start and End are wall-clock
// times in the event's zone: their own Location is ignored.
type ShiftInput struct {
	Title      string
	Start, End time.Time
	Capacity   int
}

// AddShift adds a volunteer shift to an event, for its group's organisers
// (admins for network events). The shift must fall within the event.
//
// Errors: errs.Invalid naming the fields (shift_title, shift_start,
// shift_end, shift_capacity), errs.NotFound, errs.Conflict (cancelled),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) AddShift(ctx context.Context, eventID string, in ShiftInput) (*Shift, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return nil, err
	}
	if err := writable(e); err != nil {
		return nil, err
	}
	if e.Status == Cancelled {
		return nil, errs.E(errs.Conflict, "This event is cancelled.")
	}
	sh := &Shift{ID: db.NewID(), EventID: e.ID, Title: strings.TrimSpace(in.Title), Capacity: in.Capacity}
	bad := map[string]string{}
	switch n := utf8.RuneCountInString(sh.Title); {
	case n == 0:
		bad["shift_title"] = "Name the shift, for example \"Setting up\"."
	case n > 200:
		bad["shift_title"] = "Keep the name under 200 characters."
	}
	loc := e.Start.Location()
	switch {
	case in.Start.IsZero():
		bad["shift_start"] = "Say when the shift starts."
	case in.End.IsZero():
		bad["shift_end"] = "Say when the shift ends."
	default:
		sh.Start, sh.End = wall(in.Start, loc), wall(in.End, loc)
		switch {
		case !sh.End.After(sh.Start):
			bad["shift_end"] = "The shift must end after it starts."
		case sh.Start.Before(e.Start) || sh.End.After(e.End):
			bad["shift_start"] = "A shift must fall within the event: " + web.DayTime(e.Start, nil) + " to " + web.DateTime(e.End, nil) + "." // issue 16
		}
	}
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		bad["shift_capacity"] = "Give the number of places (at most a million), or leave it empty for no limit."
	}
	if len(bad) > 0 {
		return nil, errs.Fields(bad)
	}
	var capacity any
	if sh.Capacity > 0 {
		capacity = sh.Capacity
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO event_shifts (id, event_id, title, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?, ?, ?)`,
			sh.ID, sh.EventID, sh.Title, sh.Start.UTC(), sh.End.UTC(), capacity); err != nil {
			return fmt.Errorf("add shift: %w", err)
		}
		return audit.Record(ctx, tx, "events.add_shift", "event", e.ID, map[string]any{"shift_id": sh.ID})
	})
	if err != nil {
		return nil, err
	}
	return sh, nil
}

// RemoveShift removes a shift and the answers to it, for the event's
// group's organisers; those who said yes or maybe to it, or waited for a
// place, are told (Notifier.Changed).
//
// Errors: errs.NotFound (the event or the shift), errs.Forbidden,
// errs.Unauthorized.
func (s *Service) RemoveShift(ctx context.Context, eventID, shiftID string) error {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return err
	}
	if err := writable(e); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `SELECT title FROM event_shifts WHERE id = ? AND event_id = ?`, shiftID, e.ID).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "There is no such shift.")
		}
		if err != nil {
			return fmt.Errorf("remove shift: %w", err)
		}
		told, err := queryIDs(ctx, tx, `SELECT person_id FROM event_rsvps WHERE event_id = ? AND shift_id = ?
			AND status IN ('accepted', 'tentative', 'waitlisted') ORDER BY person_id`, e.ID, shiftID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_rsvps WHERE event_id = ? AND shift_id = ?`, e.ID, shiftID); err != nil {
			return fmt.Errorf("remove shift: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_shifts WHERE id = ?`, shiftID); err != nil {
			return fmt.Errorf("remove shift: %w", err)
		}
		if len(told) > 0 && e.Status == Scheduled && e.End.After(s.clock()) {
			if err := s.notifier.Changed(ctx, tx, e, told, "the shift \""+title+"\" was removed"); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "events.remove_shift", "event", e.ID, map[string]any{"shift_id": shiftID})
	})
}

// shiftsOf lists an event's shifts in time order, with their answers
// counted.
func shiftsOf(ctx context.Context, q db.Querier, e *Event) ([]Shift, error) {
	rows, err := q.Query(ctx, `SELECT s.id, s.title, s.starts_at, s.ends_at, COALESCE(s.capacity, 0),
		(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = s.event_id AND r.shift_id = s.id AND r.status = 'accepted'),
		(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = s.event_id AND r.shift_id = s.id AND r.status = 'waitlisted')
		FROM event_shifts s WHERE s.event_id = ? ORDER BY s.starts_at, s.id`, e.ID)
	if err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	defer rows.Close()
	var out []Shift
	for rows.Next() {
		sh := Shift{EventID: e.ID}
		if err := rows.Scan(&sh.ID, &sh.Title, &sh.Start, &sh.End, &sh.Capacity, &sh.Accepted, &sh.Waitlisted); err != nil {
			return nil, err
		}
		sh.Start, sh.End = sh.Start.In(e.Start.Location()), sh.End.In(e.Start.Location())
		out = append(out, sh)
	}
	return out, rows.Err()
}

// findShift returns one shift of an event.
func findShift(ctx context.Context, q db.Querier, e *Event, shiftID string) (*Shift, error) {
	shifts, err := shiftsOf(ctx, q, e)
	if err != nil {
		return nil, err
	}
	for i := range shifts {
		if shifts[i].ID == shiftID {
			return &shifts[i], nil
		}
	}
	return nil, errs.E(errs.NotFound, "There is no such shift.")
}

// myShiftAnswers maps shift ids to a person's answers to them.
func myShiftAnswers(ctx context.Context, q db.Querier, eventID, personID string) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT shift_id, status FROM event_rsvps WHERE event_id = ? AND person_id = ? AND shift_id <> ''`,
		eventID, personID)
	if err != nil {
		return nil, fmt.Errorf("shift answers: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, err
		}
		out[id] = status
	}
	return out, rows.Err()
}

// queryIDs runs a query of ids (people, events).
func queryIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("people to tell: %w", err)
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
