package site

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the site's pages, to register with rend.Add(Templates, "site").
var Templates, _ = fs.Sub(templateFS, "templates")

// TopicAnnouncements is the live topic of admin announcements.
const TopicAnnouncements = "announcements"

// Handler serves the home page, the dashboard and the announcements stream.
type Handler struct {
	svc  *Service
	rend *web.Renderer
	live live.Broker
}

// NewHandler returns the site's handlers.
func NewHandler(svc *Service, rend *web.Renderer, b live.Broker) *Handler {
	return &Handler{svc: svc, rend: rend, live: b}
}

// Routes mounts the pages.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.handleHome)
	mux.HandleFunc("GET /dashboard", h.handleDashboard)
	mux.HandleFunc("GET /live/announcements", h.handleAnnouncements)
}

func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "site/home", web.Page{})
}

func (h *Handler) handleDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := h.svc.Dashboard(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	// The dashboard has resolved the viewer's groups: the navigation need
	// not look them up again to know whether to offer Messages.
	if v := web.ViewerFrom(r.Context()); v != nil && !v.IsAdmin {
		v.SetOrganiser(func() bool { return d.Organiser })
	}
	h.rend.Page(w, r, http.StatusOK, "site/dashboard", web.Page{Title: "Dashboard", Data: d})
}

func (h *Handler) handleAnnouncements(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.CanListen(r.Context()); err != nil {
		web.JSONError(w, r, err)
		return
	}
	live.ServeSSE(w, r, h.live, TopicAnnouncements)
}
