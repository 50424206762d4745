package eventsweb

import (
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

type checkInPage struct {
	Card
	Event     *events.Event
	Search    string
	Attendees []events.Attendee
	Here      int
	Consent   string
	Who       string // "Their" name, in the walk-in form
}

func (h *Handler) handleCheckInPage(w http.ResponseWriter, r *http.Request) {
	h.checkInPage(w, r, http.StatusOK, nil)
}

// checkInPage renders the door's page; form carries the walk-in form's
// input and errors after a failed POST.
func (h *Handler) checkInPage(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	search := r.URL.Query().Get("q")
	e, list, err := h.svc.Attendees(r.Context(), r.PathValue("id"), search)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := checkInPage{Card: newCard(e), Event: e, Search: search, Attendees: list, Consent: ConsentWording, Who: "Their"}
	for _, a := range list {
		if a.AttendedAt != nil {
			p.Here++
		}
	}
	h.rend.Page(w, r, status, "events/checkin", web.Page{Title: "Check-in: " + e.Title, Data: p, Form: form})
}

// checkInURL is the check-in page, keeping the search.
func checkInURL(id, search string) string {
	u := "/events/" + id + "/checkin"
	if search != "" {
		u += "?q=" + url.QueryEscape(search)
	}
	return u
}

func (h *Handler) handleCheckIn(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.svc.CheckIn(r.Context(), id, r.PostFormValue("person_id")); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	msg := "Checked in."
	if name := r.PostFormValue("name"); name != "" {
		msg = name + " is checked in."
	}
	web.Redirect(w, r, checkInURL(id, r.PostFormValue("q")), msg)
}

func (h *Handler) handleWalkIn(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	g := events.Guest{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Postcode: r.PostFormValue("postcode"),
		EmailConsent: r.PostFormValue("consent") == "true", ConsentWording: ConsentWording}
	if _, err := h.svc.AddWalkIn(r.Context(), id, g); err != nil {
		h.fail(w, r, err, func(code int, form *web.Form) { h.checkInPage(w, r, code, form) })
		return
	}
	web.Redirect(w, r, checkInURL(id, ""), "Added "+g.Name+" and checked them in.")
}
