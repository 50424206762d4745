package feedbackweb

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// suppressionsPage is the data of suppressions.html.
type suppressionsPage struct {
	Items  []messaging.Suppression
	Search string
	Next   string // the next page's link, "" at the end
}

// handleSuppressions lists suppressed addresses (admins).
func (h *Handler) handleSuppressions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	items, next, err := h.fb.Suppressions(r.Context(), messaging.SuppressionFilter{Search: q.Get("q"), After: q.Get("after")})
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := suppressionsPage{Items: items, Search: q.Get("q")}
	if next != "" {
		p.Next = "/admin/suppressions?" + url.Values{"q": {p.Search}, "after": {next}}.Encode()
	}
	h.rend.Page(w, r, http.StatusOK, "feedback/suppressions", web.Page{Title: "Suppressed addresses", Data: p})
}

// handleLift lifts one suppression (admins) and goes back to the list.
func (h *Handler) handleLift(w http.ResponseWriter, r *http.Request) {
	addr := r.PostFormValue("address")
	if err := h.fb.Unsuppress(r.Context(), addr); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.SetFlash(w, "success", fmt.Sprintf("Broadcasts may go to %s again.", addr))
	http.Redirect(w, r, "/admin/suppressions", http.StatusSeeOther)
}
