package peopleapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Handler serves the people part of the OSDI API.
type Handler struct {
	svc    *people.Service
	public string // the site's address, e.g. "https://act.example.org"
	base   string // public + "/api/v1"
	curies []hal.Link
	// SiteName is the network's name, which GET /metadata answers as
	// Action Network answers its group's; default "Momentum".
	SiteName string
}

// originSystem is the origin_system of every resource Momentum writes.
const originSystem = "Momentum"

// NewHandler returns the API handlers for svc. publicURL is the site's
// address (config.PublicURL()); links in responses are absolute under it.
func NewHandler(svc *people.Service, publicURL string) *Handler {
	public := strings.TrimRight(publicURL, "/")
	return &Handler{svc: svc, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs"), SiteName: "Momentum"}
}

// Routes mounts people, tags, taggings, lists, queries, metadata and the
// signup helper under /api/v1, at Action Network's paths (issue 14).
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/people", hal.Authenticated(h.handlePeopleList))
	mux.HandleFunc("POST /api/v1/people", hal.Authenticated(h.handleSignup))
	mux.HandleFunc("POST /api/v1/people/person_signup_helper", hal.Authenticated(h.handleSignup))
	mux.HandleFunc("GET /api/v1/people/{id}", hal.Authenticated(h.handlePersonGet))
	mux.HandleFunc("PUT /api/v1/people/{id}", hal.Authenticated(h.handlePersonUpdate))
	mux.HandleFunc("GET /api/v1/people/{id}/taggings", hal.Authenticated(h.handlePersonTaggings))
	mux.HandleFunc("GET /api/v1/tags", hal.Authenticated(h.handleTagsList))
	mux.HandleFunc("POST /api/v1/tags", hal.Authenticated(h.handleTagCreate))
	mux.HandleFunc("GET /api/v1/tags/{id}", hal.Authenticated(h.handleTagGet))
	mux.HandleFunc("GET /api/v1/tags/{id}/taggings", hal.Authenticated(h.handleTaggingsList))
	mux.HandleFunc("POST /api/v1/tags/{id}/taggings", hal.Authenticated(h.handleTaggingCreate))
	mux.HandleFunc("GET /api/v1/tags/{id}/taggings/{tagging}", hal.Authenticated(h.handleTaggingGet))
	mux.HandleFunc("DELETE /api/v1/tags/{id}/taggings/{tagging}", hal.Authenticated(h.handleTaggingDelete))
	mux.HandleFunc("GET /api/v1/lists", hal.Authenticated(h.handleListsList))
	mux.HandleFunc("GET /api/v1/lists/{id}", hal.Authenticated(h.handleListGet))
	mux.HandleFunc("GET /api/v1/lists/{id}/items", hal.Authenticated(h.handleListItems))
	mux.HandleFunc("GET /api/v1/lists/{id}/items/{item}", hal.Authenticated(h.handleListItem))
	mux.HandleFunc("GET /api/v1/queries", hal.Authenticated(h.handleQueriesList))
	mux.HandleFunc("GET /api/v1/queries/{id}", hal.Authenticated(h.handleQueryGet))
	mux.HandleFunc("GET /api/v1/metadata", hal.Authenticated(h.handleMetadata))
	mux.HandleFunc("GET /api/v1/metadata/custom_fields", hal.Authenticated(h.handleCustomFields))
}

// pairID is the one-part id of a resource that joins two records (a
// tagging: tag and person; a list item: list and person): the two ids
// joined by "_", which no Momentum id holds, so that an identifier
// "momentum:<pair>" has no second colon and its last part is the id its
// URL uses.
func pairID(a, b string) string { return a + "_" + b }

// splitPair undoes pairID; a bare id (no "_") is taken as the second part
// (the person), as links written before issue 14 held.
func splitPair(id string) (first, second string) {
	if a, b, ok := strings.Cut(id, "_"); ok {
		return a, b
	}
	return "", id
}

// fail and decodeJSON are the API's shared helpers (package hal).
var (
	fail       = hal.Fail
	decodeJSON = hal.DecodeJSON
)

// link is an absolute link to a path under /api/v1.
func (h *Handler) link(path string) hal.Link { return hal.Link{Href: h.base + path} }

// personIDFromHref takes the id out of a person's link, absolute or not:
// ".../api/v1/people/<id>".
func personIDFromHref(href string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	_, id, ok := strings.Cut(strings.TrimRight(u.Path, "/"), "/people/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// collection builds a page of a collection for request r; next is the
// keyset cursor of the following page (hal.RequestCollection).
func (h *Handler) collection(r *http.Request, rel string, p hal.Page, total int, items any, next string) hal.Collection {
	return hal.RequestCollection(h.public, r, rel, p, total, items, next, h.curies)
}
