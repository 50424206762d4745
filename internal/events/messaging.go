package events

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// What the messaging capability asks of events (issue 12): who said yes to
// an event, for a broadcast to them, and the events coming up, for the
// {{next_event}} placeholder. messaging may not import events; app/build
// passes these through a small adapter.

// AttendeeIDs returns the people who said yes to the event (to the event
// itself or to one of its shifts), in id order.
//
// withinGroup, when set, keeps only that group's active members: its
// organisers may then ask about any event, since they reach only their own
// members. Without it: the event's hosts, its group's organisers, admins.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) AttendeeIDs(ctx context.Context, eventID, withinGroup string) ([]string, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, err
	}
	query := `SELECT DISTINCT r.person_id FROM event_rsvps r WHERE r.event_id = ? AND r.status = 'accepted'`
	args := []any{e.ID}
	if withinGroup != "" {
		if err := s.policy.Can(ctx, auth.PrincipalFrom(ctx), ActManage, auth.Resource{Kind: "event", GroupID: withinGroup}); err != nil {
			return nil, err
		}
		query += ` AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = r.person_id AND gm.status = 'active')`
		args = append(args, withinGroup)
	} else if err := s.mayHost(ctx, e); err != nil {
		return nil, err
	}
	rows, err := s.db.Q().Query(ctx, query+` ORDER BY r.person_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("attendees of %s: %w", eventID, err)
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

// ComingUp lists scheduled public and members' events that have not
// started, soonest first, at most limit (1 to 1,000): what a broadcast
// may name as someone's next event. Any signed-in person or the system.
//
// Errors: errs.Unauthorized.
func (s *Service) ComingUp(ctx context.Context, limit int) ([]Event, error) {
	if auth.PrincipalFrom(ctx) == nil {
		return nil, s.policy.Can(ctx, nil, ActRSVP, auth.Resource{Kind: "event"})
	}
	limit = min(max(limit, 1), 1000)
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e
		WHERE e.status = 'scheduled' AND e.starts_at > ? AND e.visibility IN ('public', 'members')
		ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(limit), s.clock())
	if err != nil {
		return nil, fmt.Errorf("events coming up: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}
