package authweb

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Cookie names. The session cookie carries the token auth.Login returns; the
// pending cookie carries an MFA-pending session between the password (or
// link) step and the TOTP code, scoped to /login/totp so nothing else sees it.
const (
	SessionCookie = "momentum_session"
	pendingCookie = "momentum_mfa"
	pendingPath   = "/login/totp"
	// DeviceCookie marks a browser that has logged in to an account before,
	// so that strangers' failed attempts cannot lock it out (auth's
	// devices.go). It grants nothing by itself.
	DeviceCookie = "momentum_device"
)

// CredentialCookies are the cookies that carry someone's authority (a
// session, or a log-in waiting for its second factor), for
// web.RequireOrigin: a request carrying one must say where it came from.
func CredentialCookies() []string { return []string{SessionCookie, pendingCookie} }

// maxFormBytes bounds every form body: ours hold a few short fields.
const maxFormBytes = 64 << 10

// Options configures a Handler.
type Options struct {
	// SecureCookies reports whether a request arrived over HTTPS (directly or
	// through a trusted proxy); the cookies are then marked Secure. Nil means
	// never, which suits a plain-HTTP development server only.
	SecureCookies func(*http.Request) bool
	// SiteName is used in page text ("Welcome to …"); "Momentum" when empty.
	SiteName string
	// ClientIP returns the address rate limits count against. Nil uses the
	// connection's remote address; behind a reverse proxy, app passes a
	// function that trusts the proxy's forwarded header.
	ClientIP func(*http.Request) string
}

// Handler serves the account pages and provides the session middleware.
type Handler struct {
	svc  *auth.Service
	rend *web.Renderer
	opts Options
}

// New returns the account pages for svc, drawn with rend (which must have
// Templates added under "auth").
func New(svc *auth.Service, rend *web.Renderer, opts Options) *Handler {
	if opts.SecureCookies == nil {
		opts.SecureCookies = func(*http.Request) bool { return false }
	}
	if opts.SiteName == "" {
		opts.SiteName = "Momentum"
	}
	if opts.ClientIP == nil {
		opts.ClientIP = remoteIP
	}
	return &Handler{svc: svc, rend: rend, opts: opts}
}

// Routes registers every account page on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signup", h.handleSignupForm)
	mux.HandleFunc("POST /signup", h.handleSignup)
	mux.HandleFunc("GET /signup/sent", h.handleSignupSent)
	mux.HandleFunc("GET /verify/{token}", h.handleVerifyForm)
	mux.HandleFunc("POST /verify/{token}", h.handleVerify)

	mux.HandleFunc("GET /login", h.handleLoginForm)
	mux.HandleFunc("POST /login", h.handleLogin)
	mux.HandleFunc("POST /login/link", h.handleLoginLinkRequest)
	mux.HandleFunc("GET /login/sent", h.handleLoginLinkSent)
	mux.HandleFunc("GET /login/link/{token}", h.handleLoginLinkForm)
	mux.HandleFunc("POST /login/link/{token}", h.handleLoginLink)
	mux.HandleFunc("GET /login/totp", h.handleLoginTOTPForm)
	mux.HandleFunc("POST /login/totp", h.handleLoginTOTP)
	mux.HandleFunc("POST /logout", h.handleLogout)

	mux.HandleFunc("GET /forgot", h.handleForgotForm)
	mux.HandleFunc("POST /forgot", h.handleForgot)
	mux.HandleFunc("GET /forgot/sent", h.handleForgotSent)
	mux.HandleFunc("GET /reset/{token}", h.handleResetForm)
	mux.HandleFunc("POST /reset/{token}", h.handleReset)

	mux.HandleFunc("GET /account", h.RequireUser(h.handleAccount))
	mux.HandleFunc("POST /account/password", h.RequireUser(h.handlePasswordChange))
	mux.HandleFunc("POST /account/email", h.RequireUser(h.handleEmailChange))
	// Confirming a new address needs only the mailed token: people often
	// open the mail on another device, where they are not signed in.
	mux.HandleFunc("GET /account/email/{token}", h.handleEmailConfirmForm)
	mux.HandleFunc("POST /account/email/{token}", h.handleEmailConfirm)

	mux.HandleFunc("GET /account/totp", h.RequireUser(h.handleTOTP))
	mux.HandleFunc("POST /account/totp/begin", h.RequireUser(h.handleTOTPBegin))
	mux.HandleFunc("POST /account/totp", h.RequireUser(h.handleTOTPConfirm))
	mux.HandleFunc("POST /account/totp/disable", h.RequireUser(h.handleTOTPDisable))
}

// parseForm reads a POST body of bounded size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return &errs.Error{Code: errs.Invalid, Message: "We could not read that form. Please try again.", Err: err}
	}
	return nil
}

// formError turns an error the person can act on into a form to redraw and
// its status; ok is false for anything else, which goes to rend.Error.
// rename maps the service's field names to this form's, and a field error
// for a name the form does not draw (not in fields) is shown at the top of
// the form rather than lost.
func formError(values url.Values, err error, rename map[string]string, fields ...string) (form *web.Form, status int, ok bool) {
	code := errs.CodeOf(err)
	switch code {
	case errs.Invalid, errs.Conflict:
		status = http.StatusUnprocessableEntity
	case errs.TooMany, errs.Unauthorized, errs.Forbidden:
		status = web.HTTPStatus(code)
	default:
		return nil, 0, false
	}
	drawn := map[string]bool{}
	for _, f := range fields {
		drawn[f] = true
	}
	form = web.NewForm(values)
	for k, msg := range errs.FieldsOf(err) {
		if n, ok := rename[k]; ok {
			k = n
		}
		if !drawn[k] {
			k = ""
		}
		if form.Errors[k] == "" {
			form.Errors[k] = msg
		}
	}
	if len(form.Errors) == 0 {
		form.Errors[""] = errs.MessageOf(err)
	}
	return form, status, true
}

// withoutSecrets returns a copy of values for redrawing a form, with the
// named fields emptied. The field partial never echoes a password, but
// hidden and text fields would.
func withoutSecrets(values url.Values, names ...string) url.Values {
	out := url.Values{}
	for k, v := range values {
		out[k] = v
	}
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// setSession stores a session token in the browser for as long as the
// session lasts at most.
func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, l *auth.Login) {
	h.setCookie(w, r, SessionCookie, "/", l.Token, l.Session.ExpiresAt)
}

func (h *Handler) clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.opts.SecureCookies(r),
	})
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, path, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: path,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.opts.SecureCookies(r),
	}
	if !expires.IsZero() {
		c.Expires = expires
		c.MaxAge = max(int(time.Until(expires).Seconds()), 1)
	}
	http.SetCookie(w, c)
}

// finishLogin completes a password or link login: on to the TOTP step when
// one is due, otherwise the session cookie and the page they wanted. The
// session this browser held before, if any, is ended: a login always starts
// a new session.
func (h *Handler) finishLogin(w http.ResponseWriter, r *http.Request, l *auth.Login, next string) {
	next = web.SafeNext(next, "/dashboard")
	if l.Device != "" {
		h.setCookie(w, r, DeviceCookie, "/", l.Device, time.Now().Add(auth.DeviceTTL))
	}
	if l.NeedsTOTP {
		h.setCookie(w, r, pendingCookie, pendingPath, l.Token, l.Session.ExpiresAt)
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	h.endPrevious(r, l.Token)
	h.setSession(w, r, l)
	web.Redirect(w, r, next, greeting(l))
}

// greeting is the flash a log-in ends with: a newcomer's first session is
// welcomed, later ones are welcomed back (issue 16).
func greeting(l *auth.Login) string {
	if l.First {
		return "Welcome, " + l.User.Name + "."
	}
	return "Welcome back, " + l.User.Name + "."
}

// endPrevious logs out the session this browser arrived with, unless it is
// the new one. Failure is not the person's problem: the old session will
// expire on its own.
func (h *Handler) endPrevious(r *http.Request, newToken string) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" || c.Value == newToken {
		return
	}
	_ = h.svc.Logout(r.Context(), c.Value)
}

// deviceOf is the browser's device cookie, "" when it has none.
func deviceOf(r *http.Request) string {
	if c, err := r.Cookie(DeviceCookie); err == nil {
		return c.Value
	}
	return ""
}

// remoteIP is the connection's address without the port.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// account is what the middleware learnt about a signed-in request.
type account struct {
	user    *auth.User
	session *auth.Session
	token   string
}

type accountKey struct{}

func withAccount(ctx context.Context, a *account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

func accountFrom(ctx context.Context) *account {
	a, _ := ctx.Value(accountKey{}).(*account)
	return a
}

// UserFrom returns the signed-in user the middleware found, or nil for an
// anonymous request (or one made with an API token).
func UserFrom(ctx context.Context) *auth.User {
	if a := accountFrom(ctx); a != nil {
		return a.user
	}
	return nil
}
