package talkweb

import (
	"context"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// Summaries is what a subject's page (a decision's, an event's) needs of
// talk to show its discussion: *talk.Service.
type Summaries interface {
	Summary(ctx context.Context, kind, id string) (*talk.Summary, error)
}

// Panel is a subject page's view of its discussion: the count, the latest
// comments and the form to add one. The pages draw it with the shared
// "discussion" partial (platform/web/templates/partials.html).
type Panel struct {
	*talk.Summary
	// Action is where the form posts; Next is where it comes back to.
	Action, Next string
	Latest       []PanelComment
	SignedIn     bool
	// Prominent puts the panel first, with Intro inviting comment (a
	// decision under discussion, before its ballot).
	Prominent bool
	Intro     string
}

// PanelComment is one of the latest comments, its time already written in
// the page's zone.
type PanelComment struct {
	ID, Author, When, Body, HiddenReason string
	Hidden                               bool
}

// NewPanel builds the panel of the subject kind/id whose page is at page;
// when writes a comment's time. It is nil when the discussion cannot be had
// (the page is still drawn: the discussion is one part of it).
func NewPanel(r *http.Request, s Summaries, kind, id, page string, when func(time.Time) string) *Panel {
	sum, err := s.Summary(r.Context(), kind, id)
	if err != nil {
		return nil
	}
	p := &Panel{Summary: sum, Action: "/talk/on/" + kind + "/" + id, Next: page + "#discussion",
		SignedIn: web.ViewerFrom(r.Context()) != nil}
	for _, c := range sum.Latest {
		p.Latest = append(p.Latest, PanelComment{ID: c.ID, Author: c.AuthorName, When: when(c.CreatedAt),
			Body: c.Body, Hidden: c.Hidden, HiddenReason: c.HiddenReason})
	}
	return p
}
