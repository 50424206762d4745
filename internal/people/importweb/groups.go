package importweb

import (
	"context"

	"github.com/momentum-movement/momentum/internal/groups"
)

// GroupsOf is the Groups serve gives the wizard: the groups the signed-in
// person actively organises, as the groups service lists them. It lives
// here rather than in app so the wizard's tests use it too. A nil service
// gives a nil Groups, which NewHandler refuses.
func GroupsOf(g *groups.Service) Groups {
	if g == nil {
		return nil
	}
	return organisedGroups{g}
}

type organisedGroups struct{ g *groups.Service }

func (o organisedGroups) OrganisedGroups(ctx context.Context) ([]GroupChoice, error) {
	ms, err := o.g.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []GroupChoice
	for _, m := range ms {
		if m.Role == groups.RoleOrganiser && m.Status == groups.MemberActive {
			out = append(out, GroupChoice{ID: m.Group.ID, Name: m.Group.Name})
		}
	}
	return out, nil
}
