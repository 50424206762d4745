package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestAssets(t *testing.T) {
	a, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	css := a.URL("app.css")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{8}\.css$`).MatchString(css) {
		t.Fatalf("URL(app.css) = %q, want a hashed URL", css)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{file}", a.Handler())

	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantType    string
		wantCaching bool
		wantBody    string
	}{
		{"CSS", "GET", css, 200, "text/css; charset=utf-8", true, ":root"},
		{"JS", "GET", a.URL("app.js"), 200, "text/javascript; charset=utf-8", true, "EventSource"},
		{"LeafletWithLicence", "GET", a.URL("leaflet-1.9.4.js"), 200, "text/javascript; charset=utf-8", true, "Leaflet 1.9.4, a JS library"},
		{"LeafletCSS", "GET", a.URL("leaflet-1.9.4.css"), 200, "text/css; charset=utf-8", true, ".leaflet-pane"},
		{"HEAD", "HEAD", css, 200, "text/css; charset=utf-8", true, ""},
		{"StaleHash", "GET", "/static/app.00000000.css", 404, "", false, ""},
		{"Unhashed", "GET", "/static/app.css", 404, "", false, ""},
		{"Traversal", "GET", "/static/..%2fassets.go", 404, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantType != "" && rec.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", rec.Header().Get("Content-Type"), tt.wantType)
			}
			cc := rec.Header().Get("Cache-Control")
			if immutable := cc == "public, max-age=31536000, immutable"; immutable != tt.wantCaching {
				t.Errorf("Cache-Control = %q, immutable wanted: %v", cc, tt.wantCaching)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body lacks %q", tt.wantBody)
			}
		})
	}
}
