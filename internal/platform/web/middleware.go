package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// Middleware wraps a handler with behaviour shared by every route.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in m. The first middleware listed is the outermost: it sees
// the request first and the response last.
func Chain(h http.Handler, m ...Middleware) http.Handler {
	for i := len(m) - 1; i >= 0; i-- {
		h = m[i](h)
	}
	return h
}

// requestInfo is shared, by pointer, between the Logging middleware and the
// code further in. ServeMux sets Request.Pattern on the request it is given,
// but any middleware that calls WithContext hands the mux a copy, so the
// pattern is carried back out through this record instead.
type requestInfo struct {
	pattern string
	log     *slog.Logger
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// noteRoute records r's route pattern for the request log, if it is known.
func noteRoute(r *http.Request) {
	if info := infoFrom(r.Context()); info != nil && r.Pattern != "" {
		info.pattern = r.Pattern
	}
}

// loggerFrom returns the logger Logging put in ctx, or slog.Default.
func loggerFrom(ctx context.Context) *slog.Logger {
	if info := infoFrom(ctx); info != nil && info.log != nil {
		return info.log
	}
	return slog.Default()
}

// Routed wraps the router (normally the *http.ServeMux) so that Logging
// learns the matched route pattern even when middleware between the two
// copied the request. Put it innermost: Chain(web.Routed(mux), ...).
func Routed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer noteRoute(r) // ServeMux sets r.Pattern in place
		h.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush keeps Server-Sent Events working through the wrapper for code that
// type-asserts http.Flusher rather than using http.ResponseController.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Logging writes one line per request: request id, method, route pattern,
// status, bytes and duration. It logs the route pattern and never the path,
// query, headers, cookies or body: paths carry magic-link tokens and queries
// carry personal data.
func Logging(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			info := &requestInfo{log: log}
			sw := &statusWriter{ResponseWriter: w}
			r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
			defer func() {
				route := info.pattern
				if route == "" {
					route = r.Pattern
				}
				if route == "" {
					route = "(unmatched)"
				}
				status := sw.status
				if status == 0 {
					status = http.StatusOK
				}
				level := slog.LevelInfo
				if status >= 500 {
					level = slog.LevelWarn
				}
				log.LogAttrs(r.Context(), level, "request",
					slog.String("request_id", RequestID(r.Context())),
					slog.String("method", r.Method),
					slog.String("route", route),
					slog.Int("status", status),
					slog.Int64("bytes", sw.bytes),
					slog.Int64("duration_ms", time.Since(start).Milliseconds()),
				)
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// ContentSecurityPolicy is sent on every response. It allows no inline script
// or style, so templates use classes and app.js, never style= or onclick=.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; " +
	"base-uri 'none'; object-src 'none'"

// SecurityHeaders sets the headers every response carries. tls reports
// whether the request reached us over HTTPS (directly or via a trusted proxy);
// only then is Strict-Transport-Security sent, so a plain-HTTP development
// server never pins a browser to HTTPS. imgOrigins are further origins pages
// may load images from (the map's tile server); without them the policy is
// ContentSecurityPolicy. The caller checks them: they go into the header as
// they are.
func SecurityHeaders(tls func(*http.Request) bool, imgOrigins ...string) Middleware {
	csp := ContentSecurityPolicy
	if len(imgOrigins) > 0 {
		csp = strings.Replace(csp, "img-src 'self' data:", "img-src 'self' data: "+strings.Join(imgOrigins, " "), 1)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
			if tls != nil && tls(r) {
				// No includeSubDomains: a self-hosted instance may share a
				// parent domain with sites it does not control.
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin refuses cross-origin unsafe requests (CSRF) with Go's
// http.CrossOriginProtection, answering with onDeny (normally
// Renderer.StatusHandler(errs.Forbidden, ...)). A nil onDeny keeps Go's plain
// 403.
//
// bypass lists route patterns ("POST /u/{token}") let through whatever
// their origin: only routes whose credential is in the request itself (a
// token in the URL, a signature in the body), never a cookie, so that
// another site gains nothing by sending them. SECURITY.md names each.
func CrossOrigin(onDeny http.Handler, bypass ...string) Middleware {
	c := http.NewCrossOriginProtection()
	if onDeny != nil {
		c.SetDenyHandler(onDeny)
	}
	for _, p := range bypass {
		c.AddInsecureBypassPattern(p)
	}
	return c.Handler
}

// RequireOrigin refuses an unsafe request (anything but GET, HEAD and
// OPTIONS) that carries one of credentialCookies and says neither where it
// came from (no Origin) nor how (no Sec-Fetch-Site), answering with onDeny.
//
// Put it after CrossOrigin, which judges the requests that carry either
// header. Go's CrossOriginProtection lets a request with neither through,
// taking it for a non-browser client; but one that carries our session
// cookie comes from a browser, one too old to send either header (every
// current browser sends Origin on a POST), and there a form on another site
// could ride the cookie. A request without those cookies has no one's
// authority to borrow, so scripts and API clients (which send a token
// header, not a cookie) are not affected.
func RequireOrigin(onDeny http.Handler, credentialCookies ...string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				next.ServeHTTP(w, r)
				return
			}
			if r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" {
				next.ServeHTTP(w, r)
				return
			}
			for _, name := range credentialCookies {
				if c, err := r.Cookie(name); err == nil && c.Value != "" {
					onDeny.ServeHTTP(w, r)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Recover turns a panic in a handler into a logged error and, if nothing was
// written yet, the onPanic response (normally
// Renderer.StatusHandler(errs.Internal, "")). If the response had already
// begun, the connection is aborted so the client cannot mistake a truncated
// page for a whole one.
func Recover(log *slog.Logger, onPanic http.Handler) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.LogAttrs(r.Context(), slog.LevelError, "panic",
					slog.String("request_id", RequestID(r.Context())),
					slog.String("route", routeOf(r)),
					slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())),
				)
				if sw.status != 0 {
					panic(http.ErrAbortHandler)
				}
				if onPanic == nil {
					http.Error(w, "Internal Server Error", http.StatusInternalServerError)
					return
				}
				onPanic.ServeHTTP(w, r)
			}()
			next.ServeHTTP(sw, r)
		})
	}
}
