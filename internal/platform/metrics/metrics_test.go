package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequireToken(t *testing.T) {
	m := New()
	h := RequireToken("s3cret-token-for-prometheus", m.Handler())
	for _, tt := range []struct {
		name, auth string
		want       int
	}{
		{"NoHeader", "", http.StatusUnauthorized},
		{"WrongToken", "Bearer s3cret-token-for-prometheuS", http.StatusUnauthorized},
		{"Prefix", "Bearer s3cret", http.StatusUnauthorized},
		{"NotBearer", "Basic s3cret-token-for-prometheus", http.StatusUnauthorized},
		{"RightToken", "Bearer s3cret-token-for-prometheus", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
			has := strings.Contains(rec.Body.String(), "go_goroutines")
			if has != (tt.want == http.StatusOK) {
				t.Fatalf("metrics in the body: %v, want %v", has, tt.want == http.StatusOK)
			}
		})
	}
}
