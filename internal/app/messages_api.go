package app

import (
	"context"
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging/messagingapi"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// messagesAPIRoutes mounts the messages API (issue 12: Action Network's
// messages, send and schedule helpers) and lists it at the entry point.
func (a *App) messagesAPIRoutes(mux *http.ServeMux) {
	messagingapi.NewHandler(a.Messaging, a.tagName, a.Config.PublicURL()).Routes(mux)
	a.APILink("osdi:messages", "/messages", "Messages: email and SMS broadcasts")
}

// tagName resolves a tag link's id to the tag's name for a message's
// targets, as the tags API does: through the people service's list of
// tags, which only admins and network tokens may read (a group's organiser
// names a tag instead, and reaches only their group's people with it).
func (a *App) tagName(ctx context.Context, id string) (string, error) {
	ts, err := a.People.ListTags(ctx)
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		if t.ID == id {
			return t.Name, nil
		}
	}
	return "", errs.E(errs.NotFound, "There is no such tag.")
}
