package opendata

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the open-data page, to register with
// rend.Add(Templates, "opendata").
var Templates, _ = fs.Sub(templateFS, "templates")

// DefaultLicence is the licence the open data is offered under unless
// Deps.Licence names another.
const DefaultLicence = "Creative Commons Attribution 4.0 International (CC BY 4.0)"

// Deps is what the open-data pages and feeds read from. Every field is
// required but Licence and Log.
type Deps struct {
	DB        *db.DB // the search index, for the group feeds
	Decisions *decisions.Service
	Events    *events.Service
	Groups    *groups.Service
	Renderer  *web.Renderer
	// BaseURL is the site's public address (config.Config.PublicURL), for
	// the feeds' absolute links.
	BaseURL  string
	SiteName string
	Licence  string // default DefaultLicence
	Log      *slog.Logger
}

// Handler serves /open-data and the group feeds.
type Handler struct {
	d Deps
}

// NewHandler returns the open-data handler, or an error naming what is
// missing.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("opendata.NewHandler", "DB", d.DB, "Decisions", d.Decisions, "Events", d.Events,
		"Groups", d.Groups, "Renderer", d.Renderer, "BaseURL", d.BaseURL, "SiteName", d.SiteName); err != nil {
		return nil, err
	}
	if d.BaseURL == "" || d.SiteName == "" {
		return nil, fmt.Errorf("opendata.NewHandler: missing BaseURL or SiteName")
	}
	if d.Licence == "" {
		d.Licence = DefaultLicence
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	return &Handler{d: d}, nil
}

// Routes mounts the open-data page, its files and the group feeds.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /open-data", h.handlePage)
	mux.HandleFunc("GET /open-data/decisions.csv", h.handleDecisions(csvFormat))
	mux.HandleFunc("GET /open-data/decisions.json", h.handleDecisions(jsonFormat))
	mux.HandleFunc("GET /open-data/events.csv", h.handleEvents(csvFormat))
	mux.HandleFunc("GET /open-data/events.json", h.handleEvents(jsonFormat))
	mux.HandleFunc("GET /groups/{slug}/feed.atom", h.handleGroupFeed)
}

type page struct {
	Licence, SiteName string
}

// handlePage serves GET /open-data: what is published, under which
// licence, and the files.
func (h *Handler) handlePage(w http.ResponseWriter, r *http.Request) {
	h.d.Renderer.Page(w, r, http.StatusOK, "opendata/index", web.Page{Title: "Open data",
		Data: page{Licence: h.d.Licence, SiteName: h.d.SiteName}})
}
