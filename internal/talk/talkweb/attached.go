package talkweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// attachedPage is the discussion of a decision or an event before anyone
// has started it: an invitation to be the first.
type attachedPage struct {
	Kind, ID   string
	What       string // "decision", "event"
	SubjectURL string
	Action     string
	SignedIn   bool
}

// subject checks the {kind} of /talk/on/{kind}/{id}: a decision or an
// event (meetings come with issue 18).
func subject(r *http.Request) (kind, id string, err error) {
	kind, id = r.PathValue("kind"), r.PathValue("id")
	switch kind {
	case talk.SubjectDecision, talk.SubjectEvent:
		return kind, id, nil
	}
	return "", "", errs.E(errs.NotFound, "Discussions are attached to decisions and events only.")
}

func subjectURL(kind, id string) string {
	if kind == talk.SubjectEvent {
		return "/events/" + id
	}
	return "/decisions/" + id
}

func (h *Handler) handleAttached(w http.ResponseWriter, r *http.Request) {
	h.attached(w, r, http.StatusOK, nil)
}

// attached shows a subject's discussion: its thread's page once it exists
// (a redirect, or the page itself redrawn with a refused comment), else
// the invitation to start it.
func (h *Handler) attached(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	kind, id, err := subject(r)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	t, _, err := h.svc.Attached(r.Context(), kind, id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if t != nil {
		if form == nil {
			http.Redirect(w, r, threadURL(t.ID, ""), http.StatusSeeOther)
			return
		}
		h.thread(w, r, t.ID, status, form)
		return
	}
	p := attachedPage{Kind: kind, ID: id, What: kind, SubjectURL: subjectURL(kind, id),
		Action: "/talk/on/" + kind + "/" + id, SignedIn: web.ViewerFrom(r.Context()) != nil}
	h.rend.Page(w, r, status, "talk/attached", web.Page{Title: "Discuss this " + kind, Data: p, Form: form})
}

func (h *Handler) handleCommentOn(w http.ResponseWriter, r *http.Request) {
	kind, id, err := subject(r)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	in, err := commentInput(r)
	if err == nil {
		var (
			t *talk.Thread
			c *talk.Comment
		)
		if t, c, err = h.svc.CommentOn(r.Context(), kind, id, in); err == nil {
			web.Redirect(w, r, back(r, threadURL(t.ID, c.ID)), "Your comment is posted.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.attached(w, r, code, form) })
}
