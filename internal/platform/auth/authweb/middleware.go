package authweb

import (
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// APITokenHeader is OSDI's header for an API token. "Authorization: Bearer"
// works as well.
const APITokenHeader = "OSDI-API-Token"

const msgMustEnrol = "Administrators of this site must use two-step login. Please set it up to continue."

// Middleware finds who is making each request. A request with an API token
// gets that token's principal (and no viewer); one with a session cookie
// gets the user as web viewer and auth principal. A stale cookie is cleared
// and the request continues anonymous. An admin who must enrol in TOTP is
// sent to /account/totp until they have.
func (h *Handler) Middleware() web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tok, ok := apiToken(r); ok {
				h.serveAPI(w, r, tok, next)
				return
			}
			c, err := r.Cookie(SessionCookie)
			if err != nil || c.Value == "" {
				next.ServeHTTP(w, r)
				return
			}
			u, sess, err := h.svc.Authenticate(r.Context(), c.Value)
			if errs.Is(err, errs.Unauthorized) {
				h.clearCookie(w, r, SessionCookie, "/")
				next.ServeHTTP(w, r)
				return
			}
			if err != nil {
				// The database failing is not a reason to sign people
				// out: keep the cookie and say something went wrong.
				h.rend.Error(w, r, err)
				return
			}
			ctx := web.WithViewer(r.Context(), &web.Viewer{
				UserID: u.ID, Name: u.Name, Email: u.Email,
				Role: string(u.Role), IsAdmin: u.Role == auth.RoleAdmin,
			})
			ctx = auth.WithPrincipal(ctx, auth.PrincipalFor(u, sess))
			ctx = withAccount(ctx, &account{user: u, session: sess, token: c.Value})
			r = r.WithContext(ctx)
			if sess.MustEnrolTOTP && !enrolAllowed(r) {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					web.SetFlash(w, "info", msgMustEnrol)
					http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
					return
				}
				h.rend.Error(w, r, errs.E(errs.Forbidden, msgMustEnrol))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// serveAPI authenticates an API request. A bad token is a JSON 401: API
// clients never get a login page. Under /api it is the API's own error
// (hal.Fail: HAL+JSON, {"error": ...}), as a missing token is (issue 14).
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request, tok string, next http.Handler) {
	t, err := h.svc.AuthenticateAPIToken(r.Context(), tok)
	if err != nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			hal.Fail(w, r, err)
			return
		}
		web.JSONError(w, r, err)
		return
	}
	next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), auth.PrincipalForToken(t))))
}

// apiToken returns the token of an API request, if it carries one.
func apiToken(r *http.Request) (string, bool) {
	if t := strings.TrimSpace(r.Header.Get(APITokenHeader)); t != "" {
		return t, true
	}
	scheme, t, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(t) != "" {
		return strings.TrimSpace(t), true
	}
	return "", false
}

// enrolAllowed lists what an admin who must set up TOTP may still reach:
// the set-up pages themselves, logging out and the static files those pages
// need.
func enrolAllowed(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case p == "/account/totp", strings.HasPrefix(p, "/account/totp/"):
		return true
	case p == "/logout":
		return true
	case strings.HasPrefix(p, "/static/"):
		return true
	}
	return false
}

// RequireUser wraps a page that needs someone signed in. Anonymous GETs are
// redirected to /login?next=<page>; other methods get the 401 page.
func (h *Handler) RequireUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if accountFrom(r.Context()) == nil {
			h.rend.Error(w, r, errs.E(errs.Unauthorized, "Please log in to continue."))
			return
		}
		next(w, r)
	}
}
