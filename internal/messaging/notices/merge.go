package notices

import (
	"context"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// MovePerson moves a merged person's choices and waiting notices to the
// person kept, inside the merge's transaction: where both chose a mode for
// a kind, the kept person's choice stands.
func (s *Service) MovePerson(ctx context.Context, tx *db.Tx, keepID, mergeID string) (map[string]int64, error) {
	return people.MoveRows(ctx, tx, keepID, mergeID, []people.MoveStep{
		{Table: "notification_prefs", Query: `INSERT INTO notification_prefs (person_id, kind, mode, updated_at)
			SELECT ?, kind, mode, updated_at FROM notification_prefs WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "notification_digest", Query: `UPDATE notification_digest SET person_id = ? WHERE person_id = ?`},
	})
}

var _ people.PersonMover = (*Service)(nil)
