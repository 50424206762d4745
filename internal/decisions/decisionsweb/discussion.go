package decisionsweb

// issue 13: a decision's discussion panel, from talk.

import (
	"context"
	"net/http"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// Discussions is the discussion attached to a decision (talk.Service).
type Discussions interface {
	Summary(ctx context.Context, kind, id string) (*talk.Summary, error)
}

// discussionPanel is the decision page's view of its discussion: the count,
// the latest comments and the form to add one.
type discussionPanel struct {
	*talk.Summary
	Action, Next string
	Latest       []discussionComment
	SignedIn     bool
	// Prominent while the decision is under discussion: the panel comes
	// before the ballot and invites comment.
	Prominent bool
}

type discussionComment struct {
	ID, Author, When, Body, HiddenReason string
	Hidden                               bool
}

// discussion is d's panel, or nil when it cannot be had (the page is
// still drawn: the discussion is one part of it).
func (h *Handler) discussion(r *http.Request, d *decisions.Decision) *discussionPanel {
	sum, err := h.talk.Summary(r.Context(), talk.SubjectDecision, d.ID)
	if err != nil {
		return nil
	}
	p := &discussionPanel{Summary: sum, Action: "/talk/on/decision/" + d.ID, Next: "/decisions/" + d.ID + "#discussion",
		SignedIn: web.ViewerFrom(r.Context()) != nil, Prominent: d.Status == decisions.StatusDiscussion}
	for _, c := range sum.Latest {
		p.Latest = append(p.Latest, discussionComment{ID: c.ID, Author: c.AuthorName, When: h.local(c.CreatedAt),
			Body: c.Body, Hidden: c.Hidden, HiddenReason: c.HiddenReason})
	}
	return p
}
