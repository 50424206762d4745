// Package actionsapi serves Action Network's petitions, signatures, forms
// and submissions (API v2) under /api/v1, with the signature and submission
// helpers, for the actions capability.
package actionsapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
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

// Routes mounts petitions, signatures, forms and submissions under /api/v1.
func (h *Handler) Routes(mux *http.ServeMux) {}

// SignatureResource is the osdi:signature the API would answer for id, read
// as the system: what webhook deliveries carry.
func (h *Handler) SignatureResource(ctx context.Context, id string) (any, error) {
	return nil, errs.E(errs.Internal, "actionsapi: not built yet (issue 14)")
}

// SubmissionResource is the osdi:submission the API would answer for id,
// read as the system: what webhook deliveries carry.
func (h *Handler) SubmissionResource(ctx context.Context, id string) (any, error) {
	return nil, errs.E(errs.Internal, "actionsapi: not built yet (issue 14)")
}
