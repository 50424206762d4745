package decisionsweb

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestPagesInTheNetworksZone: a network in New York enters and reads its
// decisions' times in New York time (MOMENTUM_TIME_ZONE), not London's.
func TestPagesInTheNetworksZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSiteIn(t, d, "America/New_York")
		g := s.group(t, "Brooklyn Tenants")
		org := s.person(t, "Olu Organiser", auth.RoleMember, "member")
		s.join(t, g, org, "organiser")
		s.run(t, scenario{Name: "FormSaysTheZone", As: &org, URL: "/decisions/new?group=" + g + "&kind=proposal", ExpectedStatus: 200,
			ExpectedContent: []string{"When voting opens and closes (New York time)"}, NotExpectedContent: []string{"London"}})
		form := url.Values{"group": {g}, "kind": {"proposal"}, "title": {"Rent strike in June"},
			"opens_date": {"2026-06-03"}, "opens_time": {"10:00"}, "closes_date": {"2026-06-05"}, "closes_time": {"21:30"}}
		res := s.do("POST", "/decisions", form, &org)
		if res.Code != 303 {
			t.Fatalf("create: %d\n%s", res.Code, res.Body)
		}
		id := strings.TrimPrefix(res.Header().Get("Location"), "/decisions/")
		dec, err := s.svc.Get(org.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		// New York in June is UTC-4.
		if want := time.Date(2026, 6, 6, 1, 30, 0, 0, time.UTC); !dec.ClosesAt.Equal(want) {
			t.Errorf("closes at %v, want %v: 21:30 in New York", dec.ClosesAt, want)
		}
		s.run(t, scenario{Name: "PageShowsTheZone", As: &org, URL: "/decisions/" + id, ExpectedStatus: 200,
			ExpectedContent:    []string{"Wed 3 Jun 2026, 10:00 New York time", "Fri 5 Jun 2026, 21:30 New York time"},
			NotExpectedContent: []string{"London time"}})
	})
}
