package decisionsweb

// issue 13: a decision's discussion panel, from talk.

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/talk"
	"github.com/momentum-movement/momentum/internal/talk/talkweb"
)

// Discussions is the discussion attached to a decision (talk.Service).
type Discussions = talkweb.Summaries

// discussion is d's panel (nil when it cannot be had); while d is under
// discussion it comes before the ballot and invites comment.
func (h *Handler) discussion(r *http.Request, d *decisions.Decision) *talkweb.Panel {
	p := talkweb.NewPanel(r, h.talk, talk.SubjectDecision, d.ID, "/decisions/"+d.ID, h.local)
	if p != nil && d.Status == decisions.StatusDiscussion {
		p.Prominent = true
		p.Intro = "This decision is under discussion: say what you think, ask questions and suggest changes before voting opens."
	}
	return p
}
