package groups

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// Organised is one group the signed-in person organises, with what needs
// them there (issue 16: the dashboard's "what needs me now?").
type Organised struct {
	ID, Slug, Name string
	Status         string // active or dormant
	LastActivityAt time.Time
	Members        int // active members
	Requests       int // people asking to join
	NewThisWeek    int // active members who joined in the last 7 days
	// Quiet is true when the group is dormant, or will be within a month
	// at the default dormancy threshold if nothing happens in it.
	Quiet bool
}

// Organising returns the groups the signed-in person is an active organiser
// of (archived ones left out), by name, at most 200, with their member,
// request and new-member counts: one query, the person resolved inside it.
// Nobody signed in, or no person record, lists none. An organiser sees
// only their own groups' figures.
func (s *Service) Organising(ctx context.Context) ([]Organised, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	now := s.clock()
	since := now.Add(-7 * 24 * time.Hour)
	rows, err := s.db.Q().Query(ctx, `SELECT g.id, g.slug, g.name, g.status, g.last_activity_at,
			(SELECT COUNT(*) FROM group_members a WHERE a.group_id = g.id AND a.status = 'active'),
			(SELECT COUNT(*) FROM group_members r WHERE r.group_id = g.id AND r.status = 'requested'),
			(SELECT COUNT(*) FROM group_members n WHERE n.group_id = g.id AND n.status = 'active' AND n.joined_at >= ?)
		FROM people p JOIN group_members m ON m.person_id = p.id JOIN groups g ON g.id = m.group_id
		WHERE p.user_id = ? AND m.status = 'active' AND m.role = 'organiser' AND g.status <> 'archived'
		ORDER BY g.name, g.id LIMIT `+fmt.Sprint(maxMyGroups), since, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("groups organised: %w", err)
	}
	defer rows.Close()
	var out []Organised
	for rows.Next() {
		var o Organised
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Status, &o.LastActivityAt, &o.Members, &o.Requests, &o.NewThisWeek); err != nil {
			return nil, fmt.Errorf("groups organised: %w", err)
		}
		o.LastActivityAt = o.LastActivityAt.UTC()
		o.Quiet = o.Status == StatusDormant || now.Sub(o.LastActivityAt) > DefaultDormantAfter-30*24*time.Hour
		out = append(out, o)
	}
	return out, rows.Err()
}

// MyGroup is one of the signed-in person's groups, invitations or requests,
// in brief: what the dashboard needs of it.
type MyGroup struct {
	ID, Slug, Name string
	Role, Status   string // the membership's
	Archived       bool   // the group's
}

// MyGroupsBrief is MyGroups in one query (the person resolved inside it),
// with only the groups' ids, slugs and names: the dashboard resolves the
// viewer's groups with it on every view. Errors: errs.Unauthorized.
func (s *Service) MyGroupsBrief(ctx context.Context) ([]MyGroup, error) {
	if err := s.can(ctx, ActJoin, ""); err != nil {
		return nil, err
	}
	rows, err := s.db.Q().Query(ctx, `SELECT g.id, g.slug, g.name, m.role, m.status, g.status = 'archived'
		FROM people p JOIN group_members m ON m.person_id = p.id JOIN groups g ON g.id = m.group_id
		WHERE p.user_id = ? AND m.status <> 'left' ORDER BY g.name, g.id LIMIT `+fmt.Sprint(maxMyGroups),
		auth.PrincipalFrom(ctx).UserID)
	if err != nil {
		return nil, fmt.Errorf("my groups: %w", err)
	}
	defer rows.Close()
	var out []MyGroup
	for rows.Next() {
		var g MyGroup
		if err := rows.Scan(&g.ID, &g.Slug, &g.Name, &g.Role, &g.Status, &g.Archived); err != nil {
			return nil, fmt.Errorf("my groups: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
