package eventsweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

// cancelPage is the "I can't come any more" page of a reminder's link.
type cancelPage struct {
	Card
	Token string
	Name  string
	Done  bool
}

// handleCancelLink shows what the link would cancel and a button to
// confirm: opening a link (as mail scanners do) never cancels.
func (h *Handler) handleCancelLink(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	v, err := h.svc.CancelLink(r.Context(), tok)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "events/cancel", web.Page{Title: "Can't come any more?",
		Data: cancelPage{Card: newCard(v.Event), Token: tok, Name: v.Name}})
}

// handleCancelByLink says no for the person the link was sent to. It shows
// the result on its own page: the person may not be signed in, and a
// members' event's page would not open for them.
func (h *Handler) handleCancelByLink(w http.ResponseWriter, r *http.Request) {
	e, err := h.svc.CancelByLink(r.Context(), r.PathValue("token"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "events/cancel", web.Page{Title: "Thank you for telling us",
		Data: cancelPage{Card: newCard(e), Done: true}})
}
