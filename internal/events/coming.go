package events

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// Coming is an upcoming event the signed-in person runs, with its RSVP
// figures (issue 16: the dashboard's "Coming up").
type Coming struct {
	ID, Title, GroupID string
	Start              time.Time // in the event's time zone
	Going, Maybe       int       // people who said yes, or maybe
	Waitlisted         int
	Capacity           int // 0: no limit
}

// Running returns the upcoming events of the groups the signed-in person
// organises, and for admins those they created, the soonest first, at most limit (1 to
// 20), and how many there are in all: one query, the person resolved inside
// it. Nobody signed in lists none. An organiser sees only their own groups'
// events.
func (s *Service) Running(ctx context.Context, limit int) ([]Coming, int, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, 0, nil
	}
	limit = min(max(limit, 1), 20)
	// Admins also run the network's events; for everyone else the groups
	// alone, so that the lookup stays on the events_group index.
	mine, args := "", []any{s.clock(), p.UserID}
	if p.Role == auth.RoleAdmin {
		mine, args = " OR e.created_by = ?", append(args, p.UserID)
	}
	// The RSVPs are counted for the page of events only, after the limit.
	rows, err := s.db.Q().Query(ctx, `WITH mine AS (SELECT e.id, e.title, COALESCE(e.group_id, '') AS group_id,
			e.starts_at, e.time_zone, COALESCE(e.capacity, 0) AS capacity, COUNT(*) OVER () AS total
		FROM events e
		WHERE e.status = 'scheduled' AND e.ends_at > ?
			AND (e.group_id IN (SELECT m.group_id FROM people p JOIN group_members m ON m.person_id = p.id
				WHERE p.user_id = ? AND m.status = 'active' AND m.role = 'organiser')`+mine+`)
		ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(limit)+`)
		SELECT k.id, k.title, k.group_id, k.starts_at, k.time_zone, k.capacity,
			COUNT(DISTINCT CASE WHEN r.status = 'accepted' THEN r.person_id END),
			COUNT(DISTINCT CASE WHEN r.status = 'tentative' THEN r.person_id END),
			COUNT(DISTINCT CASE WHEN r.status = 'waitlisted' THEN r.person_id END),
			k.total
		FROM mine k LEFT JOIN event_rsvps r ON r.event_id = k.id
		GROUP BY k.id, k.title, k.group_id, k.starts_at, k.time_zone, k.capacity, k.total
		ORDER BY k.starts_at, k.id`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("events coming up: %w", err)
	}
	defer rows.Close()
	var out []Coming
	total := 0
	for rows.Next() {
		var c Coming
		var zone string
		if err := rows.Scan(&c.ID, &c.Title, &c.GroupID, &c.Start, &zone, &c.Capacity, &c.Going, &c.Maybe, &c.Waitlisted, &total); err != nil {
			return nil, 0, fmt.Errorf("events coming up: %w", err)
		}
		if loc, err := time.LoadLocation(zone); err == nil {
			c.Start = c.Start.In(loc)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
