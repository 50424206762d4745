package events

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// This file holds what the OSDI API (package eventsapi) needs beyond the
// pages: a paged list of every event a token may see, past ones included,
// the shifts of a page of events in one query, an event's attendances, and
// the record attendance helper (api_attendance.go). Changes go through
// Update, as on the pages.

// APIFilter asks for a page of events through the API. Zero times bound
// nothing; Since bounds are inclusive, Before bounds exclusive.
type APIFilter struct {
	ModifiedSince, ModifiedBefore time.Time // updated_at
	StartSince, StartBefore       time.Time // starts_at
	Offset, Limit                 int       // Limit: default 25, at most 100
}

// APIEvent is an event with its shifts.
type APIEvent struct {
	Event
	Shifts []Shift
}

// APIList returns a page of the events the caller may see, every status and
// date, in the order they start (then by id), and how many match in all. A
// network token and admins see every event; a group token sees its group's
// events and the network's public ones; a signed-in person what the pages
// show them.
//
// Errors: errs.Unauthorized (nobody).
func (s *Service) APIList(ctx context.Context, f APIFilter) ([]APIEvent, int, error) {
	where, args, err := s.apiVisibleWhere(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range []struct {
		cond string
		at   time.Time
	}{{`e.updated_at >= ?`, f.ModifiedSince}, {`e.updated_at < ?`, f.ModifiedBefore},
		{`e.starts_at >= ?`, f.StartSince}, {`e.starts_at < ?`, f.StartBefore}} {
		if !c.at.IsZero() {
			where += ` AND ` + c.cond
			args = append(args, c.at.UTC())
		}
	}
	var total int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	limit := min(max(f.Limit, 1), 100)
	if f.Limit == 0 {
		limit = 25
	}
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e WHERE `+where+
		` ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []APIEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, APIEvent{Event: *e})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.withShifts(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// APIGet returns an event the caller may see, with its shifts.
//
// Errors: errs.NotFound (also for an event the caller may not see).
func (s *Service) APIGet(ctx context.Context, id string) (*APIEvent, error) {
	e, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []APIEvent{{Event: *e}}
	if err := s.withShifts(ctx, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// apiVisibleWhere is visibleWhere for API callers: tokens have no person,
// so a network token sees everything and a group token its own group's
// events besides the public ones.
func (s *Service) apiVisibleWhere(ctx context.Context) (string, []any, error) {
	p := auth.PrincipalFrom(ctx)
	switch {
	case p == nil:
		return "", nil, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header.")
	case p.Token:
		return `1 = 1`, nil, nil
	case p.TokenGroupID != "":
		return `(e.visibility = 'public' OR e.group_id = ?)`, []any{p.TokenGroupID}, nil
	}
	// visibleWhere names events' columns bare, which is unambiguous here.
	return s.visibleWhere(ctx)
}

// withShifts loads the shifts of the events in one query (shiftsOf reads
// one event's).
func (s *Service) withShifts(ctx context.Context, evs []APIEvent) error {
	if len(evs) == 0 {
		return nil
	}
	at := make(map[string]int, len(evs))
	args := make([]any, len(evs))
	for i, e := range evs {
		at[e.ID], args[i] = i, e.ID
	}
	rows, err := s.db.Q().Query(ctx, `SELECT s.event_id, s.id, s.title, s.starts_at, s.ends_at, COALESCE(s.capacity, 0),
		(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = s.event_id AND r.shift_id = s.id AND r.status = 'accepted'),
		(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = s.event_id AND r.shift_id = s.id AND r.status = 'waitlisted')
		FROM event_shifts s WHERE s.event_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`)
		ORDER BY s.starts_at, s.id`, args...)
	if err != nil {
		return fmt.Errorf("event shifts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sh Shift
		if err := rows.Scan(&sh.EventID, &sh.ID, &sh.Title, &sh.Start, &sh.End, &sh.Capacity, &sh.Accepted, &sh.Waitlisted); err != nil {
			return err
		}
		e := &evs[at[sh.EventID]]
		sh.Start, sh.End = sh.Start.In(e.Start.Location()), sh.End.In(e.Start.Location())
		e.Shifts = append(e.Shifts, sh)
	}
	return rows.Err()
}
