// Package feedbackweb serves what comes back from a broadcast: the
// one-click unsubscribe pages and endpoint (RFC 8058), the open pixel and
// click redirect of tracked broadcasts, and the mail providers' webhooks.
// Every route is public: a recipient's token or a provider's signature is
// the credential, never a session. The admin's list of suppressed
// addresses is here too, behind the policy.
//
// It calls messaging.Feedback and reads providers; it holds no rules.
package feedbackweb

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/messaging/providers"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the pages, to register with rend.Add(Templates, "feedback").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the feedback routes.
type Handler struct {
	fb        *messaging.Feedback
	rend      *web.Renderer
	log       *slog.Logger
	providers map[string]providers.Provider
}

// Deps is everything the handler needs. Feedback and Renderer are
// required; Providers lists the providers whose webhooks are configured
// (a provider not in it answers 404: no secret, no events). Log defaults
// to slog.Default().
type Deps struct {
	Feedback  *messaging.Feedback
	Renderer  *web.Renderer
	Providers []providers.Provider
	Log       *slog.Logger
}

// NewHandler returns the handler, or an error naming what d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("feedbackweb.NewHandler", "Feedback", d.Feedback, "Renderer", d.Renderer); err != nil {
		return nil, err
	}
	h := &Handler{fb: d.Feedback, rend: d.Renderer, log: d.Log, providers: map[string]providers.Provider{}}
	if h.log == nil {
		h.log = slog.Default()
	}
	for _, p := range d.Providers {
		h.providers[p.Name()] = p
	}
	return h, nil
}

// OneClickPatterns are the routes a mail client or provider posts to from
// its own servers, with no cookie and perhaps an Origin of its own: the app
// exempts exactly these from the cross-origin check (SECURITY.md,
// "One-click unsubscribe and webhooks").
var OneClickPatterns = []string{"POST /u/{token}", "POST /hooks/mail/{provider}"}

// Routes mounts the routes.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /u/{token}", h.handleUnsubscribePage)
	mux.HandleFunc("POST /u/{token}", h.handleUnsubscribe)
	mux.HandleFunc("POST /u/{token}/resubscribe", h.handleResubscribe)
	mux.HandleFunc("GET /t/o/{file}", h.handleOpen)
	mux.HandleFunc("GET /t/c/{token}", h.handleClick)
	mux.HandleFunc("POST /hooks/mail/{provider}", h.handleWebhook)
	mux.HandleFunc("GET /admin/suppressions", h.handleSuppressions)
	mux.HandleFunc("POST /admin/suppressions/lift", h.handleLift)
}
