package eventsweb_test

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/events"
)

// TestBrowserUpcomingOnAPhone: on a 390 px phone, /events opens on the
// events coming up, and an organiser's event page shows the answers with
// the walk-in labelled; neither page scrolls sideways. (Screenshots go to
// $MOMENTUM_SCREENSHOTS when set.)
func TestBrowserUpcomingOnAPhone(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		ev := s.event(t, "Hackney branch meeting with a rather long title to wrap", events.Public, 0)
		s.run(t, scenario{Name: "WalkIn", As: "orgA", Method: "POST", URL: "/events/" + ev.ID + "/walkin",
			Form: form("name", "Wes Walkin", "email", "wes@example.org"), ExpectedStatus: 303, ExpectedLocation: "/events/" + ev.ID})
		engine := "sqlite"
		if strings.HasPrefix(dbURL, "postgres") {
			engine = "postgres"
		}
		tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true})

		if st := tab.Navigate(s.n.URL + "/events"); st != 200 {
			t.Fatalf("/events: %d", st)
		}
		if got := tab.Text("main"); !strings.Contains(got, "Coming up across the network") || !strings.Contains(got, "Hackney branch meeting") {
			t.Errorf("/events shows\n%s", got)
		}
		fits(t, tab)
		tab.Screenshot("events-upcoming-" + engine + ".png")

		tab.Navigate(s.n.URL + "/login")
		tab.Fill("#f-email", "orgA@example.org")
		tab.Fill("#f-password", password)
		tab.ClickText("main", "Log in")
		if st := tab.Navigate(s.n.URL + "/events/" + ev.ID); st != 200 {
			t.Fatalf("event page: %d", st)
		}
		if got := tab.Text("#answers"); !strings.Contains(got, "Walk-ins") || !strings.Contains(got, "Wes Walkin walk-in checked in") {
			t.Errorf("the answers read\n%s", got)
		}
		fits(t, tab)
		tab.Screenshot("events-answers-" + engine + ".png")
	})
}

// fits fails when the page is wider than the phone.
func fits(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if w := browsertest.Eval[int64](tab, `document.documentElement.scrollWidth`); w > tab.Width() {
		t.Errorf("%s scrolls sideways at %d px: %d px wide", tab.Path(), tab.Width(), w)
	}
}
