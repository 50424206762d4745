package peopleapi_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

const fullPerson = `{
	"given_name": "Ada", "family_name": "Lovelace",
	"email_addresses": [{"address": "old@example.org"}, {"address": "Ada@Example.org", "primary": true}],
	"phone_numbers": [{"number": "07700 900123", "number_type": "mobile"}],
	"postal_addresses": [{"primary": true, "address_lines": ["1 Mare St", "Flat 2"], "locality": "London",
		"postal_code": "e81dy", "country": "gb", "location": {"latitude": 51.54, "longitude": -0.055}}],
	"languages_spoken": ["cy"],
	"identifiers": ["other:123"], "_links": {}
}`

func TestPersonCreateGetUpdate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// A bare person (the API before issue 14) is still a signup: 200
		// as Action Network answers, the new person's address in Location.
		res := e.do(t, "POST", "/api/v1/people", e.network, fullPerson).want(t, 200)
		id := idOf(t, res.Body)
		if loc := res.Header.Get("Location"); loc != site+"/api/v1/people/"+id {
			t.Errorf("Location = %q", loc)
		}
		if href(res.Body, "self") != site+"/api/v1/people/"+id || href(res.Body, "osdi:taggings") != site+"/api/v1/people/"+id+"/taggings" {
			t.Errorf("links = %v", res.Body["_links"])
		}
		got := e.do(t, "GET", "/api/v1/people/"+id, e.network, "").want(t, 200)
		for field, want := range map[string]string{
			"given_name": "Ada", "family_name": "Lovelace",
			// Momentum keeps one primary address: the primary one sent.
			"email":  "ada@example.org (1 address)",
			"phone":  "+447700900123 mobile",
			"postal": "1 Mare St|Flat 2 London E8 1DY GB 51.54,-0.055",
			"lang":   "cy",
		} {
			if v := describe(got.Body, field); v != want {
				t.Errorf("%s = %q, want %q", field, v, want)
			}
		}
		p, err := e.people.Get(e.sys, id)
		if err != nil || p.Source != people.SourceAPI || p.SourceDetail != "hub sync" {
			t.Errorf("stored source = %q %q, %v", p.Source, p.SourceDetail, err)
		}

		// PUT changes what is sent and keeps the rest.
		upd := e.do(t, "PUT", "/api/v1/people/"+id, e.network, `{"family_name": "King", "custom_fields": {}}`).want(t, 200)
		if describe(upd.Body, "given_name") != "Ada" || describe(upd.Body, "family_name") != "King" ||
			describe(upd.Body, "phone") != "+447700900123 mobile" || describe(upd.Body, "lang") != "cy" {
			t.Errorf("after PUT: %s", upd.Raw)
		}
	})
}

func TestPersonErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		taken := e.person(t, "Bo", "bo@example.org")
		tests := []struct {
			name, method, path, body string
			status                   int
			field, message           string
		}{
			{"NotJSON", "POST", "/api/v1/people", `{"given_name": `, 400, "body", "not valid JSON"},
			{"EmptyBody", "POST", "/api/v1/people", ``, 400, "body", "Send a JSON object"},
			{"WrongType", "POST", "/api/v1/people", `{"given_name": 7}`, 400, "given_name", "Expected a string here, not number"},
			{"WrongNestedType", "POST", "/api/v1/people", `{"email_addresses": {"address": "a@example.org"}}`, 400, "email_addresses", "Expected an array"},
			{"BadEmail", "POST", "/api/v1/people", `{"email_addresses": [{"address": "not-an-email"}]}`, 400, "email_addresses.address", "Enter an email address"},
			{"BadPostcode", "POST", "/api/v1/people", `{"email_addresses": [{"address": "c@example.org"}], "postal_addresses": [{"postal_code": "XYZ"}]}`, 400, "postal_addresses.postal_code", "UK postcode"},
			{"CustomFieldObject", "POST", "/api/v1/people", `{"email_addresses": [{"address": "c@example.org"}], "custom_fields": {"shoe": {}}}`, 400, "custom_fields.shoe", "Use a string"},
			{"NoAddressOrNumber", "POST", "/api/v1/people", `{"given_name": "C"}`, 400, "email_addresses.address", "Give an email address or a phone number"},
			{"SubscribedNeedsAWording", "POST", "/api/v1/people", `{"email_addresses": [{"address": "c@example.org", "status": "subscribed"}]}`, 400, "email_addresses.status", "token create --consent-wording"},
			{"BadStatus", "POST", "/api/v1/people", `{"email_addresses": [{"address": "c@example.org", "status": "maybe"}]}`, 400, "email_addresses.status", "subscribed or unsubscribed"},
			{"PersonBesideHelper", "POST", "/api/v1/people", `{"person": {"given_name": "C"}, "given_name": "C"}`, 400, "given_name", "inside \"person\""},
			{"HelperWithoutPerson", "POST", "/api/v1/people", `{"given_name": "C", "add_tags": ["x"]}`, 400, "person", "beside add_tags"},
			{"TakenAddressIsAMatchNotAConflict", "POST", "/api/v1/people", `{"email_addresses": [{"address": "BO@example.org"}], "given_name": "Bo"}`, 200, "", ""},
			{"UnknownRoute", "GET", "/api/v1/nothing/here", ``, 404, "", "nothing at /api/v1/nothing/here"},
			{"WrongMethod", "DELETE", "/api/v1/people/" + taken.ID, ``, 405, "", "DELETE is not allowed here: use GET, PUT, HEAD."},
			{"UnknownPersonGet", "GET", "/api/v1/people/nobody", ``, 404, "", "no such person"},
			{"UnknownPersonPut", "PUT", "/api/v1/people/nobody", `{"given_name": "X"}`, 404, "", "no such person"},
			{"PutBadPhone", "PUT", "/api/v1/people/" + taken.ID, `{"phone_numbers": [{"number": "12"}]}`, 400, "phone_numbers.number", "phone number"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, tc.method, tc.path, e.network, tc.body).want(t, tc.status)
				if tc.status < 300 {
					return
				}
				msg, fields := res.errorOf()
				if tc.field != "" {
					msg, _ = fields[tc.field].(string)
				}
				if !strings.Contains(msg, tc.message) {
					t.Errorf("error %q (fields %v), want %q containing %q", msg, fields, tc.field, tc.message)
				}
			})
		}
	})
}

func TestPersonUnsubscribe(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.person(t, "Cy", "cy@example.org")
		if err := e.people.SetConsent(e.sys, p.ID, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: "signup form", Wording: "Email me"}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, body, wantStatus string
			wantChanges            int
		}{
			// Sending back what was read changes nothing.
			{"EchoSubscribed", `{"email_addresses": [{"address": "cy@example.org", "status": "subscribed"}]}`, "subscribed", 1},
			{"Unsubscribe", `{"email_addresses": [{"address": "cy@example.org", "status": "unsubscribed"}]}`, "unsubscribed", 2},
			{"UnsubscribeAgain", `{"email_addresses": [{"address": "cy@example.org", "status": "unsubscribed"}]}`, "unsubscribed", 2},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, "PUT", "/api/v1/people/"+p.ID, e.network, tc.body).want(t, 200)
				if s := describe(res.Body, "email_status"); s != tc.wantStatus {
					t.Errorf("status = %q, want %q", s, tc.wantStatus)
				}
				h, err := e.people.ConsentHistory(e.sys, p.ID)
				if err != nil || len(h) != tc.wantChanges {
					t.Fatalf("history = %+v, %v; want %d changes", h, err, tc.wantChanges)
				}
				if last := h[len(h)-1]; tc.wantChanges == 2 && (last.Status != people.ConsentWithdrawn || last.Source != "api: hub sync") {
					t.Errorf("last change = %+v", last)
				}
			})
		}
	})
}

// describe flattens a field of an OSDI person for comparison.
func describe(p map[string]any, field string) string {
	first := func(key string) map[string]any {
		l, _ := p[key].([]any)
		if len(l) == 0 {
			return map[string]any{}
		}
		return l[0].(map[string]any)
	}
	switch field {
	case "email":
		var primary string
		all, _ := p["email_addresses"].([]any)
		for _, e := range all {
			if m := e.(map[string]any); m["primary"] == true {
				primary = m["address"].(string)
			}
		}
		return fmt.Sprintf("%s (%d address)", primary, len(all))
	case "email_status":
		s, _ := first("email_addresses")["status"].(string)
		return s
	case "phone_status":
		s, _ := first("phone_numbers")["status"].(string)
		return s
	case "phone":
		m := first("phone_numbers")
		return m["number"].(string) + " " + m["number_type"].(string)
	case "postal":
		m := first("postal_addresses")
		var lines []string
		for _, l := range m["address_lines"].([]any) {
			lines = append(lines, l.(string))
		}
		loc := m["location"].(map[string]any)
		return strings.Join(lines, "|") + " " + m["locality"].(string) + " " + m["postal_code"].(string) + " " +
			m["country"].(string) + " " + fmtFloat(loc["latitude"]) + "," + fmtFloat(loc["longitude"])
	case "lang":
		l, _ := p["languages_spoken"].([]any)
		if len(l) == 0 {
			return ""
		}
		return l[0].(string)
	}
	s, _ := p[field].(string)
	return s
}

func fmtFloat(v any) string {
	f, _ := v.(float64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}
