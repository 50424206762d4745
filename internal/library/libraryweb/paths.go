package libraryweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

type pathsPage struct {
	Page         *library.PathsPage
	Visibilities choices
}

func (h *Handler) handlePaths(w http.ResponseWriter, r *http.Request) {
	h.paths(w, r, http.StatusOK, nil)
}

func (h *Handler) paths(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	p, err := h.svc.Paths(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "library/paths", web.Page{Title: "Learning paths", Form: form,
		Data: pathsPage{Page: p, Visibilities: visibilities(true)}})
}

func (h *Handler) handlePathCreate(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.CreatePath(r.Context(), library.PathInput{GroupID: r.PostFormValue("group_id"), Title: r.PostFormValue("title"),
		Description: r.PostFormValue("description"), Visibility: r.PostFormValue("visibility")})
	if err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) { h.paths(w, r, status, form) })
		return
	}
	web.Redirect(w, r, "/library/p/"+p.ID, "Learning path made: now add its documents, in order.")
}

type pathPage struct {
	View *library.PathView
}

func (h *Handler) handlePath(w http.ResponseWriter, r *http.Request) {
	h.path(w, r, http.StatusOK, nil)
}

func (h *Handler) path(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	pv, err := h.svc.Path(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "library/path", web.Page{Title: pv.Path.Title, Form: form, Data: pathPage{View: pv}})
}

func (h *Handler) handleStepAdd(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.svc.AddStep(r.Context(), id, r.PostFormValue("document_id")); err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) { h.path(w, r, status, form) })
		return
	}
	web.Redirect(w, r, "/library/p/"+id, "Step added.")
}

func (h *Handler) handleTick(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	done := r.PostFormValue("done") != "0"
	if err := h.svc.Tick(r.Context(), id, r.PostFormValue("document_id"), done); err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) { h.path(w, r, status, form) })
		return
	}
	msg := "Ticked off. Well done!"
	if !done {
		msg = "Marked as not done yet."
	}
	web.Redirect(w, r, "/library/p/"+id+"#steps", msg)
}
