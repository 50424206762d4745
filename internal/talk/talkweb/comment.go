package talkweb

import (
	"net/http"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// Each comment control posts its thread ("thread") and where to return
// ("next"), so that a refused post redraws the thread with the form kept,
// and a done one returns to the comment (or to the moderation queue).

// commentNext is where a comment's control returns: its "next" when it is
// a path on this site, else the comment in its thread, else /talk.
func commentNext(r *http.Request, commentID string) string {
	fallback := "/talk"
	if t := threadOf(r); t != "" {
		fallback = threadURL(t, commentID)
	}
	return back(r, fallback)
}

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	body := r.PostFormValue("body")
	bad := map[string]string{}
	limit(bad, "body", body, maxComment, "The comment")
	if strings.TrimSpace(body) == "" {
		bad["body"] = "Write the comment's new text, or leave it as it was."
	}
	err := errs.Fields(bad)
	if err == nil {
		_, err = h.svc.Edit(r.Context(), id, body)
	}
	h.done(w, r, err, threadOf(r), commentNext(r, id), "Your change is saved. The earlier text is kept in the comment's history.")
}

// historyPage is a comment's earlier texts.
type historyPage struct {
	Revisions []revisionView
	Back      string
	Zone      string
}

type revisionView struct {
	talk.Revision
	When string
}

func (h *Handler) handleHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	revs, err := h.svc.History(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := historyPage{Zone: web.ZoneLabel(h.zone), Back: "/talk"}
	if t := r.URL.Query().Get("thread"); t != "" && len(t) <= 100 && !strings.ContainsAny(t, "/?#") {
		p.Back = threadURL(t, id)
	}
	for _, rv := range revs {
		p.Revisions = append(p.Revisions, revisionView{Revision: rv, When: h.local(rv.At)})
	}
	h.rend.Page(w, r, http.StatusOK, "talk/history", web.Page{Title: "Earlier versions of a comment", Data: p})
}

func (h *Handler) handleReact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	on, err := onOff(r, "on")
	emoji := r.PostFormValue("emoji")
	if err == nil && !slices.Contains(talk.Reactions, emoji) {
		err = errs.Fields(map[string]string{"emoji": "Choose one of the reactions offered."})
	}
	if err == nil {
		err = h.svc.React(r.Context(), id, emoji, on)
	}
	h.done(w, r, err, threadOf(r), commentNext(r, id), "")
}

func (h *Handler) handleFlag(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason, err := reasonOf(r, "Say what is wrong with the comment, so the moderators can judge it.")
	if err == nil {
		err = h.svc.Flag(r.Context(), id, reason)
	}
	h.done(w, r, err, threadOf(r), commentNext(r, id), "Thank you: the moderators will look at the comment.")
}

func (h *Handler) handleHide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason, err := reasonOf(r, "Say why the comment is hidden: the reason is shown in its place.")
	if err == nil {
		err = h.svc.Hide(r.Context(), id, reason)
	}
	h.done(w, r, err, threadOf(r), commentNext(r, id), "The comment is hidden. Its reason is shown in its place.")
}

func (h *Handler) handleUnhide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := h.svc.Unhide(r.Context(), id)
	h.done(w, r, err, threadOf(r), commentNext(r, id), "The comment is shown again.")
}

func (h *Handler) handleDismiss(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := h.svc.Dismiss(r.Context(), id)
	h.done(w, r, err, threadOf(r), back(r, "/moderation"), "The reports are dismissed; the comment stays as it is.")
}

// reasonOf reads a required reason, bounded.
func reasonOf(r *http.Request, missing string) (string, error) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	bad := map[string]string{}
	limit(bad, "reason", reason, maxReason, "The reason")
	if reason == "" {
		bad["reason"] = missing
	}
	return reason, errs.Fields(bad)
}
