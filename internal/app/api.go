package app

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handleAPIEntry serves the API entry point (OSDI's "AEP"): what this server
// offers, as links. Every capability's collection is listed here as it is
// built. A token (or a signed-in session) is required, as for all of /api.
func (a *App) handleAPIEntry(w http.ResponseWriter, r *http.Request) {
	if auth.PrincipalFrom(r.Context()) == nil {
		hal.Fail(w, r, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header."))
		return
	}
	base := a.Config.PublicURL() + "/api/v1"
	links := map[string]any{
		"self":   hal.Link{Href: base, Title: "The API entry point"},
		"curies": hal.Curies(a.Config.PublicURL() + "/api/docs"),
	}
	for rel, l := range a.apiLinks {
		links[rel] = hal.Link{Href: base + l.Href, Title: l.Title}
	}
	hal.Write(w, http.StatusOK, map[string]any{
		"motd":         "Welcome to the " + a.Config.SiteName + " API.",
		"vendor_name":  "Momentum",
		"product_name": "Momentum",
		"osdi_version": "1.1",
		"max_pagesize": hal.MaxPageSize,
		"namespace":    "momentum",
		"_links":       links,
	})
}

// APILink registers a collection for the entry point: rel is its curied
// relation ("osdi:people"), href its path under /api/v1.
func (a *App) APILink(rel, href, title string) {
	if a.apiLinks == nil {
		a.apiLinks = map[string]hal.Link{}
	}
	a.apiLinks[rel] = hal.Link{Href: href, Title: title}
}
