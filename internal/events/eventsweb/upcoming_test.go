package eventsweb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// issue 16: /events opens on what is coming up; hosts see the answers.

// eventAt creates an event of group A at postcode, days from now, 19:00
// to 21:00 UTC.
func (s *site) eventAt(t *testing.T, title, visibility, postcode string, days int) *events.Event {
	t.Helper()
	day := time.Now().AddDate(0, 0, days)
	e, err := s.n.App.Events.Create(s.sys, events.Input{GroupID: s.groupA.ID, Title: title, Visibility: visibility,
		Place: events.Place{Name: "Hall", Postcode: postcode},
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// exec runs SQL on the site's database, for what no page does (an event
// in the past, a person's home).
func (s *site) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := s.n.App.DB.Exec(s.sys, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestEventsOpensOnUpcoming: with no postcode asked, /events lists what is
// coming up — near the viewer's home, nearest first, when the network
// knows it; across the network, soonest first, otherwise — and never
// events that are over, cancelled or hidden from the viewer.
func TestEventsOpensOnUpcoming(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		if err := geo.SetDistrict(s.sys, s.n.App.DB.Q(), "N1", geo.Point{Lat: 51.538, Lng: -0.097}, "outcode file"); err != nil {
			t.Fatal(err)
		}
		later := s.eventAt(t, "Hackney later meeting", events.Public, "E8 1DY", 9)
		sooner := s.eventAt(t, "Islington sooner rally", events.Public, "N1 1AA", 3)
		group := s.eventAt(t, "Hackney organisers' huddle", events.Group, "E8 1DY", 4)
		members := s.eventAt(t, "Members' assembly", events.Members, "E8 1DY", 5)
		past := s.eventAt(t, "Last month's social", events.Public, "E8 1DY", 6)
		s.exec(t, `UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?`,
			time.Now().AddDate(0, -1, 0), time.Now().AddDate(0, -1, 0).Add(2*time.Hour), past.ID)
		called := s.eventAt(t, "Called-off canvass", events.Public, "E8 1DY", 7)
		if err := s.n.App.Events.Cancel(s.sys, called.ID); err != nil {
			t.Fatal(err)
		}
		link := func(e *events.Event) string { return `href="/events/` + e.ID + `"` }

		t.Run("AnonymousSeesPublicUpcoming", func(t *testing.T) {
			res := apptest.Get(t, s.clients["anonymous"], s.n.URL+"/events")
			if res.Status != 200 {
				t.Fatalf("status %d\n%.3000s", res.Status, res.Body)
			}
			for _, want := range []string{"<h1>Events</h1>", "Coming up across the network", "2 events, soonest first",
				link(sooner), link(later), `<label for="f-postcode">Your postcode</label>`, `action="/events"`} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("page lacks %s\n%.4000s", want, res.Body)
				}
			}
			for _, e := range []*events.Event{group, members, past, called} {
				if strings.Contains(res.Body, link(e)) {
					t.Errorf("a visitor sees %q", e.Title)
				}
			}
			if strings.Index(res.Body, link(sooner)) > strings.Index(res.Body, link(later)) {
				t.Error("the later event comes first")
			}
			if strings.Contains(res.Body, "New event") {
				t.Error("a visitor is offered a new event")
			}
		})

		t.Run("MemberWithoutHomeSeesTheirGroupsToo", func(t *testing.T) {
			res := apptest.Get(t, s.clients["member"], s.n.URL+"/events")
			for _, e := range []*events.Event{sooner, later, group, members} {
				if !strings.Contains(res.Body, link(e)) {
					t.Errorf("the member does not see %q\n%.4000s", e.Title, res.Body)
				}
			}
			if strings.Contains(res.Body, link(past)) || strings.Contains(res.Body, "New event") {
				t.Errorf("the member sees the past event or a New event button\n%.4000s", res.Body)
			}
		})

		t.Run("MemberWithHomeSeesNearestFirst", func(t *testing.T) {
			s.exec(t, `UPDATE people SET postcode = 'E8 1DY', postcode_district = 'E8' WHERE id = ?`, s.personID(t, "member@example.org"))
			res := apptest.Get(t, s.clients["member"], s.n.URL+"/events")
			if res.Status != 200 {
				t.Fatalf("status %d\n%.3000s", res.Status, res.Body)
			}
			for _, want := range []string{"<h1>Events near you</h1>", "events near E8 1DY", "nearest first, from your postcode",
				`value="E8 1DY"`, "km away", link(sooner), link(later)} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("page lacks %s\n%.4000s", want, res.Body)
				}
			}
			if strings.Index(res.Body, link(later)) > strings.Index(res.Body, link(sooner)) {
				t.Error("the Islington event (3 km off, sooner) comes before the Hackney one (next door)")
			}
			if strings.Contains(res.Body, link(past)) || strings.Contains(res.Body, link(called)) {
				t.Error("the past or cancelled event is listed")
			}
			// The whole network is one link away.
			if !strings.Contains(res.Body, `href="/events?everywhere=1"`) {
				t.Error("no link to the whole network")
			}
			res = apptest.Get(t, s.clients["member"], s.n.URL+"/events?everywhere=1")
			if !strings.Contains(res.Body, "Coming up across the network") || strings.Contains(res.Body, "km away") ||
				strings.Index(res.Body, link(sooner)) > strings.Index(res.Body, link(later)) {
				t.Errorf("everywhere: want the network, soonest first\n%.4000s", res.Body)
			}
			// Another place or radius is one search away, and wins.
			res = apptest.Get(t, s.clients["member"], s.n.URL+"/events?postcode=N1+1AA&within_km=2")
			if !strings.Contains(res.Body, "near N1 1AA") || !strings.Contains(res.Body, link(sooner)) || strings.Contains(res.Body, link(later)) {
				t.Errorf("the search for N1 within 2 km\n%.4000s", res.Body)
			}
		})

		t.Run("OrganisersAndAdminsGetNewEvent", func(t *testing.T) {
			res := apptest.Get(t, s.clients["orgA"], s.n.URL+"/events")
			if !strings.Contains(res.Body, `href="/events/new?group=`+s.groupA.ID+`">New event for Hackney</a>`) || strings.Contains(res.Body, "Islington</a>") {
				t.Errorf("orgA's New event\n%.3000s", res.Body)
			}
			res = apptest.Get(t, s.clients["admin"], s.n.URL+"/events")
			if !strings.Contains(res.Body, `href="/events/new">New event</a>`) {
				t.Errorf("the admin's New event\n%.3000s", res.Body)
			}
			res = apptest.Get(t, s.clients["admin"], s.n.URL+"/events/figures")
			if !strings.Contains(res.Body, `href="/events/new">New event</a>`) {
				t.Errorf("the admin's New event on the figures\n%.3000s", res.Body)
			}
			res = apptest.Get(t, s.clients["orgA"], s.n.URL+"/events/figures?group="+s.groupA.ID)
			if !strings.Contains(res.Body, `href="/events/new?group=`+s.groupA.ID+`">New event for Hackney</a>`) {
				t.Errorf("orgA's New event on the group's figures\n%.3000s", res.Body)
			}
		})
	})
}

// TestEventsPaging: the network's list pages, twenty at a time.
func TestEventsPaging(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		for i := range 22 {
			s.eventAt(t, fmt.Sprintf("Meeting %02d", i), events.Public, "E8 1DY", 2+i)
		}
		c := s.clients["anonymous"]
		res := apptest.Get(t, c, s.n.URL+"/events")
		if !strings.Contains(res.Body, "22 events; showing 1–20") || !strings.Contains(res.Body, "Meeting 19") ||
			strings.Contains(res.Body, "Meeting 20") || !strings.Contains(res.Body, "More events") {
			t.Fatalf("first page\n%.4000s", res.Body)
		}
		res = apptest.Get(t, c, s.n.URL+"/events?offset=20")
		if !strings.Contains(res.Body, "showing 21–22") || !strings.Contains(res.Body, "Meeting 21") ||
			strings.Contains(res.Body, "Meeting 19") || !strings.Contains(res.Body, "Previous") {
			t.Fatalf("second page\n%.4000s", res.Body)
		}
		res = apptest.Get(t, c, s.n.URL+"/events?kind=rally")
		if res.Status != 200 || !strings.Contains(res.Body, "No events coming up") {
			t.Errorf("no rallies: status %d\n%.3000s", res.Status, res.Body)
		}
	})
}

// TestEventsMapOnUpcoming: with a tile server, /events shows the map of
// what is coming up.
func TestEventsMapOnUpcoming(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSiteWith(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
			c.MapTiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
		}})
		ev := s.event(t, "Hackney branch meeting", events.Public, 0)
		res := apptest.Get(t, s.clients["anonymous"], s.n.URL+"/events")
		for _, want := range []string{`id="events-map"`, `id="events-map-points"`, `"url":"/events/` + ev.ID + `"`, "leaflet-1.9.4"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("page lacks %s\n%.3000s", want, res.Body)
			}
		}
	})
}

// TestHostsSeeAnswers: the event's organisers see how the answers stand
// and who answered, walk-ins marked so (here and at the door); members
// and other organisers see neither.
func TestHostsSeeAnswers(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		ev := s.event(t, "Hackney branch meeting", events.Public, 0)
		u := "/events/" + ev.ID
		s.run(t, scenario{Name: "MemberSaysYes", As: "member", Method: "POST", URL: u + "/rsvp", Form: form("status", "accepted"),
			ExpectedStatus: 303, ExpectedLocation: u})
		s.run(t, scenario{Name: "AdminSaysMaybe", As: "admin", Method: "POST", URL: u + "/rsvp", Form: form("status", "tentative"),
			ExpectedStatus: 303, ExpectedLocation: u})
		s.run(t, scenario{Name: "OrgBSaysNo", As: "orgB", Method: "POST", URL: u + "/rsvp", Form: form("status", "declined"),
			ExpectedStatus: 303, ExpectedLocation: u})
		s.run(t, scenario{Name: "WalkIn", As: "orgA", Method: "POST", URL: u + "/walkin", Form: form("name", "Wes Walkin", "email", "wes@example.org"),
			ExpectedStatus: 303, ExpectedLocation: u + "/checkin"})

		for _, sc := range []scenario{
			{Name: "OrganiserSeesFigures", As: "orgA", URL: u, ExpectedStatus: 200,
				ExpectedContent: []string{`<h2 id="answers-h">Answers</h2>`, "<dt>Going</dt><dd>1</dd>", "<dt>Maybe</dt><dd>1</dd>",
					"<dt>Not going</dt><dd>1</dd>", "<dt>Checked in</dt><dd>1</dd>", "<dt>Walk-ins</dt><dd>1</dd>",
					`<strong>Wes Walkin</strong> <span class="muted">walk-in</span> <span class="badge">checked in</span>`,
					`<span class="muted">said yes</span>`, `href="/events/new?group=` + s.groupA.ID + `">New event for Hackney</a>`},
				NotExpectedContent: []string{`Wes Walkin</strong> <span class="muted">said yes`}},
			{Name: "AdminSeesFigures", As: "admin", URL: u, ExpectedStatus: 200,
				ExpectedContent: []string{"<dt>Walk-ins</dt><dd>1</dd>", "Wes Walkin"}},
			{Name: "DoorLabelsWalkIns", As: "orgA", URL: u + "/checkin", ExpectedStatus: 200,
				ExpectedContent:    []string{`<strong>Wes Walkin</strong>` + "\n" + `    <span class="muted">walk-in</span>`},
				NotExpectedContent: []string{`Wes Walkin</strong>` + "\n" + `    <span class="muted">said yes`}},
			{Name: "MemberSeesNoFigures", As: "member", URL: u, ExpectedStatus: 200,
				NotExpectedContent: []string{"Answers</h2>", "Wes Walkin", "<dt>Walk-ins</dt>", "New event"}},
			{Name: "OtherOrganiserSeesNoFigures", As: "orgB", URL: u, ExpectedStatus: 200,
				NotExpectedContent: []string{"Answers</h2>", "Wes Walkin", "<dt>Going</dt>", "New event"}},
			{Name: "VisitorSeesNoFigures", URL: u, ExpectedStatus: 200,
				NotExpectedContent: []string{"Answers</h2>", "Wes Walkin", "<dt>Going</dt>"}},
		} {
			s.run(t, sc)
		}
	})
}
