package eventsapi_test

import (
	"testing"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestEventWrites: an event created through the API reads back in OSDI's
// shape, times with the offset of its own zone, shifts embedded; PUT keeps
// what is not sent, frees waitlisted places when capacity grows, and
// cancels; validation errors name the JSON fields.
func TestEventWrites(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney")
		tokenG := e.token(t, "hackney site", g.ID)

		res := e.do(t, "POST", "/api/v1/events", tokenG, `{"title": "Summer rally", "description": "Bring **banners**.",
			"start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z", "momentum:kind": "rally",
			"location": {"venue": "London Fields", "address_lines": ["Richmond Road", "Hackney"], "postal_code": "e8 3eu",
			"location": {"latitude": 51.541, "longitude": -0.060}}, "capacity": 1, "visibility": "private"}`, 200)
		id := idOf(t, res.Body)
		if loc := res.Header.Get("Location"); loc != site+"/api/v1/events/"+id {
			t.Errorf("Location %q", loc)
		}
		want := map[string]any{"title": "Summer rally", "name": "Summer rally", "description": "Bring **banners**.",
			"start_date": "2026-07-04T19:00:00+01:00", "end_date": "2026-07-04T21:00:00+01:00",
			"momentum:time_zone": "Europe/London", "momentum:kind": "rally", "capacity": float64(1),
			"visibility": "private", "momentum:audience": "group", "status": "confirmed", "type": "open",
			"browser_url": site + "/events/" + id, "total_accepted": float64(0)}
		for k, v := range want {
			if res.Body[k] != v {
				t.Errorf("%s = %v, want %v", k, res.Body[k], v)
			}
		}
		loc, _ := res.Body["location"].(map[string]any)
		if loc["venue"] != "London Fields" || loc["postal_code"] != "E8 3EU" || len(loc["address_lines"].([]any)) != 1 ||
			loc["address_lines"].([]any)[0] != "Richmond Road, Hackney" {
			t.Errorf("location = %v", loc)
		}
		if pt, _ := loc["location"].(map[string]any); pt["latitude"] != 51.541 || pt["longitude"] != -0.060 {
			t.Errorf("location.location = %v", loc["location"])
		}
		for rel, href := range map[string]string{"self": site + "/api/v1/events/" + id, "momentum:group": site + "/api/v1/groups/" + g.ID,
			"osdi:attendances": site + "/api/v1/events/" + id + "/attendances", "momentum:ical": site + "/events/" + id + ".ics",
			"osdi:record_attendance_helper": site + "/api/v1/events/" + id + "/attendances"} {
			if got := linkOf(res.Body, rel); got != href {
				t.Errorf("_links[%s] = %q, want %q", rel, got, href)
			}
		}
		if sh := res.items(t, "momentum:shifts"); len(sh) != 0 {
			t.Errorf("shifts of a new event: %v", sh)
		}

		t.Run("ShiftsEmbedded", func(t *testing.T) {
			if _, err := d.Exec(t.Context(), `INSERT INTO event_shifts (id, event_id, title, starts_at, ends_at, capacity)
				VALUES (?, ?, 'Stewards', ?, ?, 4)`, db.NewID(), id, "2026-07-04T17:00:00Z", "2026-07-04T19:00:00Z"); err != nil {
				t.Fatal(err)
			}
			sh := e.do(t, "GET", "/api/v1/events/"+id, tokenG, "", 200).items(t, "momentum:shifts")
			if len(sh) != 1 || sh[0]["title"] != "Stewards" || sh[0]["start_date"] != "2026-07-04T18:00:00+01:00" || sh[0]["capacity"] != float64(4) {
				t.Fatalf("shifts = %v", sh)
			}
		})

		t.Run("PutKeepsTheRestAndPromotes", func(t *testing.T) {
			first, second := e.person(t, "First", "first@example.org"), e.person(t, "Second", "second@example.org")
			for _, p := range []string{first.ID, second.ID} {
				if _, err := e.events.RSVP(e.sys, id, events.RSVPInput{PersonID: p, Status: events.Accepted}); err != nil {
					t.Fatal(err)
				}
			}
			res := e.do(t, "PUT", "/api/v1/events/"+id, tokenG, `{"title": "Summer rally, bigger", "capacity": 2}`, 200)
			if res.Body["title"] != "Summer rally, bigger" || res.Body["start_date"] != "2026-07-04T19:00:00+01:00" ||
				res.Body["description"] != "Bring **banners**." || res.Body["total_accepted"] != float64(2) ||
				res.Body["momentum:total_waitlisted"] != float64(0) {
				t.Fatalf("after PUT: %s", res.Raw)
			}
			res = e.do(t, "PUT", "/api/v1/events/"+id, tokenG, `{"start_date": "2026-07-04T19:30:00+01:00", "end_date": "2026-07-04T21:30:00+01:00"}`, 200)
			if res.Body["start_date"] != "2026-07-04T19:30:00+01:00" {
				t.Fatalf("moved start = %v", res.Body["start_date"])
			}
		})

		t.Run("Validation", func(t *testing.T) {
			tests := []struct{ name, body, field string }{
				{"NoTitle", `{"start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z", "location": {"venue": "Hall"}}`, "title"},
				{"BadStart", `{"title": "X", "start_date": "next Tuesday", "end_date": "2026-07-04T20:00:00Z", "location": {"venue": "Hall"}}`, "start_date"},
				{"EndBeforeStart", `{"title": "X", "start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T17:00:00Z", "location": {"venue": "Hall"}}`, "end_date"},
				{"BadPostcode", `{"title": "X", "start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z", "location": {"postal_code": "NOWHERE"}}`, "location.postal_code"},
				{"NoPlace", `{"title": "X", "start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z"}`, "location"},
				{"BadKind", `{"title": "X", "momentum:kind": "party", "start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z", "location": {"venue": "Hall"}}`, "momentum:kind"},
				{"BadZone", `{"title": "X", "momentum:time_zone": "Mars/Olympus", "start_date": "2026-07-04T18:00:00Z", "end_date": "2026-07-04T20:00:00Z", "location": {"venue": "Hall"}}`, "momentum:time_zone"},
				{"CapacityNotANumber", `{"title": "X", "capacity": "ten"}`, "capacity"},
				{"BadVisibility", `{"title": "X", "visibility": "secret"}`, "visibility"},
				{"BadStatus", `{"title": "X", "status": "postponed"}`, "status"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res := e.do(t, "POST", "/api/v1/events", tokenG, tt.body, 400)
					if _, ok := res.fields()[tt.field]; !ok {
						t.Errorf("error fields %v, want %q", res.fields(), tt.field)
					}
				})
			}
			res := e.do(t, "PUT", "/api/v1/events/"+id, tokenG, `{"end_date": "2026-07-01T00:00:00Z"}`, 400)
			if _, ok := res.fields()["end_date"]; !ok {
				t.Errorf("PUT error fields %v, want end_date", res.fields())
			}
		})

		t.Run("Cancel", func(t *testing.T) {
			res := e.do(t, "PUT", "/api/v1/events/"+id, tokenG, `{"status": "cancelled"}`, 200)
			if res.Body["status"] != "cancelled" {
				t.Fatalf("status = %v", res.Body["status"])
			}
			e.do(t, "PUT", "/api/v1/events/"+id, tokenG, `{"title": "Back on"}`, 409)
		})

		t.Run("NetworkEventPrivateIsMembers", func(t *testing.T) {
			res := e.do(t, "POST", "/api/v1/events", e.network, `{"title": "Assembly", "visibility": "private",
				"start_date": "2026-04-04T10:00:00", "end_date": "2026-04-04T16:00:00", "momentum:online_url": "https://meet.example.org/a"}`, 200)
			if res.Body["momentum:audience"] != "members" || res.Body["start_date"] != "2026-04-04T10:00:00+01:00" || linkOf(res.Body, "momentum:group") != "" {
				t.Fatalf("network event: %s", res.Raw)
			}
		})
	})
}
