package groups

import (
	"context"
	"net/mail"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// RequestDecision approves or turns down a request to join. A refused
// request is removed, so the person may ask again later.
// Errors: errs.Forbidden (organisers and admins), errs.NotFound (no such
// request), errs.Conflict (archived).
func (s *Service) RequestDecision(ctx context.Context, groupID, personID string, approve bool) error {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		g, m, err := s.loadForWrite(ctx, tx, groupID, personID)
		if err != nil {
			return err
		}
		if m == nil || m.Status != MemberRequested {
			return errs.E(errs.NotFound, "There is no request from this person to join.")
		}
		if approve {
			m.Status, m.JoinedAt, m.UpdatedAt = MemberActive, s.clock(), s.clock()
			return s.saveMembership(ctx, tx, g, m, "request_approved")
		}
		if err := deleteMember(ctx, tx, groupID, personID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "group.request_rejected", "group", g.ID, map[string]any{"person_id": personID})
	})
}

// Invite invites a person to the group; they join when they accept. Inviting
// someone who asked to join approves their request.
// Errors: errs.Forbidden, errs.NotFound (group or person), errs.Conflict
// (archived, or already a member).
func (s *Service) Invite(ctx context.Context, groupID, personID string) error {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error { return s.invite(ctx, tx, groupID, personID) })
}

func (s *Service) invite(ctx context.Context, tx *db.Tx, groupID, personID string) error {
	ok, err := personExists(ctx, tx, personID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "We could not find that person.")
	}
	g, m, err := s.loadForWrite(ctx, tx, groupID, personID)
	if err != nil {
		return err
	}
	now := s.clock()
	next := &memberRow{GroupID: groupID, PersonID: personID, Role: RoleMember, Status: MemberInvited, JoinedAt: now, UpdatedAt: now}
	if m != nil {
		switch m.Status {
		case MemberActive:
			return errs.E(errs.Conflict, "They are already a member of this group.")
		case MemberInvited:
			return nil
		case MemberRequested:
			next.Status = MemberActive
		}
		next.ShowName = m.ShowName
	}
	return s.saveMembership(ctx, tx, g, next, "request_approved")
}

// InviteByEmail invites the person with this address (any of theirs).
// Errors: as Invite, and errs.Invalid on "email" when nobody in the network
// has the address.
func (s *Service) InviteByEmail(ctx context.Context, groupID, email string) error {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return errs.Fields(map[string]string{"email": "Enter an email address like name@example.org."})
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		personID, err := personByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if personID == "" {
			return errs.Fields(map[string]string{"email": "Nobody in the network has that email address."})
		}
		return s.invite(ctx, tx, groupID, personID)
	})
}

// SetRole changes an active member's role. The group's only organiser
// cannot step down while other members remain: make someone else an
// organiser first.
// Errors: errs.Forbidden, errs.Invalid ("role"), errs.NotFound (not a
// member), errs.Conflict (archived, or the last organiser).
func (s *Service) SetRole(ctx context.Context, groupID, personID, role string) error {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return err
	}
	if !validRole(role) {
		return errs.Fields(map[string]string{"role": "Choose organiser, moderator or member."})
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		g, m, err := s.loadForWrite(ctx, tx, groupID, personID)
		if err != nil {
			return err
		}
		if m == nil || m.Status != MemberActive {
			return errs.E(errs.NotFound, "This person is not a member of this group.")
		}
		if m.Role == role {
			return nil
		}
		if m.Role == RoleOrganiser {
			if err := lastOrganiserCheck(ctx, tx, groupID, "This is the group's only organiser: make another member an organiser first."); err != nil {
				return err
			}
		}
		previous := m.Role
		m.Role, m.UpdatedAt = role, s.clock()
		if err := putMember(ctx, tx, m); err != nil {
			return err
		}
		if err := addLog(ctx, tx, groupID, "role", personID, role, m.UpdatedAt); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, "group.role_changed", "group", groupID,
			map[string]any{"person_id": personID, "role": role, "previous": previous}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, people.Action{PersonID: personID, Kind: "group.role_changed",
			Summary: "Became " + role + " of " + g.Name, RefType: "group", RefID: groupID, GroupID: groupID, At: m.UpdatedAt}); err != nil {
			return err
		}
		return s.refreshLadders(ctx, tx, personID)
	})
}
