package events

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/errs"
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

// errArchived is what every change to an archived group's events gets
// (issue 13): they are kept as a record, read-only.
func errArchived() error {
	return errs.E(errs.Conflict, "This group is archived: its events are kept as a record, read-only.")
}

// writable refuses a change to an event of an archived group.
func writable(e *Event) error {
	if e.GroupArchived {
		return errArchived()
	}
	return nil
}

// groupWritable refuses a new event in an archived group ("" is the
// network). An unknown group is left to the insert's foreign key.
func (s *Service) groupWritable(ctx context.Context, groupID string) error {
	if groupID == "" {
		return nil
	}
	var n int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM groups WHERE id = ? AND status = 'archived'`, groupID).Scan(&n); err != nil {
		return fmt.Errorf("group of event: %w", err)
	}
	if n > 0 {
		return errArchived()
	}
	return nil
}
