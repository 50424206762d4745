package eventsapi_test

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/events/eventsapi"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestActionNetworkEvents (issue 14): Action Network's documented
// create_event body, without end_date and with locality, region and
// country, is accepted and read back with them; PUT keeps them; filter=
// works as $filter does.
func TestActionNetworkEvents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// Action Network's example body for POST /events.
		res := e.do(t, "POST", "/api/v1/events", e.network, `{
			"title": "My Free Event",
			"origin_system": "FreeEvents.com",
			"start_date": "2026-07-04T19:00:00Z",
			"location": {
				"venue": "White House",
				"address_lines": ["1600 Pennsylvania Ave"],
				"locality": "Washington",
				"region": "DC",
				"country": "US"
			}
		}`, 200)
		id := idOf(t, res.Body)
		if res.Body["start_date"] != "2026-07-04T20:00:00+01:00" || res.Body["end_date"] != "2026-07-04T22:00:00+01:00" {
			t.Errorf("without end_date: start %v end %v, want two hours", res.Body["start_date"], res.Body["end_date"])
		}
		loc, _ := res.Body["location"].(map[string]any)
		if loc["venue"] != "White House" || loc["locality"] != "Washington" || loc["region"] != "DC" || loc["country"] != "US" ||
			len(loc["address_lines"].([]any)) != 1 || loc["address_lines"].([]any)[0] != "1600 Pennsylvania Ave" {
			t.Errorf("location = %v", loc)
		}
		if ids := res.Body["identifiers"].([]any); len(ids) != 1 || ids[0] != "momentum:"+id {
			t.Errorf("identifiers = %v", ids)
		}

		t.Run("PutKeepsAndReplacesLocation", func(t *testing.T) {
			res := e.do(t, "PUT", "/api/v1/events/"+id, e.network, `{"title": "My Free Event, renamed"}`, 200)
			loc, _ := res.Body["location"].(map[string]any)
			if res.Body["title"] != "My Free Event, renamed" || loc["locality"] != "Washington" || loc["country"] != "US" {
				t.Errorf("after PUT without location: %s", res.Raw)
			}
			res = e.do(t, "PUT", "/api/v1/events/"+id, e.network, `{"location": {"venue": "Round Chapel",
				"address_lines": ["2 Powerscroft Road"], "locality": "London", "region": "Hackney", "postal_code": "E5 0PU"}}`, 200)
			loc, _ = res.Body["location"].(map[string]any)
			if loc["locality"] != "London" || loc["region"] != "Hackney" || loc["country"] != "GB" || loc["postal_code"] != "E5 0PU" {
				t.Errorf("after PUT with location: %v", loc)
			}
			e.do(t, "PUT", "/api/v1/events/"+id, e.network, `{"location": {"venue": "X", "country": "Narnia"}}`, 400)
			got := e.do(t, "GET", "/api/v1/events/"+id, e.network, "", 200)
			if loc, _ := got.Body["location"].(map[string]any); loc["venue"] != "Round Chapel" {
				t.Errorf("a refused PUT changed the event: %v", loc)
			}
		})

		t.Run("FilterParameter", func(t *testing.T) {
			e.event(t, "", "Later", events.Public, 200, 0)
			for _, param := range []string{"filter", "$filter"} {
				res := e.do(t, "GET", "/api/v1/events?"+param+"="+strings.ReplaceAll("start_date gt '2026-08-01'", " ", "%20"), e.network, "", 200)
				items := res.items(t, "osdi:events")
				if len(items) != 1 || items[0]["title"] != "Later" {
					t.Errorf("%s: %d events, want Later only: %s", param, len(items), res.Raw)
				}
				e.do(t, "GET", "/api/v1/events?"+param+"=title%20eq%20'x'", e.network, "", 400)
			}
		})
	})
}

// TestAttendanceHelperActionNetwork (issue 14): Action Network's record
// attendance helper at POST /events/{id}/attendances with add_tags; a
// refused request writes nothing (no person, no tag, no answer); the
// attendance's identifier ends with the id its URL uses; a person's
// attendances are listed, a group token seeing its group's events only;
// AttendanceResource answers what GET does.
func TestAttendanceHelperActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney")
		tokenG := e.token(t, "hackney site", g.ID)
		mine := e.event(t, g.ID, "Branch meeting", events.Public, 7, 0)
		network := e.event(t, "", "National rally", events.Public, 9, 0)
		count := func(t *testing.T, q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.Q().QueryRow(t.Context(), q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Action Network's example body.
		res := e.do(t, "POST", "/api/v1/events/"+mine.ID+"/attendances", tokenG, `{
			"person": {
				"family_name": "Smith",
				"given_name": "John",
				"postal_addresses": [{"postal_code": "E8 1DY"}],
				"email_addresses": [{"address": "jsmith@mail.com"}]
			},
			"add_tags": ["volunteer", "member"]
		}`, 200)
		id := idOf(t, res.Body)
		self := linkOf(res.Body, "self")
		if loc := res.Header.Get("Location"); loc != self {
			t.Errorf("a new attendance's Location %q, want %q", loc, self)
		}
		if !strings.HasSuffix(self, "/attendances/"+id) || strings.Contains(id, ":") {
			t.Errorf("identifier %q, self %q: the identifier's last colon-part must be the URL's id", id, self)
		}
		if res.Body["status"] != "accepted" || res.Body["momentum:event_id"] != mine.ID {
			t.Errorf("attendance = %s", res.Raw)
		}
		personID, _ := res.Body["momentum:person_id"].(string)
		if n := count(t, `SELECT COUNT(*) FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = ? AND t.name IN ('volunteer', 'member')`, personID); n != 2 {
			t.Errorf("%d of the two tags applied", n)
		}
		got := e.do(t, "GET", path(t, self), tokenG, "", 200)
		if idOf(t, got.Body) != id {
			t.Errorf("GET self = %s", got.Raw)
		}
		// The old form of the URL, with the person's id, still reads.
		e.do(t, "GET", "/api/v1/events/"+mine.ID+"/attendances/"+personID, tokenG, "", 200)
		// Another event's attendance id under this event is not found.
		e.do(t, "GET", "/api/v1/events/"+network.ID+"/attendances/"+id, e.network, "", 404)

		t.Run("RefusedWritesNothing", func(t *testing.T) {
			people, rsvps, tags := count(t, `SELECT COUNT(*) FROM people`), count(t, `SELECT COUNT(*) FROM event_rsvps`), count(t, `SELECT COUNT(*) FROM person_tags`)
			for name, body := range map[string]string{
				"BadTag":       `{"person": {"email_addresses": [{"address": "new1@example.org"}]}, "add_tags": ["a, b"]}`,
				"BadStatus":    `{"person": {"email_addresses": [{"address": "new2@example.org"}]}, "status": "maybe"}`,
				"NoWording":    `{"person": {"email_addresses": [{"address": "new3@example.org", "status": "subscribed"}]}}`,
				"BadPostcode":  `{"person": {"email_addresses": [{"address": "new4@example.org"}], "postal_addresses": [{"postal_code": "XX"}]}}`,
				"BadCustomKey": `{"person": {"email_addresses": [{"address": "new5@example.org"}], "custom_fields": {"Bad Key!": "x"}}}`,
			} {
				r := e.do(t, "POST", "/api/v1/events/"+mine.ID+"/attendances", tokenG, body, 400)
				if _, ok := r.Body["error"]; !ok {
					t.Errorf("%s: no error in %s", name, r.Raw)
				}
			}
			// A group token may not record attendance at the network's event.
			e.do(t, "POST", "/api/v1/events/"+network.ID+"/attendances", tokenG,
				`{"person": {"email_addresses": [{"address": "new6@example.org"}]}}`, 403)
			if p, r, tg := count(t, `SELECT COUNT(*) FROM people`), count(t, `SELECT COUNT(*) FROM event_rsvps`), count(t, `SELECT COUNT(*) FROM person_tags`); p != people || r != rsvps || tg != tags {
				t.Errorf("refused requests wrote: people %d→%d, rsvps %d→%d, taggings %d→%d", people, p, rsvps, r, tags, tg)
			}
		})

		t.Run("PersonAttendances", func(t *testing.T) {
			e.do(t, "POST", "/api/v1/events/"+network.ID+"/attendances", e.network,
				`{"person": {"email_addresses": [{"address": "jsmith@mail.com"}]}, "status": "tentative"}`, 200)
			all := e.do(t, "GET", "/api/v1/people/"+personID+"/attendances", e.network, "", 200)
			if all.Body["total_records"] != float64(2) || len(all.items(t, "osdi:attendances")) != 2 {
				t.Errorf("network token: %s", all.Raw)
			}
			own := e.do(t, "GET", "/api/v1/people/"+personID+"/attendances", tokenG, "", 200)
			items := own.items(t, "osdi:attendances")
			if own.Body["total_records"] != float64(1) || len(items) != 1 || items[0]["momentum:event_id"] != mine.ID {
				t.Errorf("group token sees other groups' attendances: %s", own.Raw)
			}
			e.do(t, "GET", "/api/v1/people/"+personID+"/attendances", "", "", 401)
		})

		t.Run("TokenConsentWording", func(t *testing.T) {
			plain, _, err := e.auth.CreateAPITokenWithConsent(e.sys, "hackney form", g.ID, "Keep me posted about Hackney.")
			if err != nil {
				t.Fatal(err)
			}
			res := e.do(t, "POST", "/api/v1/events/"+mine.ID+"/attendances", plain,
				`{"person": {"email_addresses": [{"address": "sub@example.org", "status": "subscribed"}]}}`, 200)
			pid, _ := res.Body["momentum:person_id"].(string)
			hist, err := e.people.ConsentHistory(e.sys, pid)
			if err != nil || len(hist) != 1 || hist[0].Wording != "Keep me posted about Hackney." || hist[0].Source != "api: hackney form" {
				t.Errorf("consent history = %+v, %v", hist, err)
			}
		})

		t.Run("AttendanceResource", func(t *testing.T) {
			h := eventsapi.NewHandler(e.events, site)
			v, err := h.AttendanceResource(e.sys, id)
			if err != nil {
				t.Fatal(err)
			}
			if a := v.(eventsapi.Attendance); len(a.Identifiers) != 1 || a.Identifiers[0] != "momentum:"+id || a.Status != "accepted" {
				t.Errorf("resource = %+v", a)
			}
			if _, err := h.AttendanceResource(e.sys, db.NewID()); err == nil {
				t.Error("an unknown id gave a resource")
			}
		})
	})
}
