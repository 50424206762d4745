package talkweb

import (
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// handleEditThread saves a thread's new title and opening post (POST
// /talk/t/{id}/edit); a refused edit redraws the thread with the Edit form
// open and its errors.
func (h *Handler) handleEditThread(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	title, body := strings.TrimSpace(r.PostFormValue("title")), r.PostFormValue("body")
	bad := map[string]string{}
	limit(bad, "title", title, maxTitle, "The title")
	limit(bad, "body", body, maxBody, "The opening post")
	if title == "" {
		bad["title"] = "Give the discussion a title."
	}
	if strings.TrimSpace(body) == "" {
		bad["body"] = "Write the opening post."
	}
	err := errs.Fields(bad)
	if err == nil {
		_, err = h.svc.EditThread(r.Context(), id, title, body)
	}
	if err == nil {
		web.Redirect(w, r, threadURL(id, ""), "Your change is saved. The earlier text is kept in the discussion's history.")
		return
	}
	if len(errs.FieldsOf(err)) > 0 && len(id) <= 100 {
		r.PostForm.Set("open", "edit-thread")
	}
	h.done(w, r, err, id, "", "")
}

// threadHistoryPage is a thread's earlier titles and opening posts.
type threadHistoryPage struct {
	Revisions []revisionView
	Back      string
	Zone      string
}

// handleThreadHistory lists a thread's earlier titles and opening posts
// (GET /talk/t/{id}/history).
func (h *Handler) handleThreadHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	revs, err := h.svc.ThreadHistory(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := threadHistoryPage{Zone: web.ZoneLabel(h.zone), Back: threadURL(id, "")}
	for _, rv := range revs {
		p.Revisions = append(p.Revisions, revisionView{Revision: rv, When: h.local(rv.At)})
	}
	h.rend.Page(w, r, http.StatusOK, "talk/thread_history", web.Page{Title: "Earlier versions of a discussion's opening post", Data: p})
}
