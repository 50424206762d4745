package auth

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// ErasedLabel replaces an erased person's email wherever the platform kept
// it as a label (the audit log's actor, for one).
const ErasedLabel = "erased person"

// EraseAccount anonymises an account inside the caller's transaction, for a
// person's erasure request: the email and name are replaced, the password
// and second factor removed, sessions, links and remembered browsers deleted, and the account
// disabled; audit entries keep their actor id (so counts stay right) but
// lose the email label. The caller has checked permission (the people
// service, which owns erasure) and audits the erasure itself.
func (s *Service) EraseAccount(ctx context.Context, tx *db.Tx, userID string) error {
	now := s.now()
	res, err := tx.Exec(ctx, `UPDATE users SET email = ?, name = '', password_hash = NULL, totp_secret = NULL,
		totp_enabled_at = NULL, email_verified_at = NULL, disabled_at = COALESCE(disabled_at, ?), updated_at = ?
		WHERE id = ?`, "erased-"+userID+"@erased.invalid", now, now, userID)
	if err != nil {
		return fmt.Errorf("erase account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // no account: nothing to erase
	}
	for _, q := range []string{
		`DELETE FROM sessions WHERE user_id = ?`,
		`DELETE FROM one_time_tokens WHERE user_id = ?`,
		`DELETE FROM login_sources WHERE user_id = ?`,
		`UPDATE audit_log SET actor_label = '` + ErasedLabel + `' WHERE actor_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("erase account: %w", err)
		}
	}
	return nil
}
