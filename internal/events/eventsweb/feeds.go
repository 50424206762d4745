package eventsweb

import (
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleNetworkFeed(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.NetworkFeed(r.Context(), h.siteName+" events")
	h.writeCalendar(w, r, c, err, "", "public, max-age=300")
}

func (h *Handler) handleGroupFeed(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.GroupCalendar(r.Context(), r.PathValue("slug"))
	h.writeCalendar(w, r, c, err, "", "private, max-age=300")
}

// handlePersonFeed serves /calendar/TOKEN.ics: no session, the token is the
// key.
func (h *Handler) handlePersonFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("token"), ".ics")
	if !ok {
		h.rend.NotFound(w, r)
		return
	}
	c, err := h.svc.PersonFeed(r.Context(), token, "My "+h.siteName+" events")
	h.writeCalendar(w, r, c, err, "", "private, no-store")
}

type calendarPage struct {
	HasFeed bool
	URL     string // shown once, just after it is made
	Message string
}

func (h *Handler) handleAccountCalendar(w http.ResponseWriter, r *http.Request) {
	has, err := h.svc.HasFeed(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "events/calendar", web.Page{Title: "Your calendar", Data: calendarPage{HasFeed: has}})
}

func (h *Handler) handleAccountCalendarNew(w http.ResponseWriter, r *http.Request) {
	token, err := h.svc.FeedToken(r.Context(), r.PostFormValue("renew") == "true")
	if errs.Is(err, errs.Conflict) {
		h.rend.Page(w, r, http.StatusConflict, "events/calendar", web.Page{Title: "Your calendar",
			Data: calendarPage{HasFeed: true, Message: errs.MessageOf(err)}})
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	// The address is shown on this answer only: only its hash is kept.
	w.Header().Set("Cache-Control", "no-store")
	h.rend.Page(w, r, http.StatusOK, "events/calendar", web.Page{Title: "Your calendar",
		Data: calendarPage{HasFeed: true, URL: h.base + "/calendar/" + token + ".ics"}})
}
