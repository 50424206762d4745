package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
)

// TestFarDatesRefused is the case: an event at 9999-12-31 23:30 in
// Pacific/Honolulu (the year 10000 in UTC) is refused through the form and
// through the API with a message naming the field, and the event pages and
// the API's list keep working. Check-in with an empty or unknown person_id
// is a 422 naming person_id, not the foreign key's 500.
func TestFarDatesRefused(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a, sys := n.App, auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		c := apptest.Client(t)
		n.Login(t, c, adminEmail, adminPass)
		token, _, err := a.Auth.CreateAPIToken(sys, "far dates")
		if err != nil {
			t.Fatal(err)
		}
		day := time.Now().AddDate(0, 0, 3)
		ev, err := a.Events.Create(sys, events.Input{Title: "Network meeting", Place: events.Place{Name: "Round Chapel"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		// An API client authenticates by its token alone: it has no
		// session cookie (one with a cookie and no Origin or Sec-Fetch-Site
		// is refused by web.RequireOrigin, as a browser's form would be).
		apiClient := apptest.Client(t)
		api := func(t *testing.T, method, path, body string) apptest.Response {
			t.Helper()
			req, _ := http.NewRequest(method, n.URL+path, strings.NewReader(body))
			req.Header.Set("OSDI-API-Token", token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			return apptest.Do(t, apiClient, req)
		}
		// fields takes the subtest's t: a Fatalf on the parent's t from a
		// subtest would end the wrong test.
		fields := func(t *testing.T, res apptest.Response) map[string]string {
			t.Helper()
			var out struct { // issue 14: Momentum's details are under momentum:error
				Error struct{ Fields map[string]string } `json:"momentum:error"`
			}
			if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
				t.Fatalf("not a JSON error: %v\n%s", err, res.Body)
			}
			return out.Error.Fields
		}

		t.Run("form", func(t *testing.T) {
			res := apptest.PostForm(t, c, n.URL+"/events", url.Values{"title": {"Far"}, "date": {"9999-12-31"}, "start": {"23:30"},
				"end": {"23:45"}, "time_zone": {"Pacific/Honolulu"}, "place_name": {"Hall"}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.Body), timebound.Message) {
				t.Fatalf("status %d, want 422 with %q\n%.2000s", res.Status, timebound.Message, res.Body)
			}
			// 2199-12-31 23:30 in Honolulu is 2200 in UTC: the date is in
			// range, the instant is not, and the start time says so.
			res = apptest.PostForm(t, c, n.URL+"/events", url.Values{"title": {"Far"}, "date": {"2199-12-31"}, "start": {"23:30"},
				"end": {"23:45"}, "time_zone": {"Pacific/Honolulu"}, "place_name": {"Hall"}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.Body), timebound.Message) {
				t.Fatalf("2199 in Honolulu: status %d, want 422 with %q", res.Status, timebound.Message)
			}
			res = apptest.PostForm(t, c, n.URL+"/events/"+ev.ID+"/edit", url.Values{"title": {"Far"}, "date": {"0000-01-01"}, "start": {"00:00"},
				"end": {"01:00"}, "time_zone": {"Pacific/Kiritimati"}, "place_name": {"Hall"}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(res.Body), timebound.Message) {
				t.Fatalf("edit to year 0: status %d, want 422 with %q", res.Status, timebound.Message)
			}
		})
		t.Run("api", func(t *testing.T) {
			res := api(t, "POST", "/api/v1/events", `{"title":"Far","start_date":"9999-12-31T23:30:00","end_date":"9999-12-31T23:45:00","momentum:time_zone":"Pacific/Honolulu","location":{"venue":"Hall"}}`)
			if f := fields(t, res); res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest || f["start_date"] != timebound.Message {
				t.Fatalf("status %d, fields %v; want 4xx naming start_date", res.Status, f)
			}
			res = api(t, "PUT", "/api/v1/events/"+ev.ID, `{"start_date":"9999-12-31T23:30:00-10:00","end_date":"9999-12-31T23:45:00-10:00"}`)
			if f := fields(t, res); res.Status >= 500 || f["start_date"] != timebound.Message {
				t.Fatalf("PUT: status %d, fields %v; want 4xx naming start_date", res.Status, f)
			}
			res = api(t, "POST", "/api/v1/events?group_id=0190e0c0-0000-7000-8000-000000000000", `{"title":"Lost","start_date":"2030-01-01T19:00:00Z","end_date":"2030-01-01T20:00:00Z","location":{"venue":"Hall"}}`)
			if f := fields(t, res); res.Status >= 500 || f["group_id"] == "" {
				t.Fatalf("unknown group: status %d, fields %v; want 4xx naming group_id", res.Status, f)
			}
		})
		t.Run("checkin", func(t *testing.T) {
			for _, id := range []string{"", "0190e0c0-0000-7000-8000-000000000000"} {
				res := apptest.PostForm(t, c, n.URL+"/events/"+ev.ID+"/checkin", url.Values{"person_id": {id}})
				if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "person_id") {
					t.Errorf("check in %q: status %d, want 4xx naming person_id\n%.500s", id, res.Status, res.Body)
				}
			}
		})
		t.Run("lists still work", func(t *testing.T) {
			for _, p := range []string{"/events", "/events/" + ev.ID} {
				if res := apptest.Get(t, c, n.URL+p); res.Status != http.StatusOK {
					t.Errorf("GET %s: %d", p, res.Status)
				}
			}
			for _, p := range []string{"/api/v1/events", "/api/v1/events/" + ev.ID} {
				if res := api(t, "GET", p, ""); res.Status != http.StatusOK {
					t.Errorf("GET %s: %d", p, res.Status)
				}
			}
			got, err := a.Events.Get(sys, ev.ID)
			if err != nil || !got.Start.Equal(ev.Start) {
				t.Errorf("the event moved: %v, %v", got, err)
			}
		})
	})
}

// TestFarEventsRepaired: an event stored in the year 10000 before the
// bounds (as the was) is repaired by migration 0021: cancelled,
// moved to the range's last day with its shifts, and the pages read again.
func TestFarEventsRepaired(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a, sys := n.App, auth.WithSystem(context.Background())
		day := time.Now().AddDate(0, 0, 3)
		in := events.Input{Title: "Stored far", Place: events.Place{Name: "Hall"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)}
		ev, err := a.Events.Create(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Events.AddShift(sys, ev.ID, events.ShiftInput{Title: "Doors", Start: in.Start, End: in.End}); err != nil {
			t.Fatal(err)
		}
		ok, err := a.Events.Create(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		// What the unbounded form stored: the year 10000 in UTC.
		for _, q := range []string{
			`UPDATE events SET starts_at = '10000-01-01 09:30:00+00:00', ends_at = '10000-01-01 09:45:00+00:00' WHERE id = '` + ev.ID + `'`,
			`UPDATE event_shifts SET starts_at = '10000-01-01 09:30:00+00:00', ends_at = '10000-01-01 09:45:00+00:00' WHERE event_id = '` + ev.ID + `'`,
			`DELETE FROM schema_migrations WHERE version = 21`,
		} {
			if _, err := a.DB.W.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := a.DB.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := a.Events.Get(sys, ev.ID)
		if err != nil {
			t.Fatalf("the repaired event does not read back: %v", err)
		}
		if got.Status != events.Cancelled || got.Start.UTC().Year() != 2199 {
			t.Errorf("repaired event: status %s, start %s; want cancelled in 2199", got.Status, got.Start)
		}
		if kept, err := a.Events.Get(sys, ok.ID); err != nil || kept.Status == events.Cancelled || !kept.Start.Equal(ok.Start) {
			t.Errorf("an event in range was changed: %+v, %v", kept, err)
		}
		token, _, err := a.Auth.CreateAPIToken(sys, "repair")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/api/v1/events", "/api/v1/events/" + ev.ID} {
			req, _ := http.NewRequest("GET", n.URL+p, nil)
			req.Header.Set("OSDI-API-Token", token)
			if res := apptest.Do(t, apptest.Client(t), req); res.Status != http.StatusOK {
				t.Errorf("GET %s: %d", p, res.Status)
			}
		}
		if res := apptest.Get(t, apptest.Client(t), n.URL+"/events/"+ev.ID); res.Status != http.StatusOK {
			t.Errorf("GET the event's page: %d", res.Status)
		}
	})
}
