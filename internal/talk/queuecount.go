package talk

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// QueueCount is how many flagged comments wait in the viewer's moderation
// queue (issue 16: the dashboard's count): every one for admins, their
// groups' for organisers and moderators, none for anyone else. One query,
// the person resolved inside it.
func (s *Service) QueueCount(ctx context.Context) (int, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return 0, nil
	}
	where, args := `t.group_id IN (SELECT m.group_id FROM group_members m JOIN people p ON p.id = m.person_id
		WHERE p.user_id = ? AND m.status = 'active' AND m.role IN ('organiser', 'moderator'))`, []any{p.UserID}
	if s.can(ctx, ActModerate, "") == nil {
		where, args = `1 = 1`, nil
	}
	var n int
	if err := s.d.DB.QueryRow(ctx, `SELECT COUNT(DISTINCT c.id)
		FROM talk_flags fl JOIN talk_comments c ON c.id = fl.comment_id JOIN talk_threads t ON t.id = c.thread_id
		WHERE fl.resolved_at IS NULL AND `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("moderation queue count: %w", err)
	}
	return n, nil
}
