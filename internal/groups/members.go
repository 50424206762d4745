package groups

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Access is how much of a group's membership the viewer may see.
type Access int

// The levels of Access, from least to most.
const (
	// SeeCount: not a member (or not signed in): only how many members.
	SeeCount Access = iota
	// SeeShown: an active member: the names of members who chose to be listed.
	SeeShown
	// SeeAll: the group's organisers and moderators, admins: everyone.
	SeeAll
)

// access decides what the viewer may see of a group's members, through the
// policy (group.members.view), then their own membership.
func (s *Service) access(ctx context.Context, groupID string) (Access, *memberRow, error) {
	mine, err := s.myMembership(ctx, groupID)
	if err != nil {
		return SeeCount, nil, err
	}
	err = s.can(ctx, ActMembersView, groupID)
	switch {
	case err == nil:
		return SeeAll, mine, nil
	case !errs.Is(err, errs.Forbidden) && !errs.Is(err, errs.Unauthorized):
		return SeeCount, mine, err
	case mine != nil && mine.Status == MemberActive:
		return SeeShown, mine, nil
	}
	return SeeCount, mine, nil
}

func pageLimit(limit int) int {
	switch {
	case limit <= 0:
		return 50
	case limit > 200:
		return 200
	}
	return limit
}

// Members returns a page of a group's active members, oldest membership
// first, and the cursor of the next page ("" at the end). Organisers,
// moderators and admins see everyone with name and role; members see only
// those who chose to show their name; anyone else sees no one (the group's
// MemberCount says how many).
//
// Errors: errs.NotFound.
func (s *Service) Members(ctx context.Context, groupID, after string, limit int) ([]Member, string, error) {
	if _, err := s.Get(ctx, groupID); err != nil {
		return nil, "", err
	}
	level, _, err := s.access(ctx, groupID)
	if err != nil || level == SeeCount {
		return nil, "", err
	}
	return s.members(ctx, memberQuery{GroupID: groupID, Statuses: []string{MemberActive},
		OnlyShown: level == SeeShown, After: after, Limit: pageLimit(limit)})
}

// Pending returns a page of open requests and invitations, for the group's
// organisers and admins. Errors: errs.Forbidden.
func (s *Service) Pending(ctx context.Context, groupID, after string, limit int) ([]Member, string, error) {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return nil, "", err
	}
	return s.members(ctx, memberQuery{GroupID: groupID, Statuses: []string{MemberRequested, MemberInvited},
		After: after, Limit: pageLimit(limit)})
}

func (s *Service) members(ctx context.Context, mq memberQuery) ([]Member, string, error) {
	list, err := listMembers(ctx, s.db.Q(), mq)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) == mq.Limit {
		next = list[len(list)-1].PersonID
	}
	return list, next, nil
}

// MyGroups returns the signed-in person's groups, invitations and requests
// (at most 200), by group name. Errors: errs.Unauthorized.
func (s *Service) MyGroups(ctx context.Context) ([]Membership, error) {
	if err := s.can(ctx, ActJoin, ""); err != nil {
		return nil, err
	}
	personID, err := personOfUser(ctx, s.db.Q(), auth.PrincipalFrom(ctx).UserID)
	if err != nil || personID == "" {
		return nil, err
	}
	return myMemberships(ctx, s.db.Q(), personID)
}
