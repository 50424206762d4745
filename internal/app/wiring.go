package app

import (
	"context"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people/importweb"
)

// Adapters between the web handlers and the services. The services
// themselves, their mail and their workers are built in internal/app/build.

// organisedGroups offers the import wizard the groups the signed-in person
// organises.
type organisedGroups struct{ g *groups.Service }

func (o organisedGroups) OrganisedGroups(ctx context.Context) ([]importweb.GroupChoice, error) {
	ms, err := o.g.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []importweb.GroupChoice
	for _, m := range ms {
		if m.Role == groups.RoleOrganiser && m.Status == groups.MemberActive {
			out = append(out, importweb.GroupChoice{ID: m.Group.ID, Name: m.Group.Name})
		}
	}
	return out, nil
}
