package events

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// issue 16: an event's page shows its hosts how the answers stand and who
// is coming, walk-ins marked as such.

// WalkInSource is the source of the answer recorded for someone checked in
// without having answered: a walk-in at the door.
const WalkInSource = "walk-in"

// RSVPFigures is how an event's answers stand (the event's own, not its
// shifts').
type RSVPFigures struct {
	// Going said yes (or got a place from the waiting list); Maybe and
	// NotGoing answered so; Waitlisted wait for a place. Walk-ins count
	// in none of them.
	Going, Maybe, NotGoing, Waitlisted int
	// CheckedIn were marked there, walk-ins included; WalkIns came
	// without having answered.
	CheckedIn, WalkIns int
}

// Turnout is an event's answers for its hosts: the figures and the people
// who answered (not those who said no, unless they came), by name, at most
// attendeeLimit of them.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Turnout(ctx context.Context, eventID string) (*RSVPFigures, []Attendee, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return nil, nil, err
	}
	rows, err := s.db.Q().Query(ctx, `SELECT r.person_id, p.given_name, p.family_name, r.status, r.attended_at, r.source
		FROM event_rsvps r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? AND r.shift_id = ''
		ORDER BY LOWER(p.given_name), LOWER(p.family_name), r.person_id`, e.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("turnout of event %s: %w", e.ID, err)
	}
	defer rows.Close()
	f := &RSVPFigures{}
	var list []Attendee
	for rows.Next() {
		var a Attendee
		var given, family, source string
		var at sql.NullTime
		if err := rows.Scan(&a.PersonID, &given, &family, &a.Status, &at, &source); err != nil {
			return nil, nil, fmt.Errorf("turnout of event %s: %w", e.ID, err)
		}
		a.Name = strings.TrimSpace(given + " " + family)
		a.WalkIn = source == WalkInSource
		if at.Valid {
			t := at.Time.UTC()
			a.AttendedAt = &t
			f.CheckedIn++
		}
		switch {
		case a.WalkIn:
			f.WalkIns++
		case a.Status == Accepted:
			f.Going++
		case a.Status == Tentative:
			f.Maybe++
		case a.Status == Declined:
			f.NotGoing++
		case a.Status == Waitlisted:
			f.Waitlisted++
		}
		if (a.Status != Declined || a.AttendedAt != nil) && len(list) < attendeeLimit {
			list = append(list, a)
		}
	}
	return f, list, rows.Err()
}
