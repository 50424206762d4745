package mail

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// ForgetRecipient deletes every stored message to an address, inside the
// caller's transaction, for a person's erasure request. Messages are kept
// only to send them and to show admins the outbox; once a person asks to be
// forgotten, the copies of what we sent them go too.
func (s *Service) ForgetRecipient(ctx context.Context, tx *db.Tx, address string) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM mail_messages WHERE lower(to_addr) = ?`, strings.ToLower(strings.TrimSpace(address)))
	if err != nil {
		return 0, fmt.Errorf("forget recipient: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
