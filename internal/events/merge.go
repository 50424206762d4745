package events

import (
	"context"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// MovePerson gives a merged person record's place in events to the kept
// record (people.PersonMover, called inside people's Merge): who said they
// are coming and who hosts; reminders already sent stay sent; the cancel
// links in those reminders keep working; and so does a personal calendar
// feed, when the kept record has none of its own. Where both records have
// a row, the kept one's stays.
func (s *Service) MovePerson(ctx context.Context, tx *db.Tx, keepID, mergeID string) (map[string]int64, error) {
	return people.MoveRows(ctx, tx, keepID, mergeID, []people.MoveStep{
		{Table: "event_rsvps", Query: `INSERT INTO event_rsvps (event_id, shift_id, person_id, status, waitlisted_at, attended_at, source, created_at, updated_at)
			SELECT event_id, shift_id, ?, status, waitlisted_at, attended_at, source, created_at, updated_at FROM event_rsvps
			WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "event_hosts", Query: `INSERT INTO event_hosts (event_id, person_id) SELECT event_id, ? FROM event_hosts
			WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "event_reminders", Query: `INSERT INTO event_reminders (event_id, person_id, kind, sent_at) SELECT event_id, ?, kind, sent_at
			FROM event_reminders WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "event_cancel_links", Query: `UPDATE event_cancel_links SET person_id = ? WHERE person_id = ?`},
		{Table: "event_feed_tokens", Query: `UPDATE event_feed_tokens SET person_id = ? WHERE person_id = ?
			AND NOT EXISTS (SELECT 1 FROM event_feed_tokens k WHERE k.person_id = ?)`},
	})
}

var _ people.PersonMover = (*Service)(nil)
