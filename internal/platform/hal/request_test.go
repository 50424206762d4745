package hal

import (
	"context"
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
