package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestSecurityHeaders(t *testing.T) {
	rend, _ := newTestRenderer(t)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rend.Page(w, r, http.StatusOK, "test/show", Page{Title: "Hello"})
	})
	tests := []struct {
		name     string
		tls      bool
		wantHSTS bool
	}{
		{"PlainHTTP", false, false},
		{"TLS", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := SecurityHeaders(func(*http.Request) bool { return tt.tls })(page)
			rec := serve(h, httptest.NewRequest("GET", "/", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			hdr := rec.Header()
			want := map[string]string{
				"Content-Security-Policy": ContentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"X-Frame-Options":         "DENY",
			}
			for k, v := range want {
				if got := hdr.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if hdr.Get("Permissions-Policy") == "" {
				t.Error("Permissions-Policy missing")
			}
			csp := hdr.Get("Content-Security-Policy")
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe sources: %s", csp)
			}
			for _, d := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("CSP lacks %q", d)
				}
			}
			if got := hdr.Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("HSTS sent = %v, want %v", got, tt.wantHSTS)
			}
		})
	}
}

// TestSecurityHeadersTileOrigin: a map's tile server is added to img-src and
// nowhere else.
func TestSecurityHeadersTileOrigin(t *testing.T) {
	h := SecurityHeaders(nil, "https://*.tile.example.org")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	csp := serve(h, httptest.NewRequest("GET", "/", nil)).Header().Get("Content-Security-Policy")
	want := strings.Replace(ContentSecurityPolicy, "img-src 'self' data:;", "img-src 'self' data: https://*.tile.example.org;", 1)
	if csp != want || csp == ContentSecurityPolicy {
		t.Errorf("CSP = %q, want %q", csp, want)
	}
}

// TestPagesHaveNoInlineCode checks the CSP promise from the other side: the
// layout and pages carry no inline script, style or event handler.
func TestPagesHaveNoInlineCode(t *testing.T) {
	rend, _ := newTestRenderer(t)
	for _, name := range []string{"test/show", "test/signup"} {
		rec := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(WithViewer(r.Context(), &Viewer{Name: "Ada", IsAdmin: true}))
			rend.Page(w, r, http.StatusOK, name, Page{Form: FormWithError(nil, errs.E(errs.Invalid, "bad"))})
		}), httptest.NewRequest("GET", "/", nil))
		body := rec.Body.String()
		mustNotContain(t, body, "<style", " style=", " onclick=", " onsubmit=", "javascript:")
		if n := strings.Count(body, "<script"); n != 1 || !strings.Contains(body, `<script src="/static/app.`) {
			t.Errorf("%s: want exactly one external script, got %d in\n%s", name, n, body)
		}
	}
}

func TestCrossOrigin(t *testing.T) {
	rend, _ := newTestRenderer(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("changed")) })
	h := CrossOrigin(rend.StatusHandler(errs.Forbidden, "This request came from another site."))(ok)
	tests := []struct {
		name       string
		method     string
		headers    map[string]string
		wantStatus int
	}{
		{"CrossSitePOST", "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"OtherOriginPOST", "POST", map[string]string{"Origin": "https://evil.example"}, 403},
		{"SameOriginPOST", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"SameHostOriginPOST", "POST", map[string]string{"Origin": "http://example.com"}, 200},
		{"CrossSiteGET", "GET", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://example.com/events", strings.NewReader("a=b"))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := serve(h, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			body := rec.Body.String()
			if tt.wantStatus == 403 {
				mustContain(t, body, "This request came from another site.", "Request id: <code>"+rec.Header().Get("X-Request-Id"), `<main id="content"`)
				mustNotContain(t, body, "changed")
			} else if body != "changed" {
				t.Errorf("body = %q, want the handler's", body)
			}
		})
	}
}

func TestRequireOrigin(t *testing.T) {
	rend, _ := newTestRenderer(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("changed")) })
	const msg = "Your browser did not say which site this form came from."
	h := Chain(ok, CrossOrigin(rend.StatusHandler(errs.Forbidden, "This request came from another site.")),
		RequireOrigin(rend.StatusHandler(errs.Forbidden, msg), "session"))
	tests := []struct {
		name       string
		method     string
		headers    map[string]string
		cookie     string
		wantStatus int
	}{
		{"NoHeadersWithSessionPOST", "POST", nil, "session", 403},
		{"NoHeadersWithSessionDELETE", "DELETE", nil, "session", 403},
		{"MatchingOriginWithSession", "POST", map[string]string{"Origin": "http://example.com"}, "session", 200},
		{"SameOriginFetchWithSession", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, "session", 200},
		{"OtherOriginWithSession", "POST", map[string]string{"Origin": "https://evil.example"}, "session", 403},
		{"NoHeadersNoCookie", "POST", nil, "", 200},
		{"NoHeadersOtherCookie", "POST", nil, "theme", 200},
		{"NoHeadersWithSessionGET", "GET", nil, "session", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://example.com/events", strings.NewReader("a=b"))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: tt.cookie, Value: "x"})
			}
			rec := serve(h, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus == 403 {
				mustNotContain(t, rec.Body.String(), "changed")
			}
			if tt.name == "NoHeadersWithSessionPOST" {
				mustContain(t, rec.Body.String(), msg)
			}
		})
	}
}

func TestLoggingNeverRecordsPathOrQuery(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/link/{token}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("hi"))
	})
	// WithContext between Logging and the mux copies the request, as the
	// auth middleware will; Routed still carries the pattern out.
	copying := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(WithViewer(r.Context(), &Viewer{Name: "x"})))
		})
	}
	tests := []struct {
		name    string
		handler http.Handler
	}{
		{"MuxDirectly", Chain(mux, RequestIDs(), Logging(log))},
		{"ThroughCopyingMiddleware", Chain(Routed(mux), RequestIDs(), Logging(log), copying)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest("GET", "/auth/link/SECRETTOKEN123?token=QUERYSECRET", nil)
			req.Header.Set("Cookie", "session=COOKIEVALUE")
			rec := httptest.NewRecorder()
			tt.handler.ServeHTTP(rec, req)
			out := logs.String()
			mustContain(t, out, `"route":"GET /auth/link/{token}"`, `"status":418`, `"bytes":2`,
				`"method":"GET"`, `"duration_ms":`, `"request_id":"`+rec.Header().Get("X-Request-Id")+`"`)
			// not "abc": a random hex request id may contain it
			mustNotContain(t, out, "SECRETTOKEN123", "QUERYSECRET", "COOKIEVALUE")
			if n := strings.Count(out, "\n"); n != 1 {
				t.Errorf("want one log line, got %d:\n%s", n, out)
			}
		})
	}
}

func TestRecover(t *testing.T) {
	rend, _ := newTestRenderer(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h := Recover(log, rend.StatusHandler(errs.Internal, ""))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("db password is hunter2")
	}))
	rec := serve(h, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Something went wrong", rec.Header().Get("X-Request-Id"))
	mustNotContain(t, rec.Body.String(), "hunter2")
	mustContain(t, logs.String(), "hunter2", rec.Header().Get("X-Request-Id"))
}

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }),
		mw("outer"), mw("inner"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got := strings.Join(order, ","); got != "outer,inner,handler" {
		t.Errorf("order = %s", got)
	}
}

func TestRequestIDs(t *testing.T) {
	var seen string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) })
	rec := serve(h, httptest.NewRequest("GET", "/", nil))
	rec2 := serve(h, httptest.NewRequest("GET", "/", nil))
	if seen == "" || rec.Header().Get("X-Request-Id") == "" {
		t.Fatal("no request id")
	}
	if seen != rec2.Header().Get("X-Request-Id") || rec.Header().Get("X-Request-Id") == seen {
		t.Errorf("ids should match header per request and differ between requests")
	}
}

func TestRecoverAfterWriteAbortsConnection(t *testing.T) {
	var logs bytes.Buffer
	h := Recover(slog.New(slog.NewTextHandler(&logs, nil)), nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<p>half a pa"))
		panic("boom")
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler so the server drops the connection", v)
		}
		mustContain(t, logs.String(), "boom")
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}
