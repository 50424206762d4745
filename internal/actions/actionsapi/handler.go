// Package actionsapi serves Action Network's petitions, signatures, forms
// and submissions (API v2) under /api/v1, with the signature and submission
// helpers, for the actions capability. It owns no records and no SQL: each
// handler parses the request, calls actions.Service (which checks
// permission and holds the transaction) and writes the resource with
// platform/hal. docs/API.md lists where it differs from Action Network.
//
// Who sees what: a network token (or an admin's session) every petition
// and form; a group's token, or an organiser's session, its group's only.
// An action or response the caller may not see is 403 or 404.
//
// It imports actions and platform packages (auth, errs, hal) only.
package actionsapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Handler serves the actions part of the API.
type Handler struct {
	svc    *actions.Service
	public string
	base   string
	curies []hal.Link
}

// NewHandler returns the API handlers for svc; publicURL is the site's address.
func NewHandler(svc *actions.Service, publicURL string) *Handler {
	public := strings.TrimRight(publicURL, "/")
	return &Handler{svc: svc, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs")}
}

// kindInfo names one kind of action in the API's terms.
type kindInfo struct {
	kind        string // actions.KindPetition
	collection  string // "petitions"
	responses   string // "signatures"
	one, many   string // "osdi:petition", "osdi:petitions"
	resp, resps string // "osdi:signature", "osdi:signatures"
	helper      string // "osdi:record_signature_helper"
	total       string // "total_signatures"
}

var (
	petitions = kindInfo{actions.KindPetition, "petitions", "signatures", "osdi:petition", "osdi:petitions",
		"osdi:signature", "osdi:signatures", "osdi:record_signature_helper", "total_signatures"}
	forms = kindInfo{actions.KindForm, "forms", "submissions", "osdi:form", "osdi:forms",
		"osdi:submission", "osdi:submissions", "osdi:record_submission_helper", "total_submissions"}
)

// Routes mounts petitions, signatures, forms and submissions under /api/v1.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/petitions", hal.Authenticated(h.list(petitions)))
	mux.HandleFunc("POST /api/v1/petitions", hal.Authenticated(h.create(petitions)))
	mux.HandleFunc("GET /api/v1/petitions/{id}", hal.Authenticated(h.get(petitions)))
	mux.HandleFunc("PUT /api/v1/petitions/{id}", hal.Authenticated(h.update(petitions)))
	mux.HandleFunc("GET /api/v1/petitions/{id}/signatures", hal.Authenticated(h.responses(petitions)))
	mux.HandleFunc("POST /api/v1/petitions/{id}/signatures", hal.Authenticated(h.respond(petitions)))
	mux.HandleFunc("GET /api/v1/petitions/{id}/signatures/{rid}", hal.Authenticated(h.response(petitions)))
	mux.HandleFunc("GET /api/v1/people/{id}/signatures", hal.Authenticated(h.personResponses(petitions)))

	mux.HandleFunc("GET /api/v1/forms", hal.Authenticated(h.list(forms)))
	mux.HandleFunc("POST /api/v1/forms", hal.Authenticated(h.create(forms)))
	mux.HandleFunc("GET /api/v1/forms/{id}", hal.Authenticated(h.get(forms)))
	mux.HandleFunc("PUT /api/v1/forms/{id}", hal.Authenticated(h.update(forms)))
	mux.HandleFunc("GET /api/v1/forms/{id}/submissions", hal.Authenticated(h.responses(forms)))
	mux.HandleFunc("POST /api/v1/forms/{id}/submissions", hal.Authenticated(h.respond(forms)))
	mux.HandleFunc("GET /api/v1/forms/{id}/submissions/{rid}", hal.Authenticated(h.response(forms)))
	mux.HandleFunc("GET /api/v1/people/{id}/submissions", hal.Authenticated(h.personResponses(forms)))
}

// SignatureResource is the osdi:signature the API would answer for id, read
// as the system: what webhook deliveries carry.
//
// Errors: errs.NotFound (also a form's submission).
func (h *Handler) SignatureResource(ctx context.Context, id string) (any, error) {
	return h.resource(ctx, petitions, id)
}

// SubmissionResource is the osdi:submission the API would answer for id,
// read as the system: what webhook deliveries carry.
//
// Errors: errs.NotFound (also a petition's signature).
func (h *Handler) SubmissionResource(ctx context.Context, id string) (any, error) {
	return h.resource(ctx, forms, id)
}

func (h *Handler) resource(ctx context.Context, k kindInfo, id string) (any, error) {
	a, r, err := h.svc.ResponseOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Kind != k.kind {
		return nil, errs.E(errs.NotFound, "There is no such %s.", strings.TrimSuffix(k.responses, "s"))
	}
	return h.responseResource(k, a.ID, r), nil
}

// link is an absolute link to a path under /api/v1.
func (h *Handler) link(path string) hal.Link { return hal.Link{Href: h.base + path} }

// collection builds a page of a collection for request r.
func (h *Handler) collection(r *http.Request, rel string, p hal.Page, total int, items any) hal.Collection {
	return hal.RequestCollection(h.public, r, rel, p, total, items, "", h.curies)
}

// cursorCollection is a page of a list paged by keyset (hal.RequestCollection).
func (h *Handler) cursorCollection(r *http.Request, rel string, p hal.Page, total int, items any, next string) hal.Collection {
	return hal.RequestCollection(h.public, r, rel, p, total, items, next, h.curies)
}

// noFilter refuses a filter on a collection that cannot be filtered: a
// filter silently ignored would answer every record.
func noFilter(q url.Values) error {
	f, err := hal.FilterParam(q)
	if err == nil && strings.TrimSpace(f) != "" {
		err = errs.E(errs.Invalid, "filter: this collection cannot be filtered; page through it instead.")
	}
	return err
}

// source names the client for the response: "api: <token name>".
func source(ctx context.Context) string {
	name := "api"
	if p := auth.PrincipalFrom(ctx); p != nil && p.Label != "" {
		name = strings.TrimPrefix(p.Label, "token:")
	}
	return "api: " + name
}
