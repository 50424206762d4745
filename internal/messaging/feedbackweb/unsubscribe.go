package feedbackweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// unsubscribePage is the data of unsubscribe.html.
type unsubscribePage struct {
	*messaging.Unsubscription
	Done bool // just unsubscribed
	Back bool // just resubscribed
}

// What the channel's messages are called on the page.
func (p unsubscribePage) What() string {
	if p.Channel == messaging.ChannelSMS {
		return "text messages"
	}
	return "emails"
}

// handleUnsubscribePage asks before unsubscribing: opening a link (as
// mail scanners do) never changes anything.
func (h *Handler) handleUnsubscribePage(w http.ResponseWriter, r *http.Request) {
	u, err := h.fb.Unsubscription(r.Context(), r.PathValue("token"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	title := "Unsubscribe?"
	if !u.Subscribed {
		title = "You are unsubscribed"
	}
	h.rend.Page(w, r, http.StatusOK, "feedback/unsubscribe", web.Page{Title: title, Data: unsubscribePage{Unsubscription: u,
		Done: !u.Subscribed}})
}

// handleUnsubscribe is RFC 8058's one-click POST (a mail client sends
// "List-Unsubscribe=One-Click") and the page's button alike: either way
// the person asked to stop, so the body is not needed to decide.
func (h *Handler) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	u, err := h.fb.Unsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "feedback/unsubscribe", web.Page{Title: "You are unsubscribed",
		Data: unsubscribePage{Unsubscription: u, Done: true}})
}

// handleResubscribe undoes the link's unsubscription.
func (h *Handler) handleResubscribe(w http.ResponseWriter, r *http.Request) {
	u, err := h.fb.Resubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "feedback/unsubscribe", web.Page{Title: "Welcome back",
		Data: unsubscribePage{Unsubscription: u, Back: true}})
}
