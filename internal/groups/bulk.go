package groups

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// AddMember makes a person an active member of a group inside the caller's
// transaction (people.GroupJoiner: an organiser adding someone to their
// group's records). It keeps an existing higher role. The caller has checked
// permission for the group.
func (s *Service) AddMember(ctx context.Context, tx *db.Tx, groupID, personID string) error {
	g, m, err := s.loadForWrite(ctx, tx, groupID, personID)
	if err != nil {
		return err
	}
	if m != nil && m.Status == MemberActive {
		return nil
	}
	now := s.clock()
	return s.saveMembership(ctx, tx, g, &memberRow{GroupID: groupID, PersonID: personID, Role: RoleMember,
		Status: MemberActive, JoinedAt: now, UpdatedAt: now}, "added")
}

// NewMember is one row for ImportMembers.
type NewMember struct {
	GroupID, PersonID, Role string
}

// ImportMembers adds many active memberships at once (demo data, migrating
// from another system): one transaction, one audit record per group, no
// timeline entries. Admins and the system only.
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid for an unknown role.
func (s *Service) ImportMembers(ctx context.Context, ms []NewMember) (int, error) {
	if err := s.can(ctx, ActLifecycle, ""); err != nil {
		return 0, err
	}
	for _, m := range ms {
		switch m.Role {
		case RoleOrganiser, RoleModerator, RoleMember:
		default:
			return 0, errs.E(errs.Invalid, "Unknown group role %q.", m.Role)
		}
	}
	perGroup := map[string]int{}
	now := s.clock()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		stmt, err := tx.SQL().PrepareContext(ctx, tx.Rebind(`INSERT INTO group_members (`+memberCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, status = excluded.status, updated_at = excluded.updated_at`))
		if err != nil {
			return fmt.Errorf("import members: %w", err)
		}
		defer stmt.Close()
		for _, m := range ms {
			if _, err := stmt.ExecContext(ctx, m.GroupID, m.PersonID, m.Role, MemberActive, false, now, now); err != nil {
				return fmt.Errorf("import member %s into %s: %w", m.PersonID, m.GroupID, err)
			}
			perGroup[m.GroupID]++
		}
		var leaders []string
		for _, m := range ms {
			if m.Role == RoleOrganiser {
				leaders = append(leaders, m.PersonID)
			}
		}
		if err := s.refreshLadders(ctx, tx, leaders...); err != nil {
			return err
		}
		for g, n := range perGroup {
			if err := audit.Record(ctx, tx, "group.members_imported", "group", g, map[string]any{"count": n}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ms), nil
}
