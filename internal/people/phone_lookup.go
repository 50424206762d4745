package people

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// PersonIDsByPhone returns the people with the number (E.164, as stored in
// person_phones: any of a person's numbers, not only the primary one),
// ordered by id, at most 100: a household may share a number. Erased
// people have no numbers left. It checks no permission: the SMS inbox
// calls it, in its transaction, for a STOP or START the number itself
// sent.
func (s *Service) PersonIDsByPhone(ctx context.Context, tx *db.Tx, e164 string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT person_id FROM person_phones WHERE number = ? ORDER BY person_id LIMIT 100`, e164)
	if err != nil {
		return nil, fmt.Errorf("people by phone: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
