package decisions

import (
	"context"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// MovePerson gives a merged person record's place in decisions to the kept
// record (people.PersonMover, called inside people's Merge). Above all who
// has voted: otherwise the kept record could vote again in a ballot the
// merged one voted in. Then who may vote, who is standing and seconding, a
// candidate's option and a named vote. Where both records have a row, the
// kept one's stays.
func (s *Service) MovePerson(ctx context.Context, tx *db.Tx, keepID, mergeID string) (map[string]int64, error) {
	return people.MoveRows(ctx, tx, keepID, mergeID, []people.MoveStep{
		{Table: "decision_voters", Query: `INSERT INTO decision_voters (decision_id, person_id, change_key)
			SELECT decision_id, ?, change_key FROM decision_voters WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "decision_electorate", Query: `INSERT INTO decision_electorate (decision_id, person_id) SELECT decision_id, ? FROM decision_electorate
			WHERE person_id = ? ON CONFLICT DO NOTHING`},
		{Table: "decision_nominations", Query: `UPDATE decision_nominations SET person_id = ? WHERE person_id = ? AND decision_id NOT IN
			(SELECT decision_id FROM decision_nominations WHERE person_id = ?)`},
		{Table: "decision_seconds", Query: `INSERT INTO decision_seconds (nomination_id, person_id) SELECT nomination_id, ? FROM decision_seconds
			WHERE person_id = ? ON CONFLICT DO NOTHING`},
		// Both would lose the person (ON DELETE SET NULL).
		{Table: "decision_options", Query: `UPDATE decision_options SET person_id = ? WHERE person_id = ?`},
		{Table: "decision_ballots", Query: `UPDATE decision_ballots SET person_id = ? WHERE person_id = ?`},
	})
}

var _ people.PersonMover = (*Service)(nil)
