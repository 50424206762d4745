package eventsweb

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/ical"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the events pages, to register with rend.Add(Templates, "events").
var Templates, _ = fs.Sub(templateFS, "templates")

// ConsentWording is the consent a visitor or walk-in may tick, shown beside
// the box and kept word for word with their consent.
const ConsentWording = "Yes, email me about events and campaigns near me. I can unsubscribe at any time."

// Handler serves the events pages.
type Handler struct {
	svc      *events.Service
	rend     *web.Renderer
	siteName string
	base     string
	tiles    string // the map's tile URL template; empty: no map (Deps.MapTiles)
	attrib   string
	talk     Discussions // issue 13: the discussion panel
}

// Deps is everything the events pages need. Every field is required but
// the map's two.
type Deps struct {
	Events   *events.Service
	Renderer *web.Renderer
	// SiteName names the network's feed ("Tenants United events").
	SiteName string
	// BaseURL is the site's public address, for the private calendar's
	// link.
	BaseURL string
	// MapTiles turns on the map above the search results, drawn in the
	// browser by Leaflet from tiles at this URL template, with
	// MapAttribution shown on it. Empty (the default) means no map: the
	// results are the list alone, which is all a browser without
	// JavaScript ever sees.
	MapTiles, MapAttribution string
	// Discussions is each event's discussion (issue 13: talk.Service).
	Discussions Discussions
}

// NewHandler returns the events pages, or an error naming every required
// collaborator d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("eventsweb.NewHandler", "Events", d.Events, "Renderer", d.Renderer,
		"Discussions", d.Discussions); err != nil { // issue 13: Discussions
		return nil, err
	}
	var missing []string
	if d.SiteName == "" {
		missing = append(missing, "SiteName")
	}
	if d.BaseURL == "" {
		missing = append(missing, "BaseURL")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("eventsweb.NewHandler: missing %s", strings.Join(missing, ", "))
	}
	return &Handler{svc: d.Events, rend: d.Renderer, siteName: d.SiteName, base: strings.TrimSuffix(d.BaseURL, "/"),
		tiles: d.MapTiles, attrib: d.MapAttribution, talk: d.Discussions}, nil
}

// Routes mounts the pages under /events, the group and private feeds,
// /account/calendar, and the cancel links of reminders under /rsvp.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /events", h.handleList)
	mux.HandleFunc("GET /events.ics", h.handleNetworkFeed)
	mux.HandleFunc("GET /events/new", h.handleNew)
	mux.HandleFunc("POST /events", h.handleCreate)
	mux.HandleFunc("GET /events/{id}", h.handleShow) // also {id}.ics, the event's file
	mux.HandleFunc("POST /events/{id}/rsvp", h.handleRSVP)
	mux.HandleFunc("POST /events/{id}/cancel", h.handleCancel)
	mux.HandleFunc("GET /events/{id}/checkin", h.handleCheckInPage)
	mux.HandleFunc("POST /events/{id}/checkin", h.handleCheckIn)
	mux.HandleFunc("POST /events/{id}/walkin", h.handleWalkIn)
	mux.HandleFunc("GET /events/{id}/edit", h.handleEdit)
	mux.HandleFunc("POST /events/{id}/edit", h.handleUpdate)
	mux.HandleFunc("POST /events/{id}/shifts", h.handleAddShift)
	mux.HandleFunc("POST /events/{id}/shifts/{shift}/delete", h.handleRemoveShift)
	mux.HandleFunc("GET /events/figures", h.handleFigures)
	mux.HandleFunc("GET /rsvp/{token}", h.handleCancelLink) // the reminder's "I can't come any more"
	mux.HandleFunc("POST /rsvp/{token}", h.handleCancelByLink)
	mux.HandleFunc("GET /groups/{slug}/events.ics", h.handleGroupFeed)
	mux.HandleFunc("GET /calendar/{token}", h.handlePersonFeed)
	mux.HandleFunc("GET /account/calendar", h.handleAccountCalendar)
	mux.HandleFunc("POST /account/calendar", h.handleAccountCalendarNew)
}

// writeCalendar sends a calendar; filename, when set, makes it a download.
func (h *Handler) writeCalendar(w http.ResponseWriter, r *http.Request, c *ical.Calendar, err error, filename, cache string) {
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	var b strings.Builder
	if err := c.Write(&b); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	if filename != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	if cache != "" {
		w.Header().Set("Cache-Control", cache)
	}
	w.Write([]byte(b.String()))
}

// fail re-renders a form's page with its errors beside the fields (422), or
// shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if len(errs.FieldsOf(err)) > 0 {
		render(http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}
