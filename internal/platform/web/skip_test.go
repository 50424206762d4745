package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestSkipFor: a request matching a pattern bypasses the middleware (here
// RequireOrigin, which would refuse a cookie-bearing POST without Origin);
// every other request still goes through it, including the same path with
// another method.
func TestSkipFor(t *testing.T) {
	deny := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := SkipFor([]string{"POST /hooks/sms/inbound"}, RequireOrigin(deny, "session"))(ok)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/hooks/sms/inbound", http.StatusOK},
		{"PUT", "/hooks/sms/inbound", http.StatusForbidden},
		{"POST", "/hooks/sms/inbound/x", http.StatusForbidden},
		{"POST", "/account/email", http.StatusForbidden},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, nil)
			r.AddCookie(&http.Cookie{Name: "session", Value: "x"})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d", w.Code, tc.want)
			}
		})
	}
}
