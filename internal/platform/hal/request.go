package hal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// MaxBody bounds an API request body: a person or an event with every
// field, and a long description, is tens of KB.
const MaxBody = 1 << 20

// Authenticated wraps an API handler that needs an API token (or a
// session): without one the answer is a JSON 401, as at the entry point.
// What the principal may do is the service's call.
func Authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if auth.PrincipalFrom(r.Context()) == nil {
			Fail(w, r, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header."))
			return
		}
		next(w, r)
	}
}

// Fail writes err as Action Network writes errors, {"error": "message"},
// with the status its code maps to; Momentum's code, per-field messages and
// request id follow under "momentum:error". Every error under /api answers
// this shape and HAL+JSON: a missing token, a bad one, an unknown route.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	status, detail := web.ErrorDetail(r, err)
	msg := detail.Message
	if len(detail.Fields) > 0 {
		// A form's "correct the highlighted fields" means nothing to an
		// API client: the message names each field and what is wrong.
		var parts []string
		for _, f := range slices.Sorted(maps.Keys(detail.Fields)) {
			parts = append(parts, f+": "+detail.Fields[f])
		}
		msg = strings.Join(parts, " ")
	}
	w.Header().Set("Content-Type", MediaType)
	web.JSON(w, status, ErrorBody{Error: msg, Momentum: detail})
}

// ErrorBody is an API error as clients read it.
type ErrorBody struct {
	Error    string        `json:"error"`
	Momentum web.ErrorBody `json:"momentum:error"`
}

// CatchAll answers every request under /api/ that mux routes nowhere else:
// a 405 naming the methods the path takes (Allow) when another method
// would have matched, else a 404; both as JSON errors, never HTML. Mount it
// as mux.HandleFunc("/api/", hal.CatchAll(mux)).
func CatchAll(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			if slices.Contains(allow, http.MethodGet) {
				allow = append(allow, http.MethodHead)
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			msg := fmt.Sprintf("%s is not allowed here: use %s.", r.Method, strings.Join(allow, ", "))
			w.Header().Set("Content-Type", MediaType)
			web.JSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: msg,
				Momentum: web.ErrorBody{Code: "method_not_allowed", Message: msg, RequestID: web.RequestID(r.Context())}})
			return
		}
		Fail(w, r, errs.E(errs.NotFound, "There is nothing at %s in this API.", r.URL.Path))
	}
}

// DecodeJSON reads the request body (at most MaxBody bytes) into v. What is wrong comes back as
// errs.Fields naming the field ("person.given_name", "location.postal_code") or "body".
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
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
