package events

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestEventsTakeTheNetworksZone: in a network in New York
// (MOMENTUM_TIME_ZONE), an event given no zone is in New York and its
// wall-clock times are read there; one given a zone keeps it.
func TestEventsTakeTheNetworksZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		e := newEnvIn(t, d, ny)
		g := e.group(t, "brooklyn")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, g, org, "organiser")
		in := e.meeting(g, 0) // 19:00–21:00 wall clock on 9 March 2026
		in.Place.Postcode = ""
		ev := e.mustCreate(t, org.ctx, in)
		if ev.TimeZone != "America/New_York" {
			t.Errorf("time zone %q, want the network's America/New_York", ev.TimeZone)
		}
		// 9 March 2026 is after the US clocks change (8 March): UTC-4.
		if want := time.Date(2026, 3, 9, 23, 0, 0, 0, time.UTC); !ev.Start.Equal(want) {
			t.Errorf("starts %v, want %v (19:00 in New York)", ev.Start.UTC(), want)
		}
		in.TimeZone = "Europe/London"
		if ev := e.mustCreate(t, org.ctx, in); ev.TimeZone != "Europe/London" || !ev.Start.Equal(time.Date(2026, 3, 9, 19, 0, 0, 0, time.UTC)) {
			t.Errorf("given Europe/London: %s at %v", ev.TimeZone, ev.Start.UTC())
		}
	})
}
