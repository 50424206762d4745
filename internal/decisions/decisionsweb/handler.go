package decisionsweb

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the decisions pages, to register with
// rend.Add(Templates, "decisions").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the decisions pages.
type Handler struct {
	svc  *decisions.Service
	rend *web.Renderer
	live live.Broker
	zone *time.Location
	talk Discussions // issue 13: the discussion panel
}

// NewHandler returns the decisions pages; b streams live turnout; zone is
// the network's time zone (config.Config.Location), in which people enter
// and read times; talk is each decision's discussion (issue 13).
func NewHandler(svc *decisions.Service, rend *web.Renderer, b live.Broker, zone *time.Location, talk Discussions) (*Handler, error) {
	if zone == nil {
		return nil, fmt.Errorf("decisions pages: no time zone")
	}
	if err := hook.Need("decisionsweb.NewHandler", "Discussions", talk); err != nil { // issue 13
		return nil, err
	}
	return &Handler{svc: svc, rend: rend, live: b, zone: zone, talk: talk}, nil
}

// Routes mounts the pages under /decisions.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /decisions", h.handleList)
	mux.HandleFunc("GET /decisions/log", h.handleLog) // issue 13: the decision log
	mux.HandleFunc("GET /decisions/new", h.handleNew)
	mux.HandleFunc("POST /decisions", h.handleCreate)
	mux.HandleFunc("GET /decisions/{id}", h.handleShow)
	mux.HandleFunc("POST /decisions/{id}/vote", h.handleVote)
	mux.HandleFunc("GET /decisions/{id}/edit", h.handleEdit)
	mux.HandleFunc("POST /decisions/{id}/edit", h.handleUpdate)
	mux.HandleFunc("POST /decisions/{id}/discussion", h.handleStep(stepDiscussion))
	mux.HandleFunc("POST /decisions/{id}/open-nominations", h.handleStep(stepNominations))
	mux.HandleFunc("POST /decisions/{id}/withdraw", h.handleStep(stepWithdraw))
	mux.HandleFunc("POST /decisions/{id}/publish", h.handlePublish)
	mux.HandleFunc("POST /decisions/{id}/nominate", h.handleNominate)
	mux.HandleFunc("POST /decisions/{id}/nominations/{nomination}/second", h.handleSecond)
	mux.HandleFunc("GET /decisions/{id}/turnout/stream", h.handleTurnoutStream)
	mux.HandleFunc("GET /decisions/{id}/results", h.handleResults)
	mux.HandleFunc("GET /decisions/{id}/check", h.handleCheck)
	mux.HandleFunc("GET /decisions/{id}/ballots.blt", h.handleBallots(true))
	mux.HandleFunc("GET /decisions/{id}/ballots.csv", h.handleBallots(false))
}

// local formats a time in the people's zone, saying which (issue 16: the
// one format, web.DateTime).
func (h *Handler) local(t time.Time) string { return web.DateTime(t, h.zone) }

// fail re-renders a form's page with its errors beside the fields (422),
// or shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if len(errs.FieldsOf(err)) > 0 {
		render(http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}
