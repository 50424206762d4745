package groups

import (
	"context"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// MembersView is a group's members tab (issue 16): the members the viewer
// may see, searched by name and paged, and for its organisers and admins the
// role changes, open requests and the invitation form.
type MembersView struct {
	Group     *Group
	Access    Access
	CanManage bool
	Search    string
	Members   []Member
	Next      string
	Pending   []Member
}

// SeesAll reports whether the viewer sees every member by name and role.
func (v *MembersView) SeesAll() bool { return v.Access == SeeAll }

// SeesShown reports whether the viewer sees the members who chose to be listed.
func (v *MembersView) SeesShown() bool { return v.Access == SeeShown }

// MembersPage gathers the members tab of group slug: members whose name
// contains search (all when empty), 50 a page after the cursor. Public;
// what it holds depends on who looks (see Members). Errors: errs.NotFound.
func (s *Service) MembersPage(ctx context.Context, slug, search, after string) (*MembersView, error) {
	g, err := s.GetBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	v := &MembersView{Group: g, Search: strings.TrimSpace(search)}
	if r := []rune(v.Search); len(r) > 100 {
		v.Search = string(r[:100])
	}
	if v.Access, _, err = s.access(ctx, g.ID); err != nil {
		return nil, err
	}
	if v.CanManage, err = s.allowed(ctx, auth.ActGroupManage, g.ID); err != nil {
		return nil, err
	}
	if v.Access > SeeCount {
		v.Members, v.Next, err = s.members(ctx, memberQuery{GroupID: g.ID, Statuses: []string{MemberActive},
			OnlyShown: v.Access == SeeShown, After: after, Limit: 50, Search: v.Search})
		if err != nil {
			return nil, err
		}
	}
	if v.CanManage {
		if v.Pending, _, err = s.Pending(ctx, g.ID, "", 100); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Tab names the tab the members page is, for the "group-tabs" partial.
func (v *MembersView) Tab() string { return "members" }

// Tab names the tab the overview is, for the "group-tabs" partial.
func (v *GroupView) Tab() string { return "overview" }
