package events

import (
	"context"
	"fmt"
	"time"
)

// Figures is how well events turned people out: answers against
// attendance, by group, by kind and by month, and the new people events
// brought in.
type Figures struct {
	ByGroup []FigureRow // Key is the group id ("" for network events), Label its name
	ByKind  []FigureRow // Key is the kind
	ByMonth []FigureRow // Key is "2026-03"
	Total   FigureRow
}

// FigureRow is one line of the figures.
type FigureRow struct {
	Key, Label string
	Events     int
	// Accepted is the people who said yes (or got a place from the
	// waitlist); Attended those checked in, walk-ins included.
	Accepted, Attended int
	// New is the people who first came to the network through these
	// events (they signed up by answering one, or walked in).
	New int
}

// NewPerEvent is the new people an event brought in, on average, to one
// decimal place ("0.4").
func (r FigureRow) NewPerEvent() string {
	if r.Events == 0 {
		return "0"
	}
	tenths := (r.New*10 + r.Events/2) / r.Events
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}

// Turnout is attendance as a share of yeses, in percent (0 with no yeses).
func (r FigureRow) Turnout() int {
	if r.Accepted == 0 {
		return 0
	}
	return r.Attended * 100 / r.Accepted
}

// FiguresFilter says which events count: those of one group (its
// organisers may ask) or of the whole network (admins), starting in
// [From, To).
type FiguresFilter struct {
	GroupID  string
	From, To time.Time
}

// Figures adds up the events that have ended in the period.
//
// Errors: errs.Forbidden, errs.Unauthorized.
func (s *Service) Figures(ctx context.Context, f FiguresFilter) (*Figures, error) {
	if err := s.can(ctx, ActAttendees, &Event{GroupID: f.GroupID}); err != nil {
		return nil, err
	}
	if f.To.IsZero() {
		f.To = s.clock()
	}
	where := `e.status = 'scheduled' AND e.starts_at >= ? AND e.starts_at < ? AND e.ends_at <= ?`
	args := []any{f.From.UTC(), f.To.UTC(), s.clock()}
	if f.GroupID != "" {
		where += ` AND e.group_id = ?`
		args = append(args, f.GroupID)
	}
	// issue 16: one pass over each table, grouped and joined, where the
	// count subqueries scanned every person once per event (1.6 s at the
	// demo's size; docs/PERFORMANCE.md). Answers to shifts are not answers
	// to the event and are left out.
	rows, err := s.db.Q().Query(ctx, `SELECT e.id, COALESCE(e.group_id, ''), COALESCE(g.name, ''), e.kind, e.starts_at,
		COALESCE(r.accepted, 0), COALESCE(r.attended, 0), COALESCE(n.people, 0)
		FROM events e LEFT JOIN groups g ON g.id = e.group_id
		LEFT JOIN (SELECT event_id, SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
			SUM(CASE WHEN attended_at IS NOT NULL THEN 1 ELSE 0 END) AS attended
			FROM event_rsvps WHERE shift_id = '' GROUP BY event_id) r ON r.event_id = e.id
		LEFT JOIN (SELECT source_detail, COUNT(*) AS people FROM people WHERE source = 'event'
			GROUP BY source_detail) n ON n.source_detail = e.id
		WHERE `+where+` ORDER BY e.starts_at, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("event figures: %w", err)
	}
	defer rows.Close()
	out := &Figures{Total: FigureRow{Key: "total", Label: "All events"}}
	groups, kinds, months := map[string]int{}, map[string]int{}, map[string]int{}
	add := func(rows *[]FigureRow, index map[string]int, key, label string, r FigureRow) {
		i, ok := index[key]
		if !ok {
			i = len(*rows)
			index[key] = i
			*rows = append(*rows, FigureRow{Key: key, Label: label})
		}
		row := &(*rows)[i]
		row.Events++
		row.Accepted += r.Accepted
		row.Attended += r.Attended
		row.New += r.New
	}
	for rows.Next() {
		var id, groupID, groupName, kind string
		var start time.Time
		var r FigureRow
		if err := rows.Scan(&id, &groupID, &groupName, &kind, &start, &r.Accepted, &r.Attended, &r.New); err != nil {
			return nil, err
		}
		if groupID == "" {
			groupName = "Network events"
		}
		add(&out.ByGroup, groups, groupID, groupName, r)
		add(&out.ByKind, kinds, kind, KindLabel(kind), r)
		month := start.UTC().Format("2006-01")
		add(&out.ByMonth, months, month, start.UTC().Format("January 2006"), r)
		out.Total.Events++
		out.Total.Accepted += r.Accepted
		out.Total.Attended += r.Attended
		out.Total.New += r.New
	}
	return out, rows.Err()
}
