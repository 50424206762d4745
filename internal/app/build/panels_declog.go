package build

import (
	"context"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// groupDecisionsPanel is a group page's "Decision log" (issue 13): its
// latest closed decisions the viewer may see (public records for
// visitors), with the outcome, and a link to the group's whole log, so an
// archived group's decisions stay findable from its page.
func (s *Services) groupDecisionsPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	entries, _, err := s.Decisions.Log(ctx, decisions.LogFilter{GroupID: g.ID, Limit: 5})
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Decision log", Empty: "No decision of this group has closed yet, or none you can see.",
		MoreURL: "/decisions/log?group=" + g.ID, More: "The group's decision log"}
	for _, e := range entries {
		note := "closed " + web.Date(e.ClosedAt, s.Events.Zone()) // issue 16
		if e.Result != nil && e.Result.Summary != "" {
			note = e.Result.Summary
		}
		panel.Items = append(panel.Items, groups.PanelItem{Text: e.Title, URL: "/decisions/" + e.ID + "/results", Note: note})
	}
	return panel, nil
}
