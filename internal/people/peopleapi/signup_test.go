package peopleapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

const helper = "/api/v1/people/person_signup_helper"

func TestSignupHelper(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		phoneOnly, err := e.people.Create(e.sys, people.Input{GivenName: "Di", Phone: "+447700900555"})
		if err != nil {
			t.Fatal(err)
		}
		var first string // the id the first signup created
		steps := []struct {
			name, body  string
			status      int
			wantSame    bool // the person is the first signup's
			wantID      string
			wantName    string
			wantTags    []string
			wantConsent map[string]string // channel -> status
			wantHistory int               // email consent changes so far
			wantPeople  int
		}{
			{"NewPersonCreated", `{"person": {"given_name": "Ada", "email_addresses": [{"address": "ada@example.org", "status": "subscribed"}]},
				"add_tags": ["volunteer", "Hackney"], "consent": {"wording": "Email me about the campaign"}}`,
				200, false, "", "Ada", []string{"Hackney", "volunteer"}, map[string]string{"email": people.ConsentGranted}, 1, 2},
			{"SameEmailMatched", `{"person": {"family_name": "Lovelace", "email_addresses": [{"address": "ADA@example.org"}]},
				"add_tags": ["donor"], "remove_tags": ["hackney"]}`,
				200, true, "", "Ada Lovelace", []string{"donor", "volunteer"}, map[string]string{"email": people.ConsentGranted}, 1, 2},
			{"UnsubscribeWithdraws", `{"person": {"email_addresses": [{"address": "ada@example.org", "status": "unsubscribed"}]}}`,
				200, true, "", "Ada Lovelace", []string{"donor", "volunteer"}, map[string]string{"email": people.ConsentWithdrawn}, 2, 2},
			{"MatchedByPhone", `{"person": {"given_name": "Di", "family_name": "Prince", "phone_numbers": [{"number": "07700 900555", "status": "subscribed"}]},
				"consent": {"wording": "Text me"}}`,
				200, false, phoneOnly.ID, "Di Prince", nil, map[string]string{"sms": people.ConsentGranted}, 2, 2},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				res := e.do(t, "POST", helper, e.network, s.body).want(t, s.status)
				id := idOf(t, res.Body)
				switch {
				case first == "":
					first = id
					if res.Header.Get("Location") != site+"/api/v1/people/"+id {
						t.Errorf("Location = %q", res.Header.Get("Location"))
					}
				case s.wantSame && id != first:
					t.Errorf("matched %s, want the first signup %s", id, first)
				case s.wantID != "" && id != s.wantID:
					t.Errorf("matched %s, want %s", id, s.wantID)
				}
				if name := strings.TrimSpace(describe(res.Body, "given_name") + " " + describe(res.Body, "family_name")); name != s.wantName {
					t.Errorf("name = %q, want %q", name, s.wantName)
				}
				p, err := e.people.Get(e.sys, id)
				if err != nil {
					t.Fatal(err)
				}
				tags := slices.Clone(p.Tags)
				slices.Sort(tags)
				if !slices.Equal(tags, s.wantTags) {
					t.Errorf("tags = %v, want %v", tags, s.wantTags)
				}
				for ch, st := range s.wantConsent {
					if c := p.Consents[ch]; c.Status != st || c.Source != "api: hub sync" {
						t.Errorf("consent %s = %+v, want %s from api: hub sync", ch, c, st)
					}
				}
				if st := s.wantConsent["email"]; st == people.ConsentGranted && p.Consents["email"].Wording != "Email me about the campaign" {
					t.Errorf("wording = %q", p.Consents["email"].Wording)
				}
				if h, _ := e.people.ConsentHistory(e.sys, first); len(h) != s.wantHistory {
					t.Errorf("%d email consent changes, want %d", len(h), s.wantHistory)
				}
				if n, err := e.people.Count(e.sys, people.Filter{}); err != nil || n != s.wantPeople {
					t.Errorf("%d people, want %d (no duplicates)", n, s.wantPeople)
				}
			})
		}
	})
}

func TestSignupHelperErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tests := []struct {
			name, body     string
			status         int
			field, message string
		}{
			{"SubscribedWithoutWording", `{"person": {"email_addresses": [{"address": "a@example.org", "status": "subscribed"}]}}`, 400, "person.email_addresses.status", "token create --consent-wording"},
			{"BadEmail", `{"person": {"email_addresses": [{"address": "nope"}]}}`, 400, "person.email_addresses.address", "Enter an email address"},
			{"NoOne", `{"person": {}}`, 400, "person.given_name", "an email address or a phone number"},
			{"BadTag", `{"person": {"given_name": "Bo", "email_addresses": [{"address": "bo@example.org"}]}, "add_tags": ["a,b"]}`, 400, "add_tags", "without commas"},
			{"WrongType", `{"person": {"given_name": "Bo"}, "add_tags": "volunteer"}`, 400, "add_tags", "Expected an array"},
			{"BadStatus", `{"person": {"phone_numbers": [{"number": "07700900123", "status": "yes"}]}}`, 400, "person.phone_numbers.status", "subscribed or unsubscribed"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, "POST", helper, e.network, tc.body).want(t, tc.status)
				_, fields := res.errorOf()
				if msg, _ := fields[tc.field].(string); !strings.Contains(msg, tc.message) {
					t.Errorf("fields %v: want %q containing %q", fields, tc.field, tc.message)
				}
			})
		}
	})
}
