package people

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// NetworkFigures is the network's size counted from people, not accounts
// (issue 16): most people have no account.
type NetworkFigures struct {
	Members, Supporters, Lapsed int
	// In the last 30 days: people added, people who became members, and
	// members who lapsed. Growth is members gained less members lost.
	NewPeople, NewMembers, NewlyLapsed int
}

// Growth is the change in members over the last 30 days.
func (f *NetworkFigures) Growth() int { return f.NewMembers - f.NewlyLapsed }

// Figures counts the network's people by membership status, erased people
// left out, and what changed in the last 30 days: one query, for admins.
//
// Errors: errs.Forbidden (not an admin).
func (s *Service) Figures(ctx context.Context) (*NetworkFigures, error) {
	if !isAdmin(ctx) {
		return nil, errs.E(errs.Forbidden, "Only admins see the network's figures.")
	}
	since := s.now().Add(-30 * 24 * time.Hour)
	var f NetworkFigures
	err := s.db.Q().QueryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN membership_status = 'member' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN membership_status = 'supporter' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN membership_status = 'lapsed' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN membership_status = 'member' AND member_since >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN membership_status = 'lapsed' AND lapsed_at >= ? THEN 1 ELSE 0 END), 0)
		FROM people WHERE erased_at IS NULL`, since, since, since).
		Scan(&f.Members, &f.Supporters, &f.Lapsed, &f.NewPeople, &f.NewMembers, &f.NewlyLapsed)
	if err != nil {
		return nil, fmt.Errorf("network figures: %w", err)
	}
	return &f, nil
}
