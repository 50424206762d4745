package eventsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// maxBody bounds a request body: an event with a long description is tens
// of KB.
const maxBody = 1 << 20

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
	mux.HandleFunc("GET /api/v1/events", h.api(h.handleEventsList))
	mux.HandleFunc("POST /api/v1/events", h.api(h.handleEventCreate))
	mux.HandleFunc("GET /api/v1/events/{id}", h.api(h.handleEventGet))
	mux.HandleFunc("PUT /api/v1/events/{id}", h.api(h.handleEventUpdate))
	mux.HandleFunc("GET /api/v1/events/{id}/attendances", h.api(h.handleAttendancesList))
	mux.HandleFunc("GET /api/v1/events/{id}/attendances/{person}", h.api(h.handleAttendanceGet))
	mux.HandleFunc("POST /api/v1/events/{id}/record_attendance_helper", h.api(h.handleRecordAttendance))
}

// api wraps a handler that needs an API token (or a session): without one
// the answer is a JSON 401, as at the entry point.
func (h *Handler) api(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if auth.PrincipalFrom(r.Context()) == nil {
			fail(w, r, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header."))
			return
		}
		next(w, r)
	}
}

// fail writes err as a HAL+JSON error body with the status its code maps to.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Content-Type", hal.MediaType)
	web.JSONError(w, r, err)
}

// decodeJSON reads the request body into v. What is wrong comes back as
// errs.Fields naming the field ("location.postal_code") or "body".
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return errs.Fields(map[string]string{typeErr.Field: fmt.Sprintf("Expected %s here, not %s.", jsonKind(typeErr.Type), typeErr.Value)})
	case errors.As(err, &tooBig):
		return errs.Fields(map[string]string{"body": "The body is larger than 1 MB."})
	case errors.Is(err, io.EOF):
		return errs.Fields(map[string]string{"body": "Send a JSON object in the body."})
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return errs.Fields(map[string]string{"body": fmt.Sprintf("The body is not valid JSON (at byte %d).", syn.Offset)})
	}
	return errs.Fields(map[string]string{"body": "The body is not valid JSON: send one JSON object."})
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int64:
		return "a number"
	}
	return "another type"
}

// link is an absolute link to a path under /api/v1.
func (h *Handler) link(path string) hal.Link { return hal.Link{Href: h.base + path} }

// collection builds a page of a collection for request r.
func (h *Handler) collection(r *http.Request, rel string, p hal.Page, total int, items any) hal.Collection {
	self, _ := url.Parse(h.public + r.URL.Path)
	q := r.URL.Query()
	q.Del("page")
	q.Del("per_page")
	self.RawQuery = q.Encode()
	return hal.NewCollection(rel, self, p, total, items, h.curies)
}

// source names the client for consent records: "api: <token name>".
func source(ctx context.Context) string {
	name := "api"
	if p := auth.PrincipalFrom(ctx); p != nil && p.Label != "" {
		name = strings.TrimPrefix(p.Label, "token:")
	}
	return "api: " + name
}
