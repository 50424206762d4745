package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// JSON writes v as the response body with the given status. A Content-Type
// already set by the caller (application/hal+json for the OSDI API) is kept;
// otherwise it is application/json.
func JSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		slog.Default().Error("encode json response", slog.String("error", err.Error()))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error":{"code":"internal","message":"Something went wrong on our side."}}` + "\n"))
		return
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonError is the body of every API error.
type jsonError struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is an API error's code, safe message, per-field messages and
// request id.
type ErrorBody struct {
	Code      errs.Code         `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// JSONError writes err as {"error":{"code","message","fields","request_id"}}
// with the status HTTPStatus gives its code. Unauthorized is a plain 401 here
// (API clients do not follow login redirects). Internal errors are logged once,
// with the request id, and their text never reaches the client.
func JSONError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := ErrorDetail(r, err)
	JSON(w, status, jsonError{Error: body})
}

// ErrorDetail is what JSONError writes under "error", and its status, for
// APIs that shape their error bodies otherwise (the OSDI API writes Action
// Network's {"error": "message"} and keeps this under "momentum:error";
// issue 14, apipeople). Internal errors are logged here, once.
func ErrorDetail(r *http.Request, err error) (int, ErrorBody) {
	code := errs.CodeOf(err)
	if code == "" {
		code = errs.Internal
	}
	status := HTTPStatus(code)
	if status == http.StatusInternalServerError {
		code = errs.Internal
		logInternal(loggerFrom(r.Context()), r, err)
	}
	body := ErrorBody{
		Code:      code,
		Message:   errs.MessageOf(err),
		RequestID: RequestID(r.Context()),
	}
	if code != errs.Internal {
		body.Fields = errs.FieldsOf(err)
	}
	return status, body
}

// logInternal is the single place an internal error is logged.
func logInternal(log *slog.Logger, r *http.Request, err error) {
	noteRoute(r)
	text := "<nil>"
	if err != nil {
		text = err.Error()
	}
	log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("request_id", RequestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("route", routeOf(r)),
		slog.String("error", text),
	)
}

// routeOf returns the best known route pattern for r, never its path.
func routeOf(r *http.Request) string {
	if info := infoFrom(r.Context()); info != nil && info.pattern != "" {
		return info.pattern
	}
	return r.Pattern
}
