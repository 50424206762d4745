package eventsweb_test

import (
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestNetworkTimeZone: in a network whose MOMENTUM_TIME_ZONE is
// America/New_York, the new-event form offers New York, and an event made
// with no zone is in New York, shown so on its page.
func TestNetworkTimeZone(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSiteWith(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.TimeZone = "America/New_York" }})
		s.run(t, scenario{Name: "FormDefault", As: "orgA", URL: "/events/new?group=" + s.groupA.ID, ExpectedStatus: 200,
			ExpectedContent: []string{`value="America/New_York"`}})
		e := s.event(t, "Tenants' meeting", "public", 0)
		if e.TimeZone != "America/New_York" {
			t.Fatalf("an event given no zone is in %q, want the network's America/New_York", e.TimeZone)
		}
		s.run(t, scenario{Name: "EventPage", As: "member", URL: "/events/" + e.ID, ExpectedStatus: 200,
			ExpectedContent: []string{"19:00–21:00 New York time"}}) // issue 16: the zone said once, in words
	})
}
