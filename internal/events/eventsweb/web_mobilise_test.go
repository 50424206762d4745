package eventsweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// TestMobilisePages: changing an event and its shifts, saying yes to a
// shift, the figures, and the cancel link of a confirmation mail.
func TestMobilisePages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		a := s.n.App
		ev := s.event(t, "Hackney branch meeting", events.Public, 0)
		evURL := "/events/" + ev.ID
		date := ev.Start.Format("2006-01-02")
		past, err := a.Events.Create(s.sys, events.Input{GroupID: s.groupA.ID, Title: "Last month's social", Kind: events.KindSocial,
			Place: events.Place{Name: "The Pub"}, Start: time.Now().AddDate(0, -1, 0), End: time.Now().AddDate(0, -1, 0).Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Events.CheckIn(s.sys, past.ID, s.personID(t, "member@example.org")); err != nil {
			t.Fatal(err)
		}
		full := form("group", s.groupA.ID, "title", "Hackney branch meeting", "kind", "meeting", "date", date, "start", "19:30", "end", "21:30",
			"time_zone", "Europe/London", "place_name", "Round Chapel", "postcode", "E8 1DY", "visibility", "public")

		for _, sc := range []scenario{
			{Name: "EditRefusedToMembers", As: "member", URL: evURL + "/edit", ExpectedStatus: 403},
			{Name: "EditRefusedToOtherOrganisers", As: "orgB", URL: evURL + "/edit", ExpectedStatus: 403},
			{Name: "EditNeedsLogin", URL: evURL + "/edit", ExpectedStatus: 303, ExpectedLocation: "/login?next="},
			{Name: "EditForm", As: "orgA", URL: evURL + "/edit", ExpectedStatus: 200,
				ExpectedContent: []string{"<h1>Change Hackney branch meeting</h1>", `action="/events/` + ev.ID + `/edit"`, `value="Hackney branch meeting"`,
					`value="19:00"`, `value="` + date + `"`, "Save the changes", "Volunteer shifts", "No shifts yet.",
					`<label for="f-shift_title">What the shift is</label>`, `action="/events/` + ev.ID + `/shifts"`}},
			{Name: "ShowLinksToEdit", As: "orgA", URL: evURL, ExpectedStatus: 200, ExpectedContent: []string{`href="/events/` + ev.ID + `/edit"`}},
			{Name: "UpdateRefusedToOtherOrganisers", As: "orgB", Method: "POST", URL: evURL + "/edit", Form: full, ExpectedStatus: 403},
			{Name: "UpdateErrorsByField", As: "orgA", Method: "POST", URL: evURL + "/edit",
				Form: form("title", "", "date", date, "start", "19:00", "end", "21:00", "postcode", "nowhere", "place_name", "Round Chapel"), ExpectedStatus: 422,
				ExpectedContent: []string{"Give the event a title.", "This is not a UK postcode.", `value="nowhere"`, `value="Round Chapel"`}},
			{Name: "Update", As: "orgA", Method: "POST", URL: evURL + "/edit", Form: full, ExpectedStatus: 303, ExpectedLocation: evURL,
				ExpectedFlash: "The event is changed."},
			{Name: "UpdatedTime", URL: evURL, ExpectedStatus: 200, ExpectedContent: []string{"19:30–21:30"}},

			{Name: "AddShiftRefusedToMembers", As: "member", Method: "POST", URL: evURL + "/shifts",
				Form: form("date", date, "shift_title", "Setting up", "shift_start", "19:30", "shift_end", "20:00"), ExpectedStatus: 403},
			{Name: "AddShiftErrorsByField", As: "orgA", Method: "POST", URL: evURL + "/shifts",
				Form: form("date", date, "shift_title", "", "shift_start", "18:00", "shift_end", "7pm", "shift_capacity", "2"), ExpectedStatus: 422,
				ExpectedContent: []string{"Enter a time like 19:00.", `value="18:00"`, `aria-describedby="f-shift_end-hint f-shift_end-error"`}},
			{Name: "AddShiftOutsideTheEvent", As: "orgA", Method: "POST", URL: evURL + "/shifts",
				Form: form("date", date, "shift_title", "Early", "shift_start", "18:00", "shift_end", "19:00"), ExpectedStatus: 422,
				ExpectedContent: []string{"A shift must fall within the event", `value="Early"`}},
			{Name: "AddShift", As: "orgA", Method: "POST", URL: evURL + "/shifts",
				Form:           form("date", date, "shift_title", "Setting up", "shift_start", "19:30", "shift_end", "20:00", "shift_capacity", "2"),
				ExpectedStatus: 303, ExpectedLocation: evURL + "/edit#shifts", ExpectedFlash: "The shift Setting up is added."},
			{Name: "ShiftsShown", As: "member", URL: evURL, ExpectedStatus: 200,
				ExpectedContent: []string{"Volunteer shifts", "Setting up", "19:30–20:00 · 2 places left", `name="shift_id"`, `aria-label="Yes to the shift Setting up"`}},
			{Name: "ShiftsShownToVisitors", URL: evURL, ExpectedStatus: 200,
				ExpectedContent: []string{"Setting up", "to sign up for a shift"}, NotExpectedContent: []string{`name="shift_id"`}},
		} {
			t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
		}

		v, err := a.Events.View(s.sys, ev.ID)
		if err != nil || len(v.Shifts) != 1 {
			t.Fatalf("shifts: %+v %v", v, err)
		}
		shiftID := v.Shifts[0].ID
		for _, sc := range []scenario{
			{Name: "YesToShift", As: "member", Method: "POST", URL: evURL + "/rsvp", Form: form("shift_id", shiftID, "status", "accepted"),
				ExpectedStatus: 303, ExpectedLocation: evURL + "#shifts", ExpectedFlash: "you&#39;re down for the shift"},
			{Name: "ShiftAnswerShown", As: "member", URL: evURL, ExpectedStatus: 200,
				ExpectedContent: []string{"You're down for this shift.", "1 place left", "I can't do it"}},
			{Name: "RemoveShiftRefusedToMembers", As: "member", Method: "POST", URL: evURL + "/shifts/" + shiftID + "/delete", ExpectedStatus: 403},
			{Name: "RemoveShift", As: "orgA", Method: "POST", URL: evURL + "/shifts/" + shiftID + "/delete",
				ExpectedStatus: 303, ExpectedFlash: "The shift is removed"},

			{Name: "FiguresNeedLogin", URL: "/events/figures", ExpectedStatus: 303, ExpectedLocation: "/login?next="},
			{Name: "NetworkFiguresRefusedToOrganisers", As: "orgA", URL: "/events/figures", ExpectedStatus: 403},
			{Name: "GroupFiguresRefusedToMembers", As: "member", URL: "/events/figures?group=" + s.groupA.ID, ExpectedStatus: 403},
			{Name: "GroupFiguresRefusedToOtherOrganisers", As: "orgB", URL: "/events/figures?group=" + s.groupA.ID, ExpectedStatus: 403},
			{Name: "NetworkFigures", As: "admin", URL: "/events/figures", ExpectedStatus: 200,
				ExpectedContent: []string{"<h1>Mobilisation figures</h1>", "By group", "<th scope=\"row\">Hackney</th><td>1</td><td>1</td><td>1</td><td>100%</td>",
					"By kind of event", "<th scope=\"row\">Social</th>", "By month", `<label for="f-from">From</label>`}},
			{Name: "GroupFigures", As: "orgA", URL: "/events/figures?group=" + s.groupA.ID, ExpectedStatus: 200,
				ExpectedContent:    []string{"<h1>Mobilisation figures: Hackney</h1>", "By kind of event", `name="group" value="` + s.groupA.ID + `"`},
				NotExpectedContent: []string{"By group"}},
			{Name: "FiguresBadDate", As: "admin", URL: "/events/figures?from=soon", ExpectedStatus: 422, ExpectedContent: []string{"Enter a date like 2026-03-09."}},
			{Name: "DashboardLinksFigures", As: "orgA", URL: "/dashboard", ExpectedStatus: 200,
				ExpectedContent: []string{"<h2>Mobilisation figures</h2>", `href="/events/figures?group=` + s.groupA.ID + `"`}},
			{Name: "DashboardNoFiguresForMembers", As: "member", URL: "/dashboard", ExpectedStatus: 200, NotExpectedContent: []string{"Mobilisation figures"}},
		} {
			t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
		}

		t.Run("CancelLink", func(t *testing.T) {
			member := s.personID(t, "member@example.org")
			s.run(t, scenario{Name: "Yes", As: "member", Method: "POST", URL: evURL + "/rsvp", Form: form("status", "accepted"), ExpectedStatus: 303})
			ms, err := a.Mail.Outbox(s.sys, mail.OutboxFilter{Related: "events.confirmed", To: "member@example.org", Limit: 1})
			if err != nil || len(ms) != 1 || ms[0].Subject != "You're coming to Hackney branch meeting" ||
				!strings.Contains(ms[0].Text, s.n.URL+evURL+".ics") || !strings.Contains(ms[0].Text, "service message") {
				t.Fatalf("the confirmation: %+v %v", ms, err)
			}
			_, rest, _ := strings.Cut(ms[0].Text, s.n.URL+"/rsvp/")
			link := "/rsvp/" + strings.Fields(rest)[0]
			s.run(t, scenario{Name: "Show", URL: link, ExpectedStatus: 200,
				ExpectedContent: []string{"Hackney branch meeting", `action="` + link + `"`, "Yes, I can't come any more"}})
			if got := answer(t, s, ev.ID, member); got != events.Accepted {
				t.Fatalf("opening the link changed the answer to %s", got)
			}
			s.run(t, scenario{Name: "Cancel", Method: "POST", URL: link, ExpectedStatus: 200, ExpectedContent: []string{"Thank you for telling us"}})
			if got := answer(t, s, ev.ID, member); got != events.Declined {
				t.Fatalf("after the cancel: %s", got)
			}
			s.run(t, scenario{Name: "UsedUp", Method: "POST", URL: link, ExpectedStatus: 404, ExpectedContent: []string{"This link has expired or has already been used."}})
			s.run(t, scenario{Name: "BadToken", URL: "/rsvp/nonsense", ExpectedStatus: 404})
		})
	})
}

// answer is a person's answer to an event itself.
func answer(t *testing.T, s *site, eventID, personID string) string {
	t.Helper()
	rs, err := s.n.App.Events.RSVPs(auth.WithSystem(context.Background()), eventID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.PersonID == personID && r.ShiftID == "" {
			return r.Status
		}
	}
	return ""
}
