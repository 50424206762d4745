package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/importweb"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/site"
)

// groupNotifier tells organisers and admins by mail when groups fall quiet.
type groupNotifier struct{ a *App }

func (n groupNotifier) GroupDormant(ctx context.Context, tx *db.Tx, g groups.Group, emails []string) error {
	for _, to := range emails {
		_, err := n.a.Mail.Queue(ctx, tx, mail.Message{
			To:      to,
			Subject: fmt.Sprintf("%s has gone quiet", g.Name),
			Text: fmt.Sprintf("Nothing has happened in %s for a while, so it is now marked dormant.\n\n"+
				"If the group is still going, open it and choose \"Revive\": %s/groups/%s\n\n"+
				"If it has run its course, an admin can merge it into a neighbouring group or archive it; "+
				"its history stays findable either way.\n", g.Name, n.a.Config.PublicURL(), g.Slug),
			Related: "groups.dormant",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (n groupNotifier) DormantDigest(ctx context.Context, tx *db.Tx, gs []groups.Group, admins []string) error {
	var b strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&b, "- %s: %s/groups/%s\n", g.Name, n.a.Config.PublicURL(), g.Slug)
	}
	for _, to := range admins {
		_, err := n.a.Mail.Queue(ctx, tx, mail.Message{
			To:      to,
			Subject: fmt.Sprintf("%d group(s) turned dormant", len(gs)),
			Text:    "These groups have had no activity for a while and are now dormant:\n\n" + b.String(),
			Related: "groups.dormant_digest",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// myGroupsPanel is the dashboard's "Your groups".
func (a *App) myGroupsPanel(ctx context.Context) (*site.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return nil, nil
	}
	ms, err := a.Groups.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Your groups", Empty: "You are not in a group yet.",
		MoreURL: "/groups", More: "Find a group"}
	for _, m := range ms {
		note := m.Role
		switch m.Status {
		case groups.MemberRequested:
			note = "waiting for approval"
		case groups.MemberInvited:
			note = "you are invited"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: m.Group.Name, URL: "/groups/" + m.Group.Slug, Note: note})
	}
	return panel, nil
}

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

// eventNotifier tells people by mail what happened to their RSVP, queued in
// the RSVP's transaction.
type eventNotifier struct{ a *App }

func (n eventNotifier) PlaceFreed(ctx context.Context, tx *db.Tx, e *events.Event, personID string) error {
	p, err := n.a.People.Get(auth.WithSystem(ctx), personID)
	if err != nil {
		return fmt.Errorf("place freed: %w", err)
	}
	email := p.Email
	if email == "" {
		return nil // nobody to tell; the place is theirs all the same
	}
	link := n.a.Config.PublicURL() + "/events/" + e.ID
	_, err = n.a.Mail.Queue(ctx, tx, mail.Message{
		To:      email,
		Subject: "A place has come free at " + e.Title,
		Text: fmt.Sprintf("Good news: a place has come free at %s, on %s, and it is yours.\n\n"+
			"If you can no longer come, please say so on the event's page so that the next person can have it:\n%s\n",
			e.Title, e.Start.Format("Monday 2 January 2006 at 15:04 (MST)"), link),
		Related: "events.place_freed",
	})
	return err
}

// FollowUp thanks each person who came, by mail: a service message about
// an event they attended, so it needs no marketing consent.
func (n eventNotifier) FollowUp(ctx context.Context, tx *db.Tx, e *events.Event, personIDs []string) error {
	sys := auth.WithSystem(ctx)
	link := n.a.Config.PublicURL() + "/events"
	for _, id := range personIDs {
		p, err := n.a.People.Get(sys, id)
		if err != nil {
			return fmt.Errorf("follow up: %w", err)
		}
		if p.Email == "" {
			continue
		}
		greeting := "Hello"
		if p.GivenName != "" {
			greeting += " " + p.GivenName
		}
		_, err = n.a.Mail.Queue(ctx, tx, mail.Message{
			To:      p.Email,
			Subject: "Thank you for coming to " + e.Title,
			Text: fmt.Sprintf("%s,\n\nThank you for coming to %s on %s. Every person who turns up makes the movement stronger.\n\n"+
				"Find the next events near you:\n%s\n", greeting, e.Title, e.Start.Format("Monday 2 January"), link),
			Related: "events.follow_up",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// guestSignup is the events capability's person-signup path: it matches a
// guest by email (else phone, from the API) or creates a supporter, and records email consent only
// when they ticked the box. It acts as the system: the guest is not signed
// in, and the events service has checked what they may do.
type guestSignup struct{ p *people.Service }

func (g guestSignup) SignupGuest(ctx context.Context, gu events.Guest) (string, error) {
	sys := auth.WithSystem(ctx)
	id, err := g.p.Match(sys, gu.Email, gu.Phone)
	if errs.Is(err, errs.NotFound) {
		given, family, _ := strings.Cut(gu.Name, " ")
		var p *people.Person
		p, err = g.p.Create(sys, people.Input{GivenName: given, FamilyName: family, Email: gu.Email, Phone: gu.Phone,
			Address: people.Address{Postcode: gu.Postcode}, Source: people.SourceEvent, SourceDetail: gu.EventID})
		switch {
		case err == nil:
			id = p.ID
		case errs.Is(err, errs.Conflict):
			id, err = g.p.Match(sys, gu.Email, gu.Phone) // created meanwhile by another request
		}
	}
	if err != nil {
		return "", err
	}
	if gu.EmailConsent {
		if err := g.p.SetConsent(sys, id, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: gu.Source, Wording: gu.ConsentWording}); err != nil {
			return "", err
		}
	}
	return id, nil
}

// myEventsPanel is the dashboard's "Your events".
func (a *App) myEventsPanel(ctx context.Context) (*site.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return nil, nil
	}
	es, err := a.Events.MyEvents(ctx, 5)
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Your events", Empty: "You have not said you are coming to an event yet.",
		MoreURL: "/events", More: "Find events near you"}
	for _, e := range es {
		note := e.Start.Format("Mon 2 Jan, 15:04")
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

// groupEventsPanel is a group page's "Upcoming events": those the viewer may
// see, with a link to create one for those who may, or to the group's
// calendar for everyone else.
func (a *App) groupEventsPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	es, err := a.Events.Upcoming(ctx, g.ID, 5)
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Upcoming events", Empty: "No events planned yet.",
		MoreURL: "/groups/" + g.Slug + "/events.ics", More: "Subscribe to the group's calendar"}
	if _, err := a.Events.CreateForm(ctx, g.ID); err == nil && !g.Archived() {
		panel.MoreURL, panel.More = "/events/new?group="+g.ID, "Create an event"
	}
	for _, e := range es {
		panel.Items = append(panel.Items, groups.PanelItem{Text: e.Title, URL: "/events/" + e.ID,
			Note: e.Start.Format("Mon 2 Jan, 15:04")})
	}
	return panel, nil
}
