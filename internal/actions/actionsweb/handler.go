package actionsweb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed embed.js
var embedScript string

// Templates are the actions pages, to register with rend.Add(Templates, "actions").
var Templates, _ = fs.Sub(templateFS, "templates")

// EmbedPatterns are the routes another site's page posts to (the embeds'
// submissions): routes.go passes them through the cross-origin check. They
// carry no cookie (NoCookies) and are protected by the signed form token,
// the honeypot, the minimum fill time and the rate per address.
var EmbedPatterns = []string{"POST /embed/act/{slug}", "POST /embed/events/{id}"}

// Groups are the groups the viewer organises, for the new-action form.
type Groups interface {
	MyGroups(ctx context.Context) ([]groups.Membership, error)
}

// Deps is everything the actions pages need; all are required but Now.
type Deps struct {
	Actions  *actions.Service
	Events   *events.Service
	Groups   Groups
	Renderer *web.Renderer
	Live     live.Broker
	// BaseURL is the site's public address: the embeds post to it from
	// other sites, and share links and Open Graph cards name it.
	BaseURL  string
	SiteName string
	// FormKey signs form tokens (at least 32 bytes; the same on every node).
	FormKey []byte
	// ClientIP is the address a response is rate-limited by (the app's,
	// which knows whether to trust a proxy's X-Forwarded-For).
	ClientIP func(*http.Request) string
	Now      func() time.Time
}

// Handler serves the actions pages and embeds.
type Handler struct {
	svc      *actions.Service
	events   *events.Service
	groups   Groups
	rend     *web.Renderer
	live     live.Broker
	base     string
	siteName string
	tokens   tokens
	clientIP func(*http.Request) string
	rsvpRate *rateLimiter
}

// NewHandler returns the actions pages, or an error naming what d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("actionsweb.NewHandler", "Actions", d.Actions, "Events", d.Events, "Groups", d.Groups,
		"Renderer", d.Renderer, "Live", d.Live); err != nil {
		return nil, err
	}
	var missing []string
	if d.BaseURL == "" {
		missing = append(missing, "BaseURL")
	}
	if len(d.FormKey) < 32 {
		missing = append(missing, "FormKey (32 bytes)")
	}
	if d.ClientIP == nil {
		missing = append(missing, "ClientIP")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("actionsweb.NewHandler: missing %s", strings.Join(missing, ", "))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SiteName == "" {
		d.SiteName = "Momentum"
	}
	return &Handler{svc: d.Actions, events: d.Events, groups: d.Groups, rend: d.Renderer, live: d.Live,
		base: strings.TrimSuffix(d.BaseURL, "/"), siteName: d.SiteName,
		tokens: tokens{key: d.FormKey, now: d.Now}, clientIP: d.ClientIP,
		rsvpRate: newRateLimiter(30, time.Hour, d.Now)}, nil
}

// Routes mounts the organiser pages (/actions), the public pages (/act)
// and the embeds (/embed/act, /embed/events).
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /actions", h.handleList)
	mux.HandleFunc("GET /actions/new", h.handleNew)
	mux.HandleFunc("POST /actions", h.handleCreate)
	mux.HandleFunc("GET /actions/{id}", h.handleManage)
	mux.HandleFunc("GET /actions/{id}/edit", h.handleEdit)
	mux.HandleFunc("POST /actions/{id}", h.handleUpdate)
	mux.HandleFunc("POST /actions/{id}/status", h.handleStatus)
	mux.HandleFunc("GET /actions/{id}/responses", h.handleResponses)
	mux.HandleFunc("GET /actions/{id}/responses.csv", h.handleResponsesCSV)

	mux.HandleFunc("GET /act/{slug}", h.handlePublic)
	mux.HandleFunc("POST /act/{slug}", h.handleSign)
	// One pattern for /act/{slug}/thanks, /act/{slug}/live and
	// /act/confirm/{token}: two patterns would overlap on
	// /act/confirm/thanks, which ServeMux refuses.
	mux.HandleFunc("GET /act/{slug}/{page}", h.handleActSub)

	mux.HandleFunc("GET /embed/act/{slug}", h.handleEmbedAct) // also {slug}.js, the script
	mux.HandleFunc("GET /embed/act/{slug}/token", h.handleEmbedActToken)
	mux.HandleFunc("POST /embed/act/{slug}", h.handleEmbedActPost)
	mux.HandleFunc("OPTIONS /embed/act/{slug}", h.handlePreflight)
	mux.HandleFunc("GET /embed/events/{id}", h.handleEmbedEvent) // also {id}.js
	mux.HandleFunc("GET /embed/events/{id}/token", h.handleEmbedEventToken)
	mux.HandleFunc("POST /embed/events/{id}", h.handleEmbedEventPost)
	mux.HandleFunc("OPTIONS /embed/events/{id}", h.handlePreflight)
}

// NoCookies strips cookies (and so the session) from every request under
// /embed/: an embed answers anonymous visitors of other sites, and a
// visitor who happens to be signed in here must not lend it their account.
// Put it before the session middleware.
func NoCookies() web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/embed/") {
				r.Header.Del("Cookie")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// fail re-renders a form's page with its errors beside the fields (422),
// or shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if errs.CodeOf(err) == errs.Invalid {
		form := web.FormWithError(r.PostForm, err)
		form.Errors = formNames(form.Errors)
		render(http.StatusUnprocessableEntity, form)
		return
	}
	h.rend.Error(w, r, err)
}

// formNames renames the service's field names to the form's:
// answers.<key> is a_<key>, questions.<n>.<field> is q_<field>_<n>,
// consent is email_opt_in.
func formNames(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[formName(k)] = v
	}
	return out
}

func formName(k string) string {
	switch {
	case k == "consent":
		return "email_opt_in"
	case strings.HasPrefix(k, "answers."):
		return "a_" + strings.TrimPrefix(k, "answers.")
	case strings.HasPrefix(k, "questions."):
		parts := strings.Split(k, ".")
		if len(parts) == 3 {
			return "q_" + parts[2] + "_" + parts[1]
		}
		if len(parts) == 2 {
			return "q_key_" + parts[1]
		}
	}
	return k
}

// originHost is the host of the request's Origin ("" when there is none).
func originHost(r *http.Request) string {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return ""
	}
	u, err := url.Parse(o)
	if err != nil {
		return ""
	}
	return u.Host
}

// sameSite reports whether r came from a page of this site (its Origin is
// our BaseURL's).
func (h *Handler) sameSite(r *http.Request) bool {
	b, err := url.Parse(h.base)
	if err != nil {
		return false
	}
	return originHost(r) != "" && originHost(r) == b.Host
}

// validHost reports whether s looks like a host name (for the source label
// an iframe passes on).
func validHost(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}
