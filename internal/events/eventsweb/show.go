package eventsweb

import (
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk/talkweb"
)

type showPage struct {
	Card
	Event   *events.Event
	View    *events.EventView
	Answer  string // the viewer's answer, in words
	Consent string
	Who     string // "Your" name, in the guest form
	Guest   bool   // show the guest form
	Shifts  []shiftCard
	// Discussion is the event's discussion panel (issue 13).
	Discussion *talkweb.Panel
	// Figures and Attendees are for the event's hosts and organisers
	// (issue 16): how the answers stand, and who answered.
	Figures   *events.RSVPFigures
	Attendees []events.Attendee
}

func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutSuffix(r.PathValue("id"), ".ics"); ok {
		c, err := h.svc.EventCalendar(r.Context(), id)
		h.writeCalendar(w, r, c, err, "event.ics", "")
		return
	}
	h.show(w, r, http.StatusOK, nil)
}

// show renders an event's page; form carries the guest form's input and
// errors after a failed RSVP.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	v, err := h.svc.View(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	e := v.Event
	p := showPage{Card: newCard(e), Event: e, View: v, Consent: ConsentWording, Who: "Your",
		Guest: web.ViewerFrom(r.Context()) == nil && e.Visibility == events.Public}
	if v.Mine != nil {
		p.Answer = answerLabel(v.Mine.Status)
	}
	p.Shifts = shiftCards(v.Shifts)
	if web.ViewerFrom(r.Context()) != nil { // issue 16: hosts see the answers, archived events too
		p.Figures, p.Attendees, err = h.svc.Turnout(r.Context(), e.ID)
		if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Unauthorized) {
			err = nil
		}
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
	}
	p.Discussion = h.discussion(r, e) // issue 13
	for i := range p.Shifts {
		p.Shifts[i].Answer = v.MyShifts[p.Shifts[i].ID]
	}
	h.rend.Page(w, r, status, "events/show", web.Page{Title: e.Title, Data: p, Form: form})
}

func (h *Handler) handleRSVP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	status := r.PostFormValue("status")
	var (
		res *events.RSVP
		err error
	)
	if web.ViewerFrom(r.Context()) == nil {
		res, err = h.svc.RSVPAsGuest(r.Context(), id, events.Guest{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
			Postcode: r.PostFormValue("postcode"), Status: status,
			EmailConsent: r.PostFormValue("consent") == "true", ConsentWording: ConsentWording})
	} else {
		res, err = h.svc.RSVP(r.Context(), id, events.RSVPInput{Status: status, ShiftID: r.PostFormValue("shift_id"), Source: "event page"})
	}
	if err != nil {
		h.fail(w, r, err, func(code int, form *web.Form) { h.show(w, r, code, form) })
		return
	}
	if res.ShiftID != "" {
		web.Redirect(w, r, "/events/"+id+"#shifts", shiftMessage(res.Status))
		return
	}
	web.Redirect(w, r, "/events/"+id, rsvpMessage(res.Status))
}

func shiftMessage(status string) string {
	switch status {
	case events.Accepted:
		return "Thank you: you're down for the shift."
	case events.Waitlisted:
		return "The shift is full, so you're on its waiting list: we'll email you if a place comes free."
	}
	return "You're no longer down for the shift."
}

func rsvpMessage(status string) string {
	switch status {
	case events.Accepted:
		return "Thank you: you're coming. See you there!"
	case events.Waitlisted:
		return "The event is full, so you're on the waiting list: we'll email you if a place comes free."
	case events.Tentative:
		return "Thank you: we've noted that you might come."
	}
	return "Thank you for letting us know you can't come."
}

func (h *Handler) handleCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.svc.Cancel(r.Context(), id); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/events/"+id, "The event is cancelled. It stays listed as cancelled, and calendars remove it.")
}
