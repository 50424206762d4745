package app

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/decisions/decisionsweb"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// decisionRoutes mounts the decisions pages and API and lists the API's
// collection at the entry point.
func (a *App) decisionRoutes(mux *http.ServeMux, rend *web.Renderer) error {
	if err := rend.Add(decisionsweb.Templates, "decisions"); err != nil {
		return err
	}
	h, err := decisionsweb.NewHandler(a.Decisions, rend, a.Live, a.Zone, a.Talk) // issue 13: Talk, the discussion panel
	if err != nil {
		return err
	}
	h.Routes(mux)
	// issue 13: the decision log's Atom feed (public records only).
	decisionsweb.NewLogFeed(a.Decisions, rend, a.Config.PublicURL(), a.Config.SiteName).Routes(mux)
	decisionsweb.NewAPIHandler(a.Decisions, a.Config.PublicURL()).Routes(mux)
	a.APILink("momentum:decisions", "/decisions", "Decisions: proposals, ballots and elections")
	return nil
}
