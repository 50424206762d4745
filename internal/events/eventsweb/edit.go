package eventsweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	h.editForm(w, r, http.StatusOK, nil, nil)
}

// editForm renders the event form for changing an event, with its shifts;
// form is the event form's input after a failed POST (nil: the event as
// stored), shiftForm the add-a-shift form's.
func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, form, shiftForm *web.Form) {
	v, err := h.svc.Edit(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	e := v.Event
	if form == nil {
		form = web.NewForm(eventValues(e))
	}
	if shiftForm == nil {
		shiftForm = web.NewForm(url.Values{"shift_start": {e.Start.Format("15:04")}, "shift_end": {e.End.Format("15:04")}})
	}
	h.rend.Page(w, r, status, "events/new", web.Page{Title: "Change " + e.Title, Form: form,
		Data: newPage{GroupID: e.GroupID, GroupName: v.GroupName, Kinds: kindChoices(), Event: e, Shifts: shiftCards(v.Shifts),
			Action: "/events/" + e.ID + "/edit", Button: "Save the changes", ShiftForm: shiftForm}})
}

// eventValues fills the event form from a stored event, in its own zone.
func eventValues(e *events.Event) url.Values {
	v := url.Values{"group": {e.GroupID}, "title": {e.Title}, "description": {e.Description}, "kind": {e.Kind},
		"date": {e.Start.Format("2006-01-02")}, "start": {e.Start.Format("15:04")}, "end": {e.End.Format("15:04")},
		"time_zone": {e.TimeZone}, "place_name": {e.Place.Name}, "address": {e.Place.Address}, "postcode": {e.Place.Postcode},
		"online_url": {e.OnlineURL}, "visibility": {e.Visibility}, "repeat": {"none"}, "repeat_count": {"4"}}
	if e.Capacity > 0 {
		v.Set("capacity", strconv.Itoa(e.Capacity))
	}
	// The form makes FREQ=WEEKLY;COUNT=n and FREQ=MONTHLY;COUNT=n; other
	// rules (from the API) show as not repeating and are kept unless the
	// organiser chooses a repeat.
	for _, part := range strings.Split(e.RRule, ";") {
		k, val, _ := strings.Cut(part, "=")
		switch k {
		case "FREQ":
			if val == "WEEKLY" || val == "MONTHLY" {
				v.Set("repeat", strings.ToLower(val))
			}
		case "COUNT":
			v.Set("repeat_count", val)
		}
	}
	if e.RRule != "" && v.Get("repeat") == "none" {
		v.Set("rrule", e.RRule)
	}
	return v
}

func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id := r.PathValue("id")
	in, err := eventInput(r.PostForm)
	if in.RRule == "" {
		in.RRule = r.PostForm.Get("rrule") // a rule the form cannot show, kept
	}
	if err == nil {
		if _, err = h.svc.Update(r.Context(), id, in); err == nil {
			web.Redirect(w, r, "/events/"+id, "The event is changed. Anyone who said they're coming is told if the time or place changed.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.editForm(w, r, code, form, nil) })
}

// shiftCard is a shift as the pages show it.
type shiftCard struct {
	ID, Title, When, Places string
	Full                    bool
	Answer                  string // the viewer's answer: accepted, waitlisted, tentative, declined or ""
}

func shiftCards(shifts []events.Shift) []shiftCard {
	out := make([]shiftCard, len(shifts))
	for i, sh := range shifts {
		// issue 16: the formatting layer, in the event's own zone.
		c := shiftCard{ID: sh.ID, Title: sh.Title, When: web.Clock(sh.Start, nil) + "–" + web.Clock(sh.End, nil), Full: sh.Full()}
		if sh.End.Format("2006-01-02") != sh.Start.Format("2006-01-02") {
			c.When = web.DayTime(sh.Start, nil) + " to " + web.DayTime(sh.End, nil)
		}
		switch left := sh.Left(); {
		case left < 0:
			c.Places = "no limit"
		case left == 0 && sh.Waitlisted > 0:
			c.Places = "full: " + strconv.Itoa(sh.Waitlisted) + " on the waiting list"
		case left == 0:
			c.Places = "full"
		case left == 1:
			c.Places = "1 place left"
		default:
			c.Places = strconv.Itoa(left) + " places left"
		}
		out[i] = c
	}
	return out
}

func (h *Handler) handleAddShift(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id := r.PathValue("id")
	in, err := shiftInput(r.PostForm)
	if err == nil {
		if _, err = h.svc.AddShift(r.Context(), id, in); err == nil {
			web.Redirect(w, r, "/events/"+id+"/edit#shifts", "The shift "+strings.TrimSpace(in.Title)+" is added.")
			return
		}
	}
	if len(errs.FieldsOf(err)) > 0 {
		h.editForm(w, r, http.StatusUnprocessableEntity, nil, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}

// shiftInput reads the add-a-shift form: times on the event's first day
// (an end before the start is the next day); the service checks they fall
// within the event.
func shiftInput(f url.Values) (events.ShiftInput, error) {
	bad := map[string]string{}
	in := events.ShiftInput{Title: f.Get("shift_title")}
	day, err := time.Parse("2006-01-02", f.Get("date"))
	if err != nil {
		bad["shift_start"] = "The event's date is missing: reload the page and try again."
	}
	in.Start, in.End = timeSpan(f, day, "shift_start", "shift_end", "the shift", bad)
	in.Capacity = readPlaces(f, "shift_capacity", bad)
	return in, errs.Fields(bad)
}

func (h *Handler) handleRemoveShift(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.svc.RemoveShift(r.Context(), id, r.PathValue("shift")); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/events/"+id+"/edit#shifts", "The shift is removed; anyone who had said yes to it is told.")
}
