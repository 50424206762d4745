package hal

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Name     string `json:"name"`
		Capacity int    `json:"capacity"`
	}
	tests := []struct{ name, in, field, msg string }{
		{"Valid", `{"name": "Ann", "capacity": 3}`, "", ""},
		{"WrongType", `{"capacity": "ten"}`, "capacity", "Expected a number here, not string."},
		{"Empty", ``, "body", "Send a JSON object in the body."},
		{"Syntax", `{"name": }`, "body", "The body is not valid JSON (at byte 10)."},
		{"Trailing", `{"name": "a"} {}`, "body", "The body is not valid JSON: send one JSON object."},
		{"TooBig", `{"name": "` + strings.Repeat("x", MaxBody) + `"}`, "body", "The body is larger than 1 MB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tt.in))
			var v body
			err := DecodeJSON(httptest.NewRecorder(), r, &v)
			if tt.field == "" {
				if err != nil || v.Name != "Ann" || v.Capacity != 3 {
					t.Fatalf("decoded %+v, %v", v, err)
				}
				return
			}
			if got := errs.FieldsOf(err)[tt.field]; got != tt.msg {
				t.Fatalf("field %s: %q, want %q (error %v)", tt.field, got, tt.msg, err)
			}
		})
	}
}

func TestAuthenticated(t *testing.T) {
	h := Authenticated(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	w := httptest.NewRecorder()
	h(w, httptest.NewRequest("GET", "/api/v1/x", nil))
	if w.Code != http.StatusUnauthorized || w.Header().Get("Content-Type") != MediaType || !strings.Contains(w.Body.String(), "OSDI-API-Token") {
		t.Fatalf("without a token: %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	w = httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/api/v1/x", nil)
	h(w, r.WithContext(auth.WithPrincipal(context.Background(), &auth.Principal{Token: true})))
	if w.Code != http.StatusTeapot {
		t.Fatalf("with a token: %d", w.Code)
	}
}

func TestCatchAll(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/people/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("PUT /api/v1/people/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/api/", CatchAll(mux))
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", "/api/v1/people/1", http.StatusMethodNotAllowed, "GET, PUT, HEAD"},
		{"GET", "/api/v1/nothing", http.StatusNotFound, ""},
		{"POST", "/api/v2", http.StatusNotFound, ""},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s %s: not JSON: %s", tt.method, tt.path, w.Body)
		}
		msg, _ := body["error"].(string)
		if w.Code != tt.status || w.Header().Get("Allow") != tt.allow || w.Header().Get("Content-Type") != MediaType || msg == "" {
			t.Errorf("%s %s: %d Allow=%q %s %s", tt.method, tt.path, w.Code, w.Header().Get("Allow"), w.Header().Get("Content-Type"), w.Body)
		}
	}
}

func TestFailShape(t *testing.T) {
	w := httptest.NewRecorder()
	Fail(w, httptest.NewRequest("GET", "/api/v1/x", nil), errs.Fields(map[string]string{"name": "Name it."}))
	var body struct {
		Error    string `json:"error"`
		Momentum struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"momentum:error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 400 || body.Error == "" ||
		body.Momentum.Code != "invalid" || body.Momentum.Fields["name"] != "Name it." {
		t.Fatalf("Fail wrote %d %s", w.Code, w.Body)
	}
}
