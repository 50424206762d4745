package build

import (
	"context"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/site"
)

// messagesPanel is the dashboard's "Messages" for those who send them:
// messages waiting for an admin's approval (admins), the viewer's own
// drafts, and the way to write one. Nothing for people who send none.
func (s *Services) messagesPanel(ctx context.Context) (*site.Panel, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	// issue 16: someone who organises no group sends no messages; the
	// dashboard resolved their groups already, so ask no more.
	if v := site.ViewerFrom(ctx); v != nil && p.Role != auth.RoleAdmin && len(v.Organises()) == 0 {
		return nil, nil
	}
	panel := &site.Panel{Title: "Messages", Empty: "Nothing waiting for you.", MoreURL: "/messages", More: "All messages, or write one"}
	if p.Role == auth.RoleAdmin {
		waiting, _, err := s.Messaging.List(ctx, messaging.ListFilter{Status: messaging.StatusApproval, Limit: 5})
		if err != nil {
			return nil, err
		}
		for _, b := range waiting {
			panel.Items = append(panel.Items, site.PanelItem{Text: subjectOf(b), URL: "/messages/" + b.ID, Note: "waiting for your approval"})
		}
	}
	drafts, _, err := s.Messaging.List(ctx, messaging.ListFilter{Status: messaging.StatusDraft, Limit: 20})
	if errs.Is(err, errs.Forbidden) {
		return nil, nil // organises no group
	} else if err != nil {
		return nil, err
	}
	n := 0
	for _, b := range drafts {
		if b.CreatedBy == p.UserID && n < 5 {
			panel.Items = append(panel.Items, site.PanelItem{Text: subjectOf(b), URL: "/messages/" + b.ID, Note: "your draft"})
			n++
		}
	}
	return panel, nil
}

func subjectOf(b messaging.Broadcast) string {
	if b.Subject == "" {
		return "(no subject yet)"
	}
	return b.Subject
}
