package talkweb

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// A thread's controls (follow, pin, lock) and what every control shares:
// where it returns, and how a refused one redraws its page.

func (h *Handler) handleFollow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	on, err := onOff(r, "on")
	if err == nil {
		err = h.svc.Follow(r.Context(), id, on)
	}
	msg := "You no longer follow this discussion."
	if on {
		msg = "You follow this discussion: you'll be told of new comments."
	}
	h.done(w, r, err, id, "/talk/t/"+id, msg)
}

func (h *Handler) handlePin(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	on, err := onOff(r, "on")
	if err == nil {
		err = h.svc.Pin(r.Context(), id, on)
	}
	msg := "The discussion is no longer pinned."
	if on {
		msg = "The discussion is pinned to the top of its list."
	}
	h.done(w, r, err, id, "/talk/t/"+id, msg)
}

func (h *Handler) handleLock(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	on, err := onOff(r, "on")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if err == nil {
		bad := map[string]string{}
		limit(bad, "reason", reason, maxReason, "The reason")
		if on && reason == "" {
			bad["reason"] = "Say why the discussion is locked: everyone reading it sees the reason."
		}
		if err = errs.Fields(bad); err == nil {
			err = h.svc.Lock(r.Context(), id, on, reason)
		}
	}
	msg := "The discussion is open for comments again."
	if on {
		msg = "The discussion is locked: nobody can comment until it is unlocked."
	}
	h.done(w, r, err, id, "/talk/t/"+id, msg)
}

// done redirects to next with a flash, or shows err: beside the thread's
// form when it is about input and the thread is known, otherwise as the
// error page.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, err error, threadID, next, flash string) {
	switch {
	case err == nil:
		web.Redirect(w, r, next, flash)
	case len(errs.FieldsOf(err)) > 0 && r.PostFormValue("from") == "queue":
		h.queue(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
	case len(errs.FieldsOf(err)) > 0 && threadID != "":
		h.thread(w, r, threadID, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
	default:
		h.rend.Error(w, r, err)
	}
}

// threadOf is the thread a comment's form says it came from (its hidden
// "thread" field), to redraw that page after a refused post.
func threadOf(r *http.Request) string {
	t := strings.TrimSpace(r.PostFormValue("thread"))
	if len(t) > 100 || strings.ContainsAny(t, "/?#") {
		return ""
	}
	return t
}

// threadURL is a thread's page, at a comment when commentID is set.
func threadURL(threadID, commentID string) string {
	u := "/talk/t/" + url.PathEscape(threadID)
	if commentID != "" {
		u += "#c-" + url.PathEscape(commentID)
	}
	return u
}
