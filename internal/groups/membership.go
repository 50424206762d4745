package groups

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Member is one person in a group's member list.
type Member struct {
	PersonID string
	// Name is the person's name; "" once their record has been erased.
	Name     string
	Role     string
	Status   string
	ShowName bool
	JoinedAt time.Time
}

// Membership is one of the signed-in person's groups.
type Membership struct {
	Group    Group
	Role     string
	Status   string // active, requested or invited
	ShowName bool
	JoinedAt time.Time
}

// Join makes the signed-in person a member of an open group, asks to join a
// group that takes requests, or accepts an invitation. It returns the
// membership's status: "active" or "requested". Joining twice is harmless.
//
// Errors: errs.Unauthorized, errs.NotFound, errs.Conflict (archived),
// errs.Forbidden (by invitation only, and no invitation).
func (s *Service) Join(ctx context.Context, groupID string) (string, error) {
	if err := s.can(ctx, ActJoin, groupID); err != nil {
		return "", err
	}
	p := auth.PrincipalFrom(ctx)
	if p.UserID == "" {
		return "", errs.E(errs.Forbidden, "Only a person can join a group, not an API token.")
	}
	// Outside the transaction: the people service may write with its own.
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if err != nil {
		return "", fmt.Errorf("join %s: person of user: %w", groupID, err)
	}
	var status string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		g, m, err := s.loadForWrite(ctx, tx, groupID, personID)
		if err != nil {
			return err
		}
		if m != nil && (m.Status == MemberActive || m.Status == MemberRequested) {
			status = m.Status
			return nil
		}
		now := s.clock()
		next := &memberRow{GroupID: g.ID, PersonID: personID, Role: RoleMember, JoinedAt: now, UpdatedAt: now}
		switch {
		case m != nil && m.Status == MemberInvited, g.JoinPolicy == JoinOpen:
			next.Status = MemberActive
		case g.JoinPolicy == JoinRequest:
			next.Status = MemberRequested
		default:
			return errs.E(errs.Forbidden, "This group is by invitation only: ask one of its organisers to invite you.")
		}
		if m != nil {
			next.ShowName = m.ShowName
		}
		status = next.Status
		return s.saveMembership(ctx, tx, g, next, "")
	})
	return status, err
}

// loadForWrite reads a group that is about to change, refusing archived
// ones, and the person's membership (nil when there is none).
func (s *Service) loadForWrite(ctx context.Context, tx *db.Tx, groupID, personID string) (*Group, *memberRow, error) {
	g, err := getGroup(ctx, tx, "id", groupID)
	if err != nil {
		return nil, nil, notFound(err)
	}
	if g.Archived() {
		return nil, nil, errArchived()
	}
	m, err := getMember(ctx, tx, groupID, personID)
	return g, m, err
}

// saveMembership writes a membership change with its log entry, audit
// record and, for a new active member, the person's timeline entry. How is
// a word for the audit action when the change is not a plain join.
func (s *Service) saveMembership(ctx context.Context, tx *db.Tx, g *Group, m *memberRow, how string) error {
	if err := putMember(ctx, tx, m); err != nil {
		return err
	}
	action, kind := "group.joined", "joined"
	switch {
	case m.Status == MemberRequested:
		action, kind = "group.join_requested", "requested"
	case m.Status == MemberInvited:
		action, kind = "group.invited", "invited"
	case how != "":
		action = "group." + how
	}
	if err := addLog(ctx, tx, g.ID, kind, m.PersonID, "", m.UpdatedAt); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, action, "group", g.ID, map[string]any{"person_id": m.PersonID}); err != nil {
		return err
	}
	if m.Status != MemberActive {
		return nil
	}
	return s.record(ctx, tx, people.Action{PersonID: m.PersonID, Kind: "group.joined", Summary: "Joined " + g.Name,
		// Joining is not yet taking part: the ladder's "active" rung is for
		// people who come to things, vote, speak (events and decisions).
		RefType: "group", RefID: g.ID, GroupID: g.ID, At: m.UpdatedAt})
}

// AcceptInvite accepts the signed-in person's invitation to a group.
// Errors: errs.Unauthorized, errs.NotFound (no invitation), errs.Conflict
// (archived).
func (s *Service) AcceptInvite(ctx context.Context, groupID string) error {
	return s.selfChange(ctx, groupID, func(tx *db.Tx, g *Group, m *memberRow) error {
		if m == nil || m.Status != MemberInvited {
			return errs.E(errs.NotFound, "You have no invitation to this group.")
		}
		if g.Archived() {
			return errArchived()
		}
		m.Status, m.JoinedAt, m.UpdatedAt = MemberActive, s.clock(), s.clock()
		return s.saveMembership(ctx, tx, g, m, "invite_accepted")
	})
}

// Leave ends the signed-in person's membership, withdraws their request or
// declines their invitation. It works on archived groups too: leaving is a
// person's right. The only organiser of a group that has other members
// cannot leave until they make someone else an organiser.
//
// Errors: errs.Unauthorized, errs.NotFound, errs.Conflict (only organiser).
func (s *Service) Leave(ctx context.Context, groupID string) error {
	return s.selfChange(ctx, groupID, func(tx *db.Tx, g *Group, m *memberRow) error {
		if m == nil || m.Status == MemberLeft {
			return errs.E(errs.NotFound, "You are not in this group.")
		}
		if m.Status == MemberActive && m.Role == RoleOrganiser && !g.Archived() {
			if err := lastOrganiserCheck(ctx, tx, g.ID, "You are this group's only organiser: make another member an organiser before you leave."); err != nil {
				return err
			}
		}
		m.Status, m.Role, m.UpdatedAt = MemberLeft, RoleMember, s.clock()
		if err := putMember(ctx, tx, m); err != nil {
			return err
		}
		if err := addLog(ctx, tx, g.ID, "left", m.PersonID, "", m.UpdatedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "group.left", "group", g.ID, map[string]any{"person_id": m.PersonID})
	})
}

// SetShowName sets whether the signed-in member's name is listed to the
// group's other members. Allowed on archived groups (a privacy choice).
// Errors: errs.Unauthorized, errs.NotFound (not a member).
func (s *Service) SetShowName(ctx context.Context, groupID string, show bool) error {
	return s.selfChange(ctx, groupID, func(tx *db.Tx, g *Group, m *memberRow) error {
		if m == nil || m.Status == MemberLeft {
			return errs.E(errs.NotFound, "You are not in this group.")
		}
		m.ShowName, m.UpdatedAt = show, s.clock()
		if err := putMember(ctx, tx, m); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "group.show_name_changed", "group", g.ID, map[string]any{"person_id": m.PersonID, "show": show})
	})
}

// selfChange runs fn on the signed-in person's membership (nil if none) in
// a transaction, after the policy check.
func (s *Service) selfChange(ctx context.Context, groupID string, fn func(tx *db.Tx, g *Group, m *memberRow) error) error {
	if err := s.can(ctx, ActJoin, groupID); err != nil {
		return err
	}
	userID := auth.PrincipalFrom(ctx).UserID
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		g, err := getGroup(ctx, tx, "id", groupID)
		if err != nil {
			return notFound(err)
		}
		personID, err := personOfUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		var m *memberRow
		if personID != "" {
			if m, err = getMember(ctx, tx, groupID, personID); err != nil {
				return err
			}
		}
		return fn(tx, g, m)
	})
}

// lastOrganiserCheck refuses, with msg, to take away the last organiser of
// a group that has other active members. A group's only member may step
// down: there is nobody left to organise.
func lastOrganiserCheck(ctx context.Context, q db.Querier, groupID, msg string) error {
	organisers, members, err := activeOrganisers(ctx, q, groupID)
	if err != nil {
		return err
	}
	if organisers <= 1 && members > 1 {
		return errs.E(errs.Conflict, "%s", msg)
	}
	return nil
}

// myMembership is the signed-in user's membership of a group, or nil.
func (s *Service) myMembership(ctx context.Context, groupID string) (*memberRow, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	return membershipOfUser(ctx, s.db.Q(), p.UserID, groupID)
}
