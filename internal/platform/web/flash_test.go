package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFlashAcrossRedirect follows a real browser-like client (with a cookie
// jar) through POST → 303 → GET → GET: the message shows once, then is gone.
func TestFlashAcrossRedirect(t *testing.T) {
	rend, _ := newTestRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /events", func(w http.ResponseWriter, r *http.Request) {
		Redirect(w, r, "/events/1", "Event <created>.")
	})
	mux.HandleFunc("GET /events/1", func(w http.ResponseWriter, r *http.Request) {
		rend.Page(w, r, http.StatusOK, "test/show", Page{Title: "Event"})
	})
	srv := httptest.NewServer(Chain(mux, RequestIDs()))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}

	var redirects []int
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		redirects = append(redirects, req.Response.StatusCode)
		return nil
	}
	get := func(method, path string) string {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, res.Body)
		return b.String()
	}

	first := get("POST", "/events")
	if len(redirects) != 1 || redirects[0] != http.StatusSeeOther {
		t.Fatalf("redirects = %v, want one 303", redirects)
	}
	mustContain(t, first, `<p class="flash flash--success">Event &lt;created&gt;.</p>`)
	second := get("GET", "/events/1")
	mustNotContain(t, second, "Event &lt;created&gt;.", "flash--")
}

func TestFlashKinds(t *testing.T) {
	tests := []struct{ kind, want string }{
		{"error", "flash--error"},
		{"info", "flash--info"},
		{"success", "flash--success"},
		{`x" onmouseover="alert(1)`, "flash--info"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			rend, _ := newTestRenderer(t)
			set := httptest.NewRecorder()
			SetFlash(set, tt.kind, "Heads up")
			req := httptest.NewRequest("GET", "/", nil)
			for _, c := range set.Result().Cookies() {
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
					t.Errorf("flash cookie attributes: %+v", c)
				}
				req.AddCookie(c)
			}
			rec := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rend.Page(w, r, 200, "test/show", Page{})
			}), req)
			mustContain(t, rec.Body.String(), `class="flash `+tt.want+`">Heads up</p>`)
			mustNotContain(t, rec.Body.String(), "onmouseover")
			cleared := false
			for _, c := range rec.Result().Cookies() {
				cleared = cleared || (c.Name == flashCookie && c.MaxAge < 0)
			}
			if !cleared {
				t.Error("render did not clear the flash cookie")
			}
		})
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/events/1?x=2", "/events/1?x=2"},
		{"", "/dashboard"},
		{"//evil.example/x", "/dashboard"},
		{"/\\evil.example", "/dashboard"},
		{"https://evil.example", "/dashboard"},
		{"events", "/dashboard"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.in, "/dashboard"); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
