package events

import (
	"context"
	"fmt"
)

// issue 13: public events for the open-data export and the group feeds.

// PublicFilter pages through public events.
type PublicFilter struct {
	GroupID string // "" every group and the network
	// Recent orders by last change, newest first (feeds); otherwise by
	// start, then id (the export).
	Recent bool
	Offset int
	Limit  int // default 100, at most 500
}

// PublicEvents returns a page of public events (visibility "public" only,
// whoever asks: feeds and open data are read without a session), every
// status and date.
func (s *Service) PublicEvents(ctx context.Context, f PublicFilter) ([]Event, error) {
	limit := min(max(f.Limit, 0), 500)
	if limit == 0 {
		limit = 100
	}
	where, args := `e.visibility = 'public'`, []any{}
	if f.GroupID != "" {
		where, args = where+` AND e.group_id = ?`, append(args, f.GroupID)
	}
	order := `e.starts_at, e.id`
	if f.Recent {
		order = `e.updated_at DESC, e.id DESC`
	}
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e WHERE `+where+
		` ORDER BY `+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, fmt.Errorf("public events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("public events: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}
