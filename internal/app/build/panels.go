package build

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
)

// The sections capabilities add to pages that belong to another: the
// dashboard's panels (site comes after every capability) and a group
// page's upcoming events (events comes after groups).

// myGroupsPanel is the dashboard's "Your groups".
func (s *Services) myGroupsPanel(ctx context.Context) (*site.Panel, error) {
	// issue 16: the viewer's groups as the dashboard resolved them once.
	v := site.ViewerFrom(ctx)
	if v == nil {
		return nil, nil
	}
	panel := &site.Panel{Title: "Your groups", Empty: "You are not in a group yet.",
		MoreURL: "/groups", More: "Find a group", EmptyURL: "/groups", EmptyAction: "Find a group near you"}
	for _, m := range v.Groups {
		note := m.Role
		switch m.Status {
		case groups.MemberRequested:
			note = "waiting for approval"
		case groups.MemberInvited:
			note = "you are invited"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: m.Name, URL: "/groups/" + m.Slug, Note: note})
	}
	return panel, nil
}

// myEventsPanel is the dashboard's "Your events".
func (s *Services) myEventsPanel(ctx context.Context) (*site.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return nil, nil
	}
	es, err := s.Events.MyEvents(ctx, 5)
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Your events", Empty: "You have not said you are coming to an event yet.",
		MoreURL: "/events", More: "Find events near you"}
	for _, e := range es {
		note := web.DateTime(e.Start, nil) // issue 16: in the event's zone, said
		switch e.Answer {
		case events.Tentative:
			note += " · maybe"
		case events.Waitlisted:
			note += " · on the waiting list"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: e.Title, URL: "/events/" + e.ID, Note: note})
	}
	return panel, nil
}

// votesPanel is the dashboard's "Your votes": the decisions open for
// voting now in which the signed-in person may vote, or has voted (they
// may still change their vote with their receipt).
func (s *Services) votesPanel(zone *time.Location) site.PanelFunc {
	return func(ctx context.Context) (*site.Panel, error) {
		if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
			return nil, nil
		}
		votes, err := s.Decisions.OpenVotes(ctx, 5)
		if err != nil {
			return nil, fmt.Errorf("your votes: %w", err)
		}
		panel := &site.Panel{Title: "Your votes", Empty: "No vote is open for you now.", MoreURL: "/decisions", More: "All decisions",
			Counted: true} // issue 16: how many wait for the viewer's vote
		for _, v := range votes {
			if !v.Voted {
				panel.Count++
			}
			note := "vote by " + web.DateTime(v.ClosesAt, zone) // issue 16
			if v.Voted {
				note = "you have voted"
			}
			panel.Items = append(panel.Items, site.PanelItem{Text: v.Title, URL: "/decisions/" + v.ID, Note: note})
		}
		return panel, nil
	}
}

// figuresPanel is the dashboard's "Mobilisation figures": the network's for
// admins, each organised group's for its organisers.
func (s *Services) figuresPanel(ctx context.Context) (*site.Panel, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	panel := &site.Panel{Title: "Mobilisation figures"}
	if p.Role == auth.RoleAdmin {
		panel.Items = append(panel.Items, site.PanelItem{Text: "The whole network", URL: "/events/figures", Note: "turnout by group, kind and month"})
	}
	if v := site.ViewerFrom(ctx); v != nil { // issue 16: resolved once by the dashboard
		for _, g := range v.Organises() {
			panel.Items = append(panel.Items, site.PanelItem{Text: g.Name, URL: "/events/figures?group=" + g.ID, Note: "your group's turnout"})
		}
	}
	if len(panel.Items) == 0 {
		return nil, nil
	}
	return panel, nil
}

// groupEventsPanel is a group page's "Upcoming events": those the viewer may
// see, with a link to create one for those who may, or to the group's
// calendar for everyone else.
func (s *Services) groupEventsPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	es, err := s.Events.Upcoming(ctx, g.ID, 5)
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Upcoming events", Empty: "No events planned yet.",
		MoreURL: "/groups/" + g.Slug + "/events.ics", More: "Subscribe to the group's calendar"}
	if _, err := s.Events.CreateForm(ctx, g.ID); err == nil && !g.Archived() {
		panel.MoreURL, panel.More = "/events/new?group="+g.ID, "Create an event"
	}
	for _, e := range es {
		panel.Items = append(panel.Items, groups.PanelItem{Text: e.Title, URL: "/events/" + e.ID,
			Note: web.DateTime(e.Start, nil)}) // issue 16
	}
	return panel, nil
}
