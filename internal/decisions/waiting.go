package decisions

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// Waiting is a decision that waits for its organisers: a draft to open, or a
// closed vote whose result is to be published (issue 16).
type Waiting struct {
	ID, Title, GroupID string
	Status             Status // draft or closed
}

// WaitingForMe returns the decisions that wait for the signed-in person as
// an organiser, oldest first, at most limit (1 to 20), and how many there
// are in all: drafts and closed votes of the groups they organise and of
// their own authorship, and, for admins, the network-wide ones. One query,
// the person resolved inside it; an organiser sees only their own groups'.
func (s *Service) WaitingForMe(ctx context.Context, limit int) ([]Waiting, int, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, 0, nil
	}
	limit = min(max(limit, 1), 20)
	network := "0 = 1"
	if p.Role == auth.RoleAdmin {
		network = "d.group_id IS NULL"
	}
	rows, err := s.db.Q().Query(ctx, `SELECT d.id, d.title, COALESCE(d.group_id, ''), d.status, COUNT(*) OVER ()
		FROM decisions d
		WHERE d.status IN ('draft', 'closed')
			AND (d.created_by = ? OR `+network+` OR d.group_id IN (SELECT m.group_id FROM people p JOIN group_members m
				ON m.person_id = p.id WHERE p.user_id = ? AND m.status = 'active' AND m.role = 'organiser'))
		ORDER BY d.created_at, d.id LIMIT `+fmt.Sprint(limit), p.UserID, p.UserID)
	if err != nil {
		return nil, 0, fmt.Errorf("decisions waiting: %w", err)
	}
	defer rows.Close()
	var out []Waiting
	total := 0
	for rows.Next() {
		var w Waiting
		if err := rows.Scan(&w.ID, &w.Title, &w.GroupID, &w.Status, &total); err != nil {
			return nil, 0, fmt.Errorf("decisions waiting: %w", err)
		}
		out = append(out, w)
	}
	return out, total, rows.Err()
}
