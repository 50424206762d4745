package eventsweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// newPage is the event form, for a new event or (Event set) a change, with
// the event's shifts and the form to add one.
type newPage struct {
	GroupID   string
	GroupName string
	Kinds     []kindChoice
	Action    string // where the form posts
	Button    string
	Event     *events.Event // nil: a new event
	Shifts    []shiftCard
	ShiftForm *web.Form
}

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	defaults := url.Values{"group": {q.Get("group")}, "time_zone": {h.svc.Zone().String()}, "kind": {events.KindMeeting},
		"visibility": {events.Public}, "repeat": {"none"}, "repeat_count": {"4"}}
	h.newForm(w, r, http.StatusOK, web.NewForm(defaults))
}

// newForm renders the form for a new event, for the group named in the
// form's "group" value (or the network).
func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	groupID := form.Get("group")
	name, err := h.svc.CreateForm(r.Context(), groupID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	title := "New network event"
	if name != "" {
		title = "New event for " + name
	}
	h.rend.Page(w, r, status, "events/new", web.Page{Title: title,
		Data: newPage{GroupID: groupID, GroupName: name, Kinds: kindChoices(), Action: "/events", Button: "Create the event"}, Form: form})
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in, err := eventInput(r.PostForm)
	if err == nil {
		var e *events.Event
		if e, err = h.svc.Create(r.Context(), in); err == nil {
			web.Redirect(w, r, "/events/"+e.ID, "The event is created.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.newForm(w, r, code, form) })
}

// eventInput reads the new-event form; errors name its fields. The date
// and times are wall-clock times in the chosen zone: the service reads them
// so.
func eventInput(f url.Values) (events.Input, error) {
	bad := map[string]string{}
	in := events.Input{GroupID: f.Get("group"), Title: f.Get("title"), Description: f.Get("description"), Kind: f.Get("kind"),
		TimeZone: f.Get("time_zone"), OnlineURL: f.Get("online_url"), Visibility: f.Get("visibility"),
		Place: events.Place{Name: f.Get("place_name"), Address: f.Get("address"), Postcode: f.Get("postcode")}}
	day, err := time.Parse("2006-01-02", strings.TrimSpace(f.Get("date")))
	if err != nil {
		bad["date"] = "Enter the date, like 2026-03-09."
	} else {
		timebound.Check(bad, "date", day)
	}
	in.Start, in.End = timeSpan(f, day, "start", "end", "the event", bad)
	in.Capacity = readPlaces(f, "capacity", bad)
	switch f.Get("repeat") {
	case "", "none":
	case "weekly", "monthly":
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("repeat_count")))
		if err != nil || n < 2 || n > 52 {
			bad["repeat_count"] = "Repeat between 2 and 52 times."
		}
		in.RRule = fmt.Sprintf("FREQ=%s;COUNT=%d", strings.ToUpper(f.Get("repeat")), n)
	default:
		bad["repeat"] = "Choose whether the event repeats."
	}
	return in, errs.Fields(bad)
}

// timeSpan reads a start and an end time (startField, endField, like
// "19:00") on day, as wall-clock times; an end before the start is the
// next day (22:00 to 01:00). Errors go into bad under the field names.
func timeSpan(f url.Values, day time.Time, startField, endField, what string, bad map[string]string) (start, end time.Time) {
	clock := func(field, missing string) time.Time {
		v := strings.TrimSpace(f.Get(field))
		t, err := time.Parse("15:04", v)
		switch {
		case v == "":
			bad[field] = missing
		case err != nil:
			bad[field] = "Enter a time like 19:00."
		}
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	}
	start = clock(startField, "Say when "+what+" starts.")
	end = clock(endField, "Say when "+what+" ends.")
	if !end.After(start) && bad[startField] == "" && bad[endField] == "" {
		end = end.AddDate(0, 0, 1)
	}
	return start, end
}

// readPlaces reads a number of places; empty is no limit (0).
func readPlaces(f url.Values, field string, bad map[string]string) int {
	c := strings.TrimSpace(f.Get(field))
	if c == "" {
		return 0
	}
	n, err := strconv.Atoi(c)
	if err != nil || n < 0 {
		bad[field] = "Give the number of places, or leave it empty for no limit."
	}
	return n
}
