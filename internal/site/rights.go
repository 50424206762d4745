package site

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Rights serves a person's data rights on their own record: a download of
// everything held on them (JSON, and a readable page), and erasure.
type Rights struct {
	people *people.Service
	rend   *web.Renderer
}

// NewRights returns the data-rights pages.
func NewRights(p *people.Service, rend *web.Renderer) *Rights { return &Rights{people: p, rend: rend} }

// Routes mounts /account/data and /account/erase.
func (h *Rights) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /account/data", h.handleData)
	mux.HandleFunc("GET /account/data.json", h.handleDataJSON)
	mux.HandleFunc("GET /account/erase", h.handleEraseForm)
	mux.HandleFunc("POST /account/erase", h.handleErase)
}

// myPersonID finds the signed-in account's person record.
func (h *Rights) myPersonID(ctx context.Context) (string, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return "", errs.E(errs.Unauthorized, "Log in to see the data we hold on you.")
	}
	return h.people.PersonIDForUser(ctx, p.UserID)
}

func (h *Rights) export(r *http.Request) (*people.DataExport, error) {
	id, err := h.myPersonID(r.Context())
	if err != nil {
		return nil, err
	}
	return h.people.ExportData(r.Context(), id)
}

func (h *Rights) handleData(w http.ResponseWriter, r *http.Request) {
	x, err := h.export(r)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "site/data", web.Page{Title: "Your data", Data: x})
}

func (h *Rights) handleDataJSON(w http.ResponseWriter, r *http.Request) {
	x, err := h.export(r)
	if err != nil {
		web.JSONError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(x)
}

func (h *Rights) handleEraseForm(w http.ResponseWriter, r *http.Request) {
	if _, err := h.myPersonID(r.Context()); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "site/erase", web.Page{Title: "Erase your data"})
}

func (h *Rights) handleErase(w http.ResponseWriter, r *http.Request) {
	id, err := h.myPersonID(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	_ = r.ParseForm()
	if r.PostForm.Get("confirm") != "erase" {
		form := web.NewForm(r.PostForm)
		form.Errors = map[string]string{"confirm": `Type the word "erase" to confirm.`}
		h.rend.Page(w, r, http.StatusUnprocessableEntity, "site/erase", web.Page{Title: "Erase your data", Form: form})
		return
	}
	if err := h.people.Erase(r.Context(), id); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	// The account is gone with the data: its sessions were deleted, so the
	// cookie no longer works; clear it too.
	http.SetCookie(w, &http.Cookie{Name: "momentum_session", Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	web.Redirect(w, r, "/", "Your data has been erased. Thank you for being part of the network.")
}
