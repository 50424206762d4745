package mail

import (
	"context"
	"fmt"
)

// purgeBatch bounds one DELETE, so that purging a large broadcast does not
// hold the table (or SQLite's one writer) for long.
const purgeBatch = 1000

// PurgeOld deletes mail that has left the queue — sent, failed, or kept in
// the development outbox — and was queued longer ago than Config.Retention,
// and returns how many it deleted. With no retention it deletes nothing.
// Queued and sending mail is never purged. The hourly maintenance job calls
// it.
func (s *Service) PurgeOld(ctx context.Context) (int64, error) {
	if s.retention <= 0 {
		return 0, nil
	}
	cutoff := s.now().Add(-s.retention)
	var total int64
	for {
		res, err := s.db.Exec(ctx, fmt.Sprintf(`DELETE FROM mail_messages WHERE id IN (
			SELECT id FROM mail_messages WHERE status IN ('sent', 'failed', 'kept') AND created_at < ? LIMIT %d)`, purgeBatch), cutoff)
		if err != nil {
			return total, fmt.Errorf("purge old mail: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
		if n < purgeBatch || ctx.Err() != nil {
			return total, ctx.Err()
		}
	}
}
