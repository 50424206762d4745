package libraryweb

import (
	"net/http"
	"strconv"

	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

type revisionsPage struct {
	Document  *library.Document
	Revisions []revisionRow
	CanEdit   bool
	// Before is the revision before the current one, the comparison's
	// default start.
	Before int
}

// revisionRow is a revision with the number of the one before it.
type revisionRow struct {
	*library.Revision
	Prev int
}

func (h *Handler) handleRevisions(w http.ResponseWriter, r *http.Request) {
	h.revisions(w, r, http.StatusOK, nil)
}

func (h *Handler) revisions(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	d, rs, err := h.svc.Revisions(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	dv, err := h.svc.Document(r.Context(), d.ID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := revisionsPage{Document: d, CanEdit: dv.CanEdit, Before: d.Revision - 1}
	for _, rv := range rs {
		p.Revisions = append(p.Revisions, revisionRow{Revision: rv, Prev: rv.Number - 1})
	}
	h.rend.Page(w, r, status, "library/revisions", web.Page{Title: "Revisions of " + d.Title, Form: form, Data: p})
}

func (h *Handler) handleDiff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := number(q.Get("from"), "from", true)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	to, err := number(q.Get("to"), "to", true)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	id := r.PathValue("id")
	if from == 0 || to == 0 {
		// Without both, compare the latest revision with the one before.
		dv, err := h.svc.Document(r.Context(), id)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		if to == 0 {
			to = dv.Document.Revision
		}
		if from == 0 {
			from = max(1, to-1)
		}
	}
	c, err := h.svc.Diff(r.Context(), id, from, to)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "library/diff", web.Page{
		Title: "Changes to " + c.Document.Title + " from revision " + strconv.Itoa(from) + " to " + strconv.Itoa(to), Data: c})
}

func (h *Handler) handleRestore(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := number(r.PostFormValue("revision"), "revision", false)
	if err == nil {
		var d *library.Document
		if d, err = h.svc.Restore(r.Context(), id, n); err == nil {
			web.Redirect(w, r, "/library/d/"+id, "Revision "+strconv.Itoa(n)+" is back, as revision "+strconv.Itoa(d.Revision)+".")
			return
		}
	}
	h.fail(w, r, err, func(status int, form *web.Form) { h.revisions(w, r, status, form) })
}
