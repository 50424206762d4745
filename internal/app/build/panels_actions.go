package build

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// groupActionsPanel is a group page's "Petitions and forms" (issue 14),
// for those who manage them (its organisers, admins): the latest, with
// their counts, and a link to start one. Others see nothing.
func (s *Services) groupActionsPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" || g.Archived() {
		return nil, nil
	}
	list, err := s.Actions.List(ctx, actions.Filter{GroupID: g.ID, Limit: 5})
	if c := errs.CodeOf(err); c == errs.Forbidden || c == errs.Unauthorized || c == errs.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Petitions and forms", Empty: "No petitions or forms yet.",
		MoreURL: "/actions/new?kind=petition&group=" + g.ID, More: "Start a petition"}
	for _, a := range list {
		note := fmt.Sprintf("%s, %d", a.Status, a.Count)
		if a.Goal > 0 {
			note += fmt.Sprintf(" of %d", a.Goal)
		}
		panel.Items = append(panel.Items, groups.PanelItem{Text: a.Title, URL: "/actions/" + a.ID, Note: note})
	}
	return panel, nil
}
