package events

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// issue 16: "New event" wherever the viewer may make one.

// EventOwner is somewhere the viewer may create events: a group, or the
// network (GroupID "").
type EventOwner struct {
	GroupID, Name string
}

// NewEventURL is the form for a new event there.
func (o EventOwner) NewEventURL() string {
	if o.GroupID == "" {
		return "/events/new"
	}
	return "/events/new?group=" + o.GroupID
}

// CreatableFor lists where the viewer may create events: the network
// (admins) first, then the groups they organise that are not archived, by
// name. Nobody signed in, or nowhere: none.
func (s *Service) CreatableFor(ctx context.Context) ([]EventOwner, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	var out []EventOwner
	network, err := allowed(s.can(ctx, ActManage, &Event{}))
	if err != nil {
		return nil, err
	}
	if network {
		out = append(out, EventOwner{Name: "the network"})
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || personID == "" {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Q().Query(ctx, `SELECT g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id
		WHERE m.person_id = ? AND m.role = 'organiser' AND m.status = 'active' AND g.status <> 'archived'
		ORDER BY LOWER(g.name), g.id LIMIT 50`, personID)
	if err != nil {
		return nil, fmt.Errorf("groups to create events for: %w", err)
	}
	var groups []EventOwner
	for rows.Next() {
		var o EventOwner
		if err := rows.Scan(&o.GroupID, &o.Name); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range groups { // the policy has the last word
		ok, err := allowed(s.can(ctx, ActManage, &Event{GroupID: o.GroupID}))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, o)
		}
	}
	return out, nil
}
