package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestEventsAPIWired: the real application lists osdi:events at the entry
// point, and its record attendance helper goes through app's guest-signup
// path: a person is matched by phone when no email is sent, a new one is
// created as a supporter from the event, and email consent is recorded
// only when the request carries it.
func TestEventsAPIWired(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a, sys := n.App, auth.WithSystem(context.Background())
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := a.Auth.CreateGroupAPIToken(sys, "hackney site", g.ID)
		if err != nil {
			t.Fatal(err)
		}
		day := time.Now().AddDate(0, 0, 3)
		ev, err := a.Events.Create(sys, events.Input{GroupID: g.ID, Title: "Branch meeting", Place: events.Place{Name: "Round Chapel"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		pat, err := a.People.Create(sys, people.Input{GivenName: "Pat", Phone: "07700 900123"})
		if err != nil {
			t.Fatal(err)
		}
		c := apptest.Client(t)
		call := func(method, path, body string, want int) map[string]any {
			t.Helper()
			req, _ := http.NewRequest(method, n.URL+path, strings.NewReader(body))
			req.Header.Set("OSDI-API-Token", token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			res := apptest.Do(t, c, req)
			if res.Status != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, res.Status, want, res.Body)
			}
			var out map[string]any
			if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			return out
		}
		person := func(att map[string]any) string {
			l, _ := att["_links"].(map[string]any)["osdi:person"].(map[string]any)
			_, id, _ := strings.Cut(l["href"].(string), "/api/v1/people/")
			return id
		}

		entry := call("GET", "/api/v1", "", 200)
		if l, _ := entry["_links"].(map[string]any)["osdi:events"].(map[string]any); l == nil || !strings.HasSuffix(l["href"].(string), "/api/v1/events") {
			t.Fatalf("entry point has no osdi:events: %v", entry["_links"])
		}
		// Issue 14 (apievents): petitions and forms are at the entry point.
		for rel, path := range map[string]string{"osdi:petitions": "/api/v1/petitions", "osdi:forms": "/api/v1/forms"} {
			if l, _ := entry["_links"].(map[string]any)[rel].(map[string]any); l == nil || !strings.HasSuffix(l["href"].(string), path) {
				t.Errorf("entry point has no %s: %v", rel, entry["_links"])
			}
		}

		helper := "/api/v1/events/" + ev.ID + "/record_attendance_helper"
		if id := person(call("POST", helper, `{"person": {"phone_numbers": [{"number": "+447700900123"}]}, "status": "accepted"}`, 200)); id != pat.ID {
			t.Errorf("phone matched %s, want Pat %s", id, pat.ID)
		}
		quiet := person(call("POST", helper, `{"person": {"given_name": "Quinn", "email_addresses": [{"address": "quinn@example.org"}]}, "status": "accepted"}`, 200))
		keen := person(call("POST", helper, `{"person": {"given_name": "Kit", "email_addresses": [{"address": "kit@example.org", "status": "subscribed"}]},
			"status": "accepted", "consent": {"wording": "Email me about Hackney events."}}`, 200)) // 200 as Action Network (issue 14, apievents)
		for id, want := range map[string]bool{quiet: false, keen: true, pat.ID: false} {
			got, err := a.People.HasConsent(sys, a.DB.Q(), id, people.ChannelEmail)
			if err != nil || got != want {
				t.Errorf("email consent of %s = %v (%v), want %v", id, got, err, want)
			}
		}
		p, err := a.People.Get(sys, keen)
		if err != nil || p.Source != people.SourceEvent || p.SourceDetail != ev.ID || p.GivenName != "Kit" {
			t.Errorf("created person = %+v, %v", p, err)
		}
		list := call("GET", "/api/v1/events/"+ev.ID+"/attendances", "", 200)
		if list["total_records"] != float64(3) {
			t.Errorf("attendances: %v", list["total_records"])
		}
	})
}
