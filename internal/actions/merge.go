package actions

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// MovePerson gives a merged person record's responses to the kept record
// (people.PersonMover, called inside people's Merge, before the merged
// record is deleted). Where both records responded to the same action,
// the kept record's response stands, the merged one's is dropped, and
// the action's count is recounted, so one person counts once.
func (s *Service) MovePerson(ctx context.Context, tx *db.Tx, keepID, mergeID string) (map[string]int64, error) {
	counts, err := people.MoveRows(ctx, tx, keepID, mergeID, []people.MoveStep{
		{Table: "action_responses", Query: `UPDATE action_responses SET person_id = ? WHERE person_id = ?
			AND action_id NOT IN (SELECT k.action_id FROM action_responses k WHERE k.person_id = ?)`},
	})
	if err != nil {
		return nil, err
	}
	// What is left of the merged record are responses to actions the kept
	// one answered too.
	if _, err := tx.Exec(ctx, `UPDATE actions SET confirmed_count = confirmed_count - 1 WHERE id IN
		(SELECT action_id FROM action_responses WHERE person_id = ? AND confirmed_at IS NOT NULL)`, mergeID); err != nil {
		return nil, fmt.Errorf("move action responses: recount: %w", err)
	}
	res, err := tx.Exec(ctx, `DELETE FROM action_responses WHERE person_id = ?`, mergeID)
	if err != nil {
		return nil, fmt.Errorf("move action responses: drop duplicates: %w", err)
	}
	counts["action_responses_dropped"], _ = res.RowsAffected()
	return counts, nil
}

var _ people.PersonMover = (*Service)(nil)
