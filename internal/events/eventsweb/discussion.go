package eventsweb

// issue 13: an event's discussion panel, from talk.

import (
	"context"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// Discussions is the discussion attached to an event (talk.Service).
type Discussions interface {
	Summary(ctx context.Context, kind, id string) (*talk.Summary, error)
}

// discussionPanel is the event page's view of its discussion: the count,
// the latest comments and the form to add one.
type discussionPanel struct {
	*talk.Summary
	Action, Next string
	Latest       []discussionComment
	SignedIn     bool
}

type discussionComment struct {
	ID, Author, When, Body, HiddenReason string
	Hidden                               bool
}

// discussion is e's panel, or nil when it cannot be had (the page is still
// drawn: the discussion is one part of it). Times are in the event's zone.
func (h *Handler) discussion(r *http.Request, e *events.Event) *discussionPanel {
	sum, err := h.talk.Summary(r.Context(), talk.SubjectEvent, e.ID)
	if err != nil {
		return nil
	}
	zone, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	p := &discussionPanel{Summary: sum, Action: "/talk/on/event/" + e.ID, Next: "/events/" + e.ID + "#discussion",
		SignedIn: web.ViewerFrom(r.Context()) != nil}
	for _, c := range sum.Latest {
		p.Latest = append(p.Latest, discussionComment{ID: c.ID, Author: c.AuthorName, When: c.CreatedAt.In(zone).Format("2 Jan 2006, 15:04 MST"),
			Body: c.Body, Hidden: c.Hidden, HiddenReason: c.HiddenReason})
	}
	return p
}
