package messagingapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// TagNamer turns a tag's id (from a link .../api/v1/tags/<id>) into its
// name, which is what a broadcast's tag target holds. app passes the people
// service's tags; a caller who may not list tags gets its refusal.
type TagNamer func(ctx context.Context, id string) (string, error)

// Handler serves the messages part of the OSDI API.
type Handler struct {
	svc    *messaging.Service
	tags   TagNamer
	public string // the site's address, e.g. "https://act.example.org"
	base   string // public + "/api/v1"
	curies []hal.Link
}

// NewHandler returns the API handlers for svc. tags resolves tag links;
// publicURL is the site's address (config.PublicURL()): links in responses
// are absolute under it.
func NewHandler(svc *messaging.Service, tags TagNamer, publicURL string) *Handler {
	public := strings.TrimRight(publicURL, "/")
	return &Handler{svc: svc, tags: tags, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs")}
}

// Routes mounts messages and their send and schedule helpers under /api/v1.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/messages", hal.Authenticated(h.handleMessagesList))
	mux.HandleFunc("POST /api/v1/messages", hal.Authenticated(h.handleMessageCreate))
	mux.HandleFunc("GET /api/v1/messages/{id}", hal.Authenticated(h.handleMessageGet))
	mux.HandleFunc("PUT /api/v1/messages/{id}", hal.Authenticated(h.handleMessageUpdate))
	mux.HandleFunc("POST /api/v1/messages/{id}/send", hal.Authenticated(h.handleSend))
	mux.HandleFunc("DELETE /api/v1/messages/{id}/send", hal.Authenticated(h.handleStop))
	mux.HandleFunc("POST /api/v1/messages/{id}/schedule", hal.Authenticated(h.handleSchedule))
	mux.HandleFunc("DELETE /api/v1/messages/{id}/schedule", hal.Authenticated(h.handleUnschedule))
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

// groupOf is the group a request acts for: group_id= when given, else a
// group token's own group, else "" (the network, for admins).
func groupOf(r *http.Request) string {
	if g := r.URL.Query().Get("group_id"); g != "" {
		return g
	}
	if p := auth.PrincipalFrom(r.Context()); p != nil {
		return p.TokenGroupID
	}
	return ""
}
