// Package webhooksweb is the admin's pages for webhooks (/admin/webhooks:
// endpoints with their health, their deliveries with every attempt and
// response) and the development receiver (/dev/webhook-receiver).
package webhooksweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the pages, to register with rend.Add(Templates, "webhooks").
var Templates, _ = fs.Sub(templateFS, "templates")

// Groups names groups and lists them for the form's choice.
type Groups interface {
	List(ctx context.Context, f groups.Filter) ([]groups.Group, error)
	Names(ctx context.Context, ids []string) (map[string]string, error)
}

// Deps are what the pages need.
type Deps struct {
	Webhooks *webhooks.Service
	Groups   Groups
	Renderer *web.Renderer
}

// Handler serves the pages.
type Handler struct{ d Deps }

// NewHandler returns the handler, or an error naming what is missing.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("webhooksweb.NewHandler", "Webhooks", d.Webhooks, "Groups", d.Groups, "Renderer", d.Renderer); err != nil {
		return nil, err
	}
	return &Handler{d: d}, nil
}

// Routes mounts the admin pages.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/webhooks", h.handleList)
	mux.HandleFunc("POST /admin/webhooks", h.handleCreate)
	mux.HandleFunc("GET /admin/webhooks/{id}", h.handleShow)
	mux.HandleFunc("POST /admin/webhooks/{id}", h.handleUpdate)
	mux.HandleFunc("POST /admin/webhooks/{id}/rotate", h.handleRotate)
	mux.HandleFunc("POST /admin/webhooks/{id}/delete", h.handleDelete)
	mux.HandleFunc("POST /admin/webhooks/{id}/test", h.handleTest)
	mux.HandleFunc("POST /admin/webhooks/deliveries/{id}/retry", h.handleRetry)
}

// kindChoice is one checkbox of the kinds.
type kindChoice struct {
	Value, Label, Hint string
	Checked            bool
}

// kindHints say when a kind is sent, under its box.
var kindHints = map[string]string{
	outbox.PersonCreated:      "someone signs up, RSVPs as a guest or is added (not imports)",
	outbox.PersonUnsubscribed: "someone withdraws their email consent",
	outbox.AttendanceCreated:  "a first RSVP, or a walk-in checked in",
	outbox.RSVPChanged:        "cancelled, moved up from the waitlist, checked in",
	outbox.DecisionClosed:     "a decision closes with its count",
}

func kindChoices(chosen []string) []kindChoice {
	out := make([]kindChoice, 0, len(outbox.Kinds))
	for _, k := range outbox.Kinds {
		out = append(out, kindChoice{Value: k, Label: webhooks.KindLabel(k), Hint: kindHints[k], Checked: slices.Contains(chosen, k)})
	}
	return out
}

type listPage struct {
	Endpoints []webhooks.Endpoint
	Groups    map[string]string // id → name, for the endpoints' groups
	Choices   []groups.Group    // for the form
	Kinds     []kindChoice
	// Created and Secret: an endpoint just made, its secret shown once.
	Created *webhooks.Endpoint
	Secret  string
}

func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, status int, p listPage, form *web.Form) {
	eps, err := h.d.Webhooks.List(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	ids := []string{}
	for _, ep := range eps {
		if ep.GroupID != "" {
			ids = append(ids, ep.GroupID)
		}
	}
	if p.Groups, err = h.d.Groups.Names(r.Context(), ids); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if p.Choices, err = h.d.Groups.List(r.Context(), groups.Filter{Limit: 200}); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	p.Endpoints = eps
	if p.Kinds == nil {
		p.Kinds = kindChoices(nil)
	}
	if form == nil {
		form = web.NewForm(url.Values{"enabled": {"true"}})
	}
	h.d.Renderer.Page(w, r, status, "webhooks/list", web.Page{Title: "Webhooks", Data: p, Form: form})
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	h.renderList(w, r, http.StatusOK, listPage{}, nil)
}

func inputOf(r *http.Request) webhooks.Input {
	return webhooks.Input{GroupID: r.PostForm.Get("group_id"), URL: r.PostForm.Get("url"), Kinds: r.PostForm["kinds"],
		Enabled: r.PostForm.Get("enabled") == "true", Description: r.PostForm.Get("description")}
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	ep, secret, err := h.d.Webhooks.Create(r.Context(), inputOf(r))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.renderList(w, r, http.StatusUnprocessableEntity, listPage{Kinds: kindChoices(r.PostForm["kinds"])},
				web.FormWithError(r.PostForm, err))
			return
		}
		h.d.Renderer.Error(w, r, err)
		return
	}
	// Rendered, not redirected: the secret must not travel in a URL or a
	// cookie, and it is shown only this once.
	w.Header().Set("Cache-Control", "no-store")
	h.renderList(w, r, http.StatusOK, listPage{Created: ep, Secret: secret}, nil)
}

type showPage struct {
	Endpoint  *webhooks.Endpoint
	GroupName string
	Kinds     []kindChoice
	Page      *webhooks.DeliveryPage
	Secret    string // just rotated: shown once
	// MaxAttempts is how many times a delivery is tried.
	MaxAttempts int
}

func (h *Handler) renderShow(w http.ResponseWriter, r *http.Request, status int, id string, p showPage, form *web.Form) {
	ep, err := h.d.Webhooks.Get(r.Context(), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if p.Page, err = h.d.Webhooks.Deliveries(r.Context(), id, max(before, 0), 25); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	if ep.GroupID != "" {
		names, err := h.d.Groups.Names(r.Context(), []string{ep.GroupID})
		if err != nil {
			h.d.Renderer.Error(w, r, err)
			return
		}
		p.GroupName = names[ep.GroupID]
	}
	p.Endpoint, p.MaxAttempts = ep, h.d.Webhooks.MaxAttempts()
	if form == nil {
		v := url.Values{"url": {ep.URL}, "description": {ep.Description}}
		if ep.Enabled {
			v.Set("enabled", "true")
		}
		form = web.NewForm(v)
		p.Kinds = kindChoices(ep.Kinds)
	}
	h.d.Renderer.Page(w, r, status, "webhooks/endpoint", web.Page{Title: "Webhook " + ep.URL, Data: p, Form: form})
}

func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	h.renderShow(w, r, http.StatusOK, r.PathValue("id"), showPage{}, nil)
}

func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id := r.PathValue("id")
	in := inputOf(r)
	in.GroupID = ""
	if _, err := h.d.Webhooks.Update(r.Context(), id, in); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.renderShow(w, r, http.StatusUnprocessableEntity, id, showPage{Kinds: kindChoices(r.PostForm["kinds"])},
				web.FormWithError(r.PostForm, err))
			return
		}
		h.d.Renderer.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/webhooks/"+id, "The endpoint is saved.")
}

func (h *Handler) handleRotate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	secret, err := h.d.Webhooks.Rotate(r.Context(), id)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.renderShow(w, r, http.StatusOK, id, showPage{Secret: secret}, nil)
}

func (h *Handler) handleDelete(w http.ResponseWriter, r *http.Request) {
	if err := h.d.Webhooks.Delete(r.Context(), r.PathValue("id")); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/webhooks", "The endpoint is removed, with its deliveries.")
}

func (h *Handler) handleTest(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := h.d.Webhooks.Test(r.Context(), id); err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/webhooks/"+id, "A test delivery is on its way: it appears below within a few seconds.")
}

func (h *Handler) handleRetry(w http.ResponseWriter, r *http.Request) {
	id, err := h.d.Webhooks.Retry(r.Context(), r.PathValue("id"))
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/webhooks/"+id, "The delivery will be sent again, after those waiting.")
}
