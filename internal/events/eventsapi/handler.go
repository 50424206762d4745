package eventsapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Handler serves the events part of the OSDI API.
type Handler struct {
	svc    *events.Service
	public string // the site's address, e.g. "https://act.example.org"
	base   string // public + "/api/v1"
	curies []hal.Link
}

// NewHandler returns the API handlers for svc. publicURL is the site's
// address (config.PublicURL()); links in responses are absolute under it.
func NewHandler(svc *events.Service, publicURL string) *Handler {
	public := strings.TrimRight(publicURL, "/")
	return &Handler{svc: svc, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs")}
}

// Routes mounts events, attendances and the record attendance helper under
// /api/v1.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/events", hal.Authenticated(h.handleEventsList))
	mux.HandleFunc("POST /api/v1/events", hal.Authenticated(h.handleEventCreate))
	mux.HandleFunc("GET /api/v1/events/{id}", hal.Authenticated(h.handleEventGet))
	mux.HandleFunc("PUT /api/v1/events/{id}", hal.Authenticated(h.handleEventUpdate))
	mux.HandleFunc("GET /api/v1/events/{id}/attendances", hal.Authenticated(h.handleAttendancesList))
	mux.HandleFunc("GET /api/v1/events/{id}/attendances/{attendance}", hal.Authenticated(h.handleAttendanceGet))
	// Action Network's record attendance helper (issue 14), and its older
	// address.
	mux.HandleFunc("POST /api/v1/events/{id}/attendances", hal.Authenticated(h.handleRecordAttendance))
	mux.HandleFunc("POST /api/v1/events/{id}/record_attendance_helper", hal.Authenticated(h.handleRecordAttendance))
	mux.HandleFunc("GET /api/v1/people/{id}/attendances", hal.Authenticated(h.handlePersonAttendances))
}

// fail and decodeJSON are the API's shared helpers (package hal).
var (
	fail       = hal.Fail
	decodeJSON = hal.DecodeJSON
)

// link is an absolute link to a path under /api/v1.
func (h *Handler) link(path string) hal.Link { return hal.Link{Href: h.base + path} }

// collection builds a page of a collection for request r.
func (h *Handler) collection(r *http.Request, rel string, p hal.Page, total int, items any) hal.Collection {
	return hal.RequestCollection(h.public, r, rel, p, total, items, "", h.curies)
}

// consentWording is the wording a "subscribed" status is recorded with:
// the request's consent.wording (Momentum's), else the token's consent
// wording (momentum token create --consent-wording), as Action Network
// records its own forms' wording.
func consentWording(ctx context.Context, sent string) string {
	if sent != "" {
		return sent
	}
	if p := auth.PrincipalFrom(ctx); p != nil {
		return strings.TrimSpace(p.ConsentWording)
	}
	return ""
}

// source names the client for consent records: "api: <token name>".
func source(ctx context.Context) string {
	name := "api"
	if p := auth.PrincipalFrom(ctx); p != nil && p.Label != "" {
		name = strings.TrimPrefix(p.Label, "token:")
	}
	return "api: " + name
}
