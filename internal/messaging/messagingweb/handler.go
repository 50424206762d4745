package messagingweb

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the messaging pages, to register with
// rend.Add(Templates, "messages").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the messaging pages.
type Handler struct {
	svc       *messaging.Service
	groups    *groups.Service
	people    *people.Service
	events    *events.Service
	decisions *decisions.Service
	rend      *web.Renderer
	live      live.Broker
	zone      *time.Location
}

// Deps is everything the messaging pages need; every field is required.
// Groups, People, Events and Decisions name a broadcast's audience in words
// ("Members of Hackney Momentum") and offer a few of its people to preview
// the mail as.
type Deps struct {
	Messaging *messaging.Service
	Groups    *groups.Service
	People    *people.Service
	Events    *events.Service
	Decisions *decisions.Service
	Renderer  *web.Renderer
	// Live streams a broadcast's progress to its page.
	Live live.Broker
	// Zone is the network's time zone: a scheduled time is read and shown
	// in it.
	Zone *time.Location
}

// NewHandler returns the messaging pages, or an error naming every
// collaborator d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("messagingweb.NewHandler", "Messaging", d.Messaging, "Groups", d.Groups, "People", d.People,
		"Events", d.Events, "Decisions", d.Decisions, "Renderer", d.Renderer, "Live", d.Live, "Zone", d.Zone); err != nil {
		return nil, err
	}
	return &Handler{svc: d.Messaging, groups: d.Groups, people: d.People, events: d.Events, decisions: d.Decisions,
		rend: d.Renderer, live: d.Live, zone: d.Zone}, nil
}

// Routes mounts the pages under /messages and the settings at
// /admin/messaging.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /messages", h.handleList)
	mux.HandleFunc("GET /messages/new", h.handleNew)
	mux.HandleFunc("POST /messages", h.handleCreate)
	mux.HandleFunc("POST /messages/preview", h.handleLivePreview) // app.js: the draft as typed, into the preview frame
	mux.HandleFunc("GET /messages/{id}", h.handleShow)
	mux.HandleFunc("POST /messages/{id}", h.handleSave)
	mux.HandleFunc("GET /messages/{id}/preview", h.handlePreview)
	mux.HandleFunc("GET /messages/{id}/preview/mail", h.handlePreviewMail)
	mux.HandleFunc("POST /messages/{id}/test", h.handleTest)
	mux.HandleFunc("POST /messages/{id}/send", h.handleSend)
	mux.HandleFunc("POST /messages/{id}/schedule", h.handleSchedule)
	mux.HandleFunc("POST /messages/{id}/approve", h.handleApprove)
	mux.HandleFunc("POST /messages/{id}/reject", h.handleReject)
	mux.HandleFunc("POST /messages/{id}/pause", h.control(h.svc.Pause, "Paused. Nobody else gets it until you resume."))
	mux.HandleFunc("POST /messages/{id}/resume", h.control(h.svc.Resume, "Resumed: it carries on where it stopped."))
	mux.HandleFunc("POST /messages/{id}/cancel", h.handleCancel)
	mux.HandleFunc("GET /messages/{id}/stream", h.handleStream)
	mux.HandleFunc("GET /admin/messaging", h.handleSettings)
	mux.HandleFunc("POST /admin/messaging", h.handleSettingsSave)
}

// fail re-renders a form's page with its errors beside the fields (422), or
// shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if len(errs.FieldsOf(err)) > 0 || errs.CodeOf(err) == errs.Invalid {
		render(http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}
