package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people/importweb"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
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
