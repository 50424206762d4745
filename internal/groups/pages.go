package groups

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// GroupView is everything a group's page shows, decided for the viewer.
type GroupView struct {
	Group  *Group
	Access Access
	// Mine is the viewer's membership (nil: none; Status "left" after leaving).
	Mine *Membership
	// CanManage: organisers and admins (edit, requests, invitations, roles,
	// revive). CanLifecycle: admins (archive, merge).
	CanManage    bool
	CanLifecycle bool
	// Pending are the open requests and invitations (organisers): the
	// overview counts them; the members tab lists them (issue 16).
	Pending  []Member
	Activity []ActivityItem
	// MergeTargets are the groups an admin may merge this one into.
	MergeTargets []Group
	// Panels come from other capabilities (the group's upcoming events).
	Panels []*Panel
}

// Panel is a section of a group's page that another capability provides: a
// heading, a few links, and where to see more or add one.
type Panel struct {
	Title   string
	Items   []PanelItem
	Empty   string // shown when there are no items
	MoreURL string
	More    string
}

// PanelItem is one line of a panel.
type PanelItem struct {
	Text, URL, Note string
}

// PanelFunc builds a panel of group g's page for the viewer in ctx; it
// returns nil to show nothing.
type PanelFunc func(ctx context.Context, g *Group) (*Panel, error)

// SeesAll reports whether the viewer sees every member by name.
func (v *GroupView) SeesAll() bool { return v.Access == SeeAll }

// SeesShown reports whether the viewer sees the members who chose to be listed.
func (v *GroupView) SeesShown() bool { return v.Access == SeeShown }

// View gathers a group's overview page (its members are on MembersPage).
// Public; what it holds depends on who looks. Errors: errs.NotFound.
func (s *Service) View(ctx context.Context, slug string) (*GroupView, error) {
	g, err := s.GetBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	v := &GroupView{Group: g}
	var mine *memberRow
	if v.Access, mine, err = s.access(ctx, g.ID); err != nil {
		return nil, err
	}
	if mine != nil {
		v.Mine = &Membership{Group: *g, Role: mine.Role, Status: mine.Status, ShowName: mine.ShowName, JoinedAt: mine.JoinedAt}
	}
	if v.CanManage, err = s.allowed(ctx, auth.ActGroupManage, g.ID); err != nil {
		return nil, err
	}
	if v.CanLifecycle, err = s.allowed(ctx, ActLifecycle, g.ID); err != nil {
		return nil, err
	}
	if v.CanManage {
		if v.Pending, _, err = s.Pending(ctx, g.ID, "", 100); err != nil {
			return nil, err
		}
	}
	if v.Activity, err = s.activity(ctx, g.ID, v.Access, 20); err != nil {
		return nil, err
	}
	for _, pf := range s.panels.Get() {
		p, err := pf(ctx, g)
		if err != nil {
			return nil, err
		}
		if p != nil {
			v.Panels = append(v.Panels, p)
		}
	}
	if v.CanLifecycle && !g.Archived() {
		all, err := s.List(ctx, Filter{Kind: g.Kind, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, o := range all {
			if o.ID != g.ID && !o.Archived() {
				v.MergeTargets = append(v.MergeTargets, o)
			}
		}
	}
	return v, nil
}

// allowed asks the policy, turning a refusal into false.
func (s *Service) allowed(ctx context.Context, act auth.Action, groupID string) (bool, error) {
	err := s.can(ctx, act, groupID)
	if err == nil {
		return true, nil
	}
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Unauthorized) {
		return false, nil
	}
	return false, err
}

// CreateForm returns what the new-group form offers (the regions), for
// admins. Errors: errs.Forbidden.
func (s *Service) CreateForm(ctx context.Context) ([]Region, error) {
	if err := s.can(ctx, ActCreate, ""); err != nil {
		return nil, err
	}
	return s.Regions(ctx)
}

// EditForm returns a group to edit and the regions to choose from, for its
// organisers and admins. Errors: errs.NotFound, errs.Forbidden,
// errs.Conflict (archived).
func (s *Service) EditForm(ctx context.Context, slug string) (*Group, []Region, error) {
	g, err := s.GetBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if err := s.can(ctx, auth.ActGroupManage, g.ID); err != nil {
		return nil, nil, err
	}
	if g.Archived() {
		return nil, nil, errArchived()
	}
	regions, err := s.Regions(ctx)
	return g, regions, err
}
