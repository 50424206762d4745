package decisions

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// ElectorateIDs returns the people who may vote on a decision, in id
// order, for a broadcast to them (issue 12; messaging reaches it through
// an adapter in app/build): the snapshot once voting has opened, else the
// people its electorate rule admits today.
//
// withinGroup, when set, keeps only that group's active members: its
// organisers may then ask about any decision, since they reach only their
// own members. Without it: those who manage the decision, and admins.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) ElectorateIDs(ctx context.Context, id, withinGroup string) ([]string, error) {
	d, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if withinGroup != "" {
		if err := s.policy.Can(ctx, auth.PrincipalFrom(ctx), ActManage, auth.Resource{Kind: "decision", GroupID: withinGroup}); err != nil {
			return nil, err
		}
	} else if err := s.canManage(ctx, d); err != nil {
		return nil, err
	}
	var query string
	var args []any
	if !d.OpenedAt.IsZero() {
		query, args = `SELECT p.id FROM decision_electorate e JOIN people p ON p.id = e.person_id WHERE e.decision_id = ?`, []any{d.ID}
	} else {
		// The rule as snapshotElectorate applies it.
		query = `SELECT p.id FROM people p`
		where := []string{"p.erased_at IS NULL"}
		if d.Electorate.Scope == ScopeGroup {
			query += ` JOIN group_members m ON m.person_id = p.id AND m.group_id = ? AND m.status = 'active'`
			args = append(args, d.GroupID)
		}
		if d.Electorate.MembersOnly {
			where = append(where, "p.membership_status = 'member'")
		}
		if !d.Electorate.MemberSince.IsZero() {
			where = append(where, "p.member_since IS NOT NULL AND p.member_since <= ?")
			args = append(args, d.Electorate.MemberSince)
		}
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	if withinGroup != "" {
		query += ` AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = p.id AND gm.status = 'active')`
		args = append(args, withinGroup)
	}
	rows, err := s.db.Q().Query(ctx, query+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("electorate of %s: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var pid string
		if err := rows.Scan(&pid); err != nil {
			return nil, err
		}
		out = append(out, pid)
	}
	return out, rows.Err()
}
