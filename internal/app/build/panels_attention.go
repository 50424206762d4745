package build

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
)

// issue 16: the dashboard's "what needs me now?" panels. Each reads with the
// viewer the dashboard resolved once (site.ViewerFrom); the dashboard runs
// them all at once. A panel for organisers shows nothing to someone who
// organises no group.

// siteMemberships resolves the viewer's groups for the dashboard.
func (s *Services) siteMemberships(ctx context.Context) ([]site.ViewerGroup, error) {
	ms, err := s.Groups.MyGroupsBrief(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]site.ViewerGroup, len(ms))
	for i, m := range ms {
		out[i] = site.ViewerGroup{ID: m.ID, Slug: m.Slug, Name: m.Name, Role: m.Role, Status: m.Status, Archived: m.Archived}
	}
	return out, nil
}

// siteFigures counts the network's people for an admin's dashboard.
func (s *Services) siteFigures(ctx context.Context) (*site.Figures, error) {
	f, err := s.People.Figures(ctx)
	if err != nil {
		return nil, err
	}
	return &site.Figures{Members: f.Members, Supporters: f.Supporters, Lapsed: f.Lapsed,
		NewPeople: f.NewPeople, NewMembers: f.NewMembers, NewlyLapsed: f.NewlyLapsed}, nil
}

// organising is the viewer's organised groups with their counts, read once
// per dashboard for the three panels that show them.
func (s *Services) organising(ctx context.Context) (*site.Viewer, []groups.Organised, error) {
	v := site.ViewerFrom(ctx)
	if v == nil || len(v.Organises()) == 0 {
		return v, nil, nil
	}
	got, err := v.Shared("groups.organising", func() (any, error) { return s.Groups.Organising(ctx) })
	if err != nil {
		return v, nil, err
	}
	return v, got.([]groups.Organised), nil
}

// plural is "1 person" or "3 people".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// requestsPanel is "Join requests": people waiting for an organiser.
func (s *Services) requestsPanel(ctx context.Context) (*site.Panel, error) {
	_, gs, err := s.organising(ctx)
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	panel := &site.Panel{Title: "Join requests", Counted: true, Empty: "Nobody is waiting to join your groups.",
		EmptyURL: "/groups/" + gs[0].Slug + "#tools", EmptyAction: "Invite people to " + gs[0].Name}
	for _, g := range gs {
		if g.Requests > 0 {
			panel.Count += g.Requests
			panel.Items = append(panel.Items, site.PanelItem{Text: g.Name, URL: "/groups/" + g.Slug + "#requests",
				Note: plural(g.Requests, "person waiting", "people waiting")})
		}
	}
	panel.Urgent = panel.Count > 0
	return panel, nil
}

// newMembersPanel is "New members this week" in the viewer's groups.
func (s *Services) newMembersPanel(ctx context.Context) (*site.Panel, error) {
	_, gs, err := s.organising(ctx)
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	panel := &site.Panel{Title: "New members this week", Counted: true, Empty: "Nobody joined your groups this week.",
		EmptyURL: "/events/new?group=" + gs[0].ID, EmptyAction: "Plan an event to bring people in"}
	for _, g := range gs {
		if g.NewThisWeek > 0 {
			panel.Count += g.NewThisWeek
			panel.Items = append(panel.Items, site.PanelItem{Text: g.Name, URL: "/groups/" + g.Slug + "#members",
				Note: fmt.Sprintf("%d new, %s in all", g.NewThisWeek, plural(g.Members, "member", "members"))})
		}
	}
	return panel, nil
}

// quietGroupsPanel warns of the viewer's groups that are dormant or will be
// soon; nothing when none is.
func (s *Services) quietGroupsPanel(ctx context.Context) (*site.Panel, error) {
	_, gs, err := s.organising(ctx)
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	panel := &site.Panel{Title: "Groups falling quiet", Counted: true, Urgent: true}
	for _, g := range gs {
		if !g.Quiet {
			continue
		}
		note := "nothing since " + web.Date(g.LastActivityAt, nil) /* issue 16: the formatting layer */ + ": plan something"
		if g.Status == groups.StatusDormant {
			note = "dormant: plan an event to revive it"
		}
		panel.Count++
		panel.Items = append(panel.Items, site.PanelItem{Text: g.Name, URL: "/events/new?group=" + g.ID, Note: note})
	}
	if panel.Count == 0 {
		return nil, nil
	}
	return panel, nil
}

// comingPanel is "Coming up": the events the viewer runs, with RSVPs.
func (s *Services) comingPanel(ctx context.Context) (*site.Panel, error) {
	v := site.ViewerFrom(ctx)
	if v == nil {
		return nil, nil
	}
	orgs := v.Organises()
	if len(orgs) == 0 && v.User.Role != auth.RoleAdmin {
		return nil, nil // they run nothing: "Your events" is theirs
	}
	es, total, err := s.Events.Running(ctx, 5)
	if err != nil {
		return nil, err
	}
	if total == 0 && len(orgs) == 0 {
		return nil, nil
	}
	panel := &site.Panel{Title: "Coming up in your groups", Counted: true, Count: total,
		Empty: "No events planned in your groups.", MoreURL: "/events", More: "All events"}
	if len(orgs) > 0 {
		panel.EmptyURL, panel.EmptyAction = "/events/new?group="+orgs[0].ID, "New event for "+orgs[0].Name
	}
	for _, e := range es {
		note := web.DayTime(e.Start, nil) /* in the event's own zone, as the events pages */ + " · " + plural(e.Going, "going", "going")
		if e.Maybe > 0 {
			note += fmt.Sprintf(", %d maybe", e.Maybe)
		}
		if e.Capacity > 0 {
			note += fmt.Sprintf(" of %d places", e.Capacity)
		}
		if e.Waitlisted > 0 {
			note += fmt.Sprintf(", %d on the waiting list", e.Waitlisted)
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: e.Title, URL: "/events/" + e.ID + "/attendees", Note: note})
	}
	return panel, nil
}

// decisionsWaitingPanel is "Decisions waiting for you": drafts to open and
// results to publish.
func (s *Services) decisionsWaitingPanel(ctx context.Context) (*site.Panel, error) {
	v := site.ViewerFrom(ctx)
	if v == nil {
		return nil, nil
	}
	ds, total, err := s.Decisions.WaitingForMe(ctx, 5)
	if err != nil {
		return nil, err
	}
	orgs := v.Organises()
	if total == 0 && len(orgs) == 0 && v.User.Role != auth.RoleAdmin {
		return nil, nil
	}
	panel := &site.Panel{Title: "Decisions waiting for you", Counted: true, Count: total, Urgent: total > 0,
		Empty: "No decision is waiting for you.", EmptyURL: "/decisions/new", EmptyAction: "Start a decision",
		MoreURL: "/decisions", More: "All decisions"}
	if len(orgs) > 0 {
		panel.EmptyURL, panel.EmptyAction = "/decisions/new?group="+orgs[0].ID, "Start a decision in "+orgs[0].Name
	}
	for _, d := range ds {
		note := "a draft: open it when it is ready"
		if d.Status == decisions.StatusClosed {
			note = "voting has closed: publish the result"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: d.Title, URL: "/decisions/" + d.ID, Note: note})
	}
	return panel, nil
}

// moderationPanel is the "Moderation queue" for admins and the groups'
// organisers and moderators.
func (s *Services) moderationPanel(ctx context.Context) (*site.Panel, error) {
	v := site.ViewerFrom(ctx)
	if v == nil || (v.User.Role != auth.RoleAdmin && !v.Moderates()) {
		return nil, nil
	}
	n, err := s.Talk.QueueCount(ctx)
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Moderation queue", Counted: true, Count: n, Urgent: n > 0,
		Empty: "Nothing has been flagged.", EmptyURL: "/talk", EmptyAction: "Read the discussions"}
	if n > 0 {
		panel.Items = []site.PanelItem{{Text: "Review flagged comments", URL: "/moderation",
			Note: plural(n, "comment flagged", "comments flagged")}}
	}
	return panel, nil
}

// scheduledPanel is "Scheduled messages" for those who send them.
func (s *Services) scheduledPanel(ctx context.Context) (*site.Panel, error) {
	v := site.ViewerFrom(ctx)
	if v == nil {
		return nil, nil
	}
	orgs := v.Organises()
	if v.User.Role != auth.RoleAdmin && len(orgs) == 0 {
		return nil, nil
	}
	bs, _, err := s.Messaging.List(ctx, messaging.ListFilter{Status: messaging.StatusScheduled, Limit: 50})
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Scheduled messages", Counted: true, Count: len(bs),
		Empty: "No message is scheduled.", EmptyURL: "/messages/new", EmptyAction: "Write a message",
		MoreURL: "/messages?status=scheduled", More: "All scheduled messages"}
	if len(orgs) > 0 {
		panel.EmptyURL, panel.EmptyAction = "/messages/new?group="+orgs[0].ID, "Message "+orgs[0].Name
	}
	for i, b := range bs {
		if i == 5 {
			break
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: subjectOf(b), URL: "/messages/" + b.ID,
			Note: "sends " + web.DateTime(b.SendAt, s.Events.Zone())})
	}
	return panel, nil
}
