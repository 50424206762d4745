package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestJSONError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		preset     string
		wantStatus int
		wantCode   string
		wantFields map[string]string
		wantLog    bool
	}{
		{"Internal", errors.New("pq: password authentication failed"), "", 500, "internal", nil, true},
		{"Invalid", errs.Fields(map[string]string{"email": "Required."}), "", 400, "invalid", map[string]string{"email": "Required."}, false},
		{"Unauthorized", errs.E(errs.Unauthorized, "Token missing."), "", 401, "unauthorized", nil, false},
		{"NotFoundHAL", errs.E(errs.NotFound, "No such person."), "application/hal+json", 404, "not_found", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.preset != "" {
					w.Header().Set("Content-Type", tt.preset)
				}
				JSONError(w, r, tt.err)
			}), RequestIDs(), Logging(log))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/people/1", nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			wantType := "application/json"
			if tt.preset != "" {
				wantType = tt.preset
			}
			if ct := rec.Header().Get("Content-Type"); ct != wantType {
				t.Errorf("Content-Type = %q, want %q", ct, wantType)
			}
			var body struct {
				Error struct {
					Code      string            `json:"code"`
					Message   string            `json:"message"`
					Fields    map[string]string `json:"fields"`
					RequestID string            `json:"request_id"`
				} `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
			}
			if body.Error.Code != tt.wantCode || body.Error.RequestID != rec.Header().Get("X-Request-Id") || body.Error.Message == "" {
				t.Errorf("error body = %+v", body.Error)
			}
			if len(body.Error.Fields) != len(tt.wantFields) || body.Error.Fields["email"] != tt.wantFields["email"] {
				t.Errorf("fields = %v, want %v", body.Error.Fields, tt.wantFields)
			}
			mustNotContain(t, rec.Body.String(), "pq:", "password authentication")
			if got := strings.Count(logs.String(), "internal error"); got != map[bool]int{true: 1}[tt.wantLog] {
				t.Errorf("internal error logged %d times:\n%s", got, logs.String())
			}
		})
	}
}

func TestJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	JSON(rec, http.StatusCreated, map[string]string{"id": "p1"})
	if rec.Code != 201 || rec.Header().Get("Content-Type") != "application/json" || strings.TrimSpace(rec.Body.String()) != `{"id":"p1"}` {
		t.Errorf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	rec = httptest.NewRecorder()
	JSON(rec, http.StatusOK, func() {}) // cannot be encoded
	if rec.Code != 500 {
		t.Errorf("unencodable value: status = %d, want 500", rec.Code)
	}
}

func TestHTTPStatus(t *testing.T) {
	want := map[errs.Code]int{
		errs.Invalid: 400, errs.Unauthorized: 401, errs.Forbidden: 403, errs.NotFound: 404,
		errs.Conflict: 409, errs.TooMany: 429, errs.Internal: 500, "": 500, "weird": 500,
	}
	for code, status := range want {
		if got := HTTPStatus(code); got != status {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, status)
		}
	}
}
