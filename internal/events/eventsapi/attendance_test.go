package eventsapi_test

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestRecordAttendanceHelper: the helper matches an existing person by
// email (else phone) and creates a supporter otherwise; email consent is
// granted only when the request carries it; answers go through the
// waitlist; attended checks in, also after the event; and the attendances
// collection shows it all in OSDI's terms.
func TestRecordAttendanceHelper(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney")
		tokenG := e.token(t, "hackney site", g.ID)
		ev := e.event(t, g.ID, "Branch meeting", events.Public, 7, 1)
		helper := "/api/v1/events/" + ev.ID + "/record_attendance_helper"
		known := e.person(t, "Kim", "kim@example.org")
		personOf := func(t *testing.T, res response) string {
			t.Helper()
			href := linkOf(res.Body, "osdi:person")
			_, id, ok := strings.Cut(href, "/api/v1/people/")
			if !ok {
				t.Fatalf("no osdi:person link: %s", res.Raw)
			}
			return id
		}
		hasConsent := func(t *testing.T, id string) bool {
			t.Helper()
			ok, err := e.people.HasConsent(t.Context(), d.Q(), id, people.ChannelEmail)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}

		t.Run("MatchesByEmail", func(t *testing.T) {
			res := e.do(t, "POST", helper, tokenG, `{"person": {"given_name": "Kimberley",
				"email_addresses": [{"address": "KIM@example.org", "primary": true}]}, "status": "accepted"}`, 200)
			if got := personOf(t, res); got != known.ID {
				t.Fatalf("matched %s, want the existing person %s", got, known.ID)
			}
			if res.Body["status"] != "accepted" || res.Body["attended"] != false || res.Body["momentum:waitlisted"] != false {
				t.Errorf("attendance = %s", res.Raw)
			}
			if hasConsent(t, known.ID) {
				t.Error("consent granted though none was sent")
			}
			// Again: the same attendance, 200.
			res = e.do(t, "POST", helper, tokenG, `{"person": {"email_addresses": [{"address": "kim@example.org"}]}, "status": "tentative"}`, 200)
			if personOf(t, res) != known.ID || res.Body["status"] != "tentative" {
				t.Errorf("second answer = %s", res.Raw)
			}
		})

		var newID string
		t.Run("CreatesASupporterWithConsentWhenSent", func(t *testing.T) {
			res := e.do(t, "POST", helper, tokenG, `{"person": {"given_name": "Nia", "family_name": "New",
				"email_addresses": [{"address": "nia@example.org", "status": "subscribed"}],
				"postal_addresses": [{"postal_code": "e8 1dy"}]},
				"status": "accepted", "consent": {"wording": "Email me about Hackney events."}}`, 200)
			newID = personOf(t, res)
			if newID == known.ID {
				t.Fatal("a new address matched the existing person")
			}
			p, err := e.people.Get(e.sys, newID)
			if err != nil {
				t.Fatal(err)
			}
			if p.GivenName != "Nia" || p.FamilyName != "New" || p.Email != "nia@example.org" || p.Source != people.SourceEvent || p.SourceDetail != ev.ID {
				t.Errorf("created person = %+v", p)
			}
			if !hasConsent(t, newID) {
				t.Fatal("email consent was sent but not recorded")
			}
			hist, err := e.people.ConsentHistory(e.sys, newID)
			if err != nil || len(hist) != 1 || hist[0].Wording != "Email me about Hackney events." || hist[0].Source != "api: hackney site" {
				t.Errorf("consent history = %+v, %v", hist, err)
			}
			// Kim said maybe, so the one place is Nia's.
			if res.Body["status"] != "accepted" {
				t.Errorf("Nia's answer = %s", res.Raw)
			}
		})

		t.Run("NoConsentWithoutIt", func(t *testing.T) {
			res := e.do(t, "POST", helper, tokenG, `{"person": {"given_name": "Ola",
				"email_addresses": [{"address": "ola@example.org", "status": "subscribed"}]}, "status": "accepted"}`, 400)
			if _, ok := res.fields()["consent.wording"]; !ok {
				t.Fatalf("fields = %v, want consent.wording", res.fields())
			}
			if _, err := e.people.Match(e.sys, "ola@example.org", ""); err == nil {
				t.Error("a refused request created the person")
			}
			res = e.do(t, "POST", helper, tokenG, `{"person": {"given_name": "Ola",
				"email_addresses": [{"address": "ola@example.org"}]}, "status": "accepted"}`, 200)
			if hasConsent(t, personOf(t, res)) {
				t.Error("consent recorded without being sent")
			}
			// The one place is Nia's: Ola waits, which OSDI sees as tentative.
			if res.Body["status"] != "tentative" || res.Body["momentum:waitlisted"] != true {
				t.Errorf("Ola's answer = %s", res.Raw)
			}
		})

		t.Run("MatchesByPhone", func(t *testing.T) {
			withPhone, err := e.people.Create(e.sys, people.Input{GivenName: "Pat", Phone: "07700 900123"})
			if err != nil {
				t.Fatal(err)
			}
			res := e.do(t, "POST", helper, tokenG, `{"person": {"phone_numbers": [{"number": "+447700900123"}]}, "status": "declined"}`, 200)
			if personOf(t, res) != withPhone.ID || res.Body["status"] != "declined" {
				t.Errorf("phone match = %s, want %s", res.Raw, withPhone.ID)
			}
		})

		t.Run("Validation", func(t *testing.T) {
			for body, field := range map[string]string{
				`{"person": {"given_name": "Nobody"}, "status": "accepted"}`:                                                                         "person.email_addresses.address",
				`{"person": {"email_addresses": [{"address": "not an address"}]}, "status": "accepted"}`:                                             "person.email_addresses.address",
				`{"person": {"email_addresses": [{"address": "v@example.org"}]}, "status": "maybe"}`:                                                 "status",
				`{"person": {"email_addresses": [{"address": "v@example.org"}]}, "status": "needs action"}`:                                          "status",
				`{"person": {"email_addresses": [{"address": "v@example.org"}]}, "attended": "yes"}`:                                                 "attended",
				`{"person": {"phone_numbers": [{"number": "12"}]}, "status": "accepted"}`:                                                            "person.phone_numbers.number",
				`{"person": {"email_addresses": [{"address": "v@example.org"}], "postal_addresses": [{"postal_code": "XX"}]}, "status": "accepted"}`: "person.postal_addresses.postal_code",
			} {
				res := e.do(t, "POST", helper, tokenG, body, 400)
				if _, ok := res.fields()[field]; !ok {
					t.Errorf("%s: fields %v, want %q", body, res.fields(), field)
				}
			}
		})

		t.Run("AttendedAfterTheEvent", func(t *testing.T) {
			e.now = e.now.AddDate(0, 0, 10) // the meeting is over
			e.do(t, "POST", helper, tokenG, `{"person": {"email_addresses": [{"address": "late@example.org"}]}, "status": "accepted"}`, 409)
			res := e.do(t, "POST", helper, tokenG, `{"person": {"email_addresses": [{"address": "ola@example.org"}]}, "attended": true}`, 200)
			if res.Body["attended"] != true || res.Body["status"] != "accepted" {
				t.Errorf("checked in = %s", res.Raw)
			}
			walkIn := e.do(t, "POST", helper, tokenG, `{"person": {"given_name": "Wally", "email_addresses": [{"address": "wally@example.org"}]}, "attended": true}`, 200)
			if walkIn.Body["attended"] != true {
				t.Errorf("walk-in = %s", walkIn.Raw)
			}
		})

		t.Run("AttendancesCollection", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/events/"+ev.ID+"/attendances?per_page=2", tokenG, "", 200)
			if res.Body["total_records"] != float64(5) || res.Body["total_pages"] != float64(3) || linkOf(res.Body, "next") == "" {
				t.Fatalf("collection: %s", res.Raw)
			}
			seen := map[string]map[string]any{}
			for next := "/api/v1/events/" + ev.ID + "/attendances?per_page=2"; next != ""; {
				res := e.do(t, "GET", next, tokenG, "", 200)
				for _, a := range res.items(t, "osdi:attendances") {
					seen[personOf(t, response{Body: a})] = a
					if linkOf(a, "osdi:event") != site+"/api/v1/events/"+ev.ID {
						t.Errorf("osdi:event link = %q", linkOf(a, "osdi:event"))
					}
				}
				next = ""
				if l := linkOf(res.Body, "next"); l != "" {
					next = path(t, l)
				}
			}
			if len(seen) != 5 || seen[known.ID]["status"] != "tentative" || seen[newID]["status"] != "accepted" {
				t.Fatalf("attendances = %v", seen)
			}
			one := e.do(t, "GET", path(t, linkOf(seen[known.ID], "self")), tokenG, "", 200)
			if one.Body["status"] != "tentative" || one.Body["attended"] != false {
				t.Errorf("one attendance = %s", one.Raw)
			}
			e.do(t, "GET", "/api/v1/events/"+ev.ID+"/attendances/"+db.NewID(), tokenG, "", 404)
		})
	})
}
