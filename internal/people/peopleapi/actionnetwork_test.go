package peopleapi_test

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// The tests in this file are issue 14's: the API answering as Action
// Network's API v2 does.

// writeTables are the tables an API write may touch; a 4xx changes none.
var writeTables = []string{"people", "person_emails", "person_phones", "tags", "person_tags", "consents",
	"consent_history", "custom_field_defs", "group_members", "audit_log", "outbox_events"}

func (e *env) rows(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range writeTables {
		var n int
		if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// unchanged runs fn and fails if any write table changed.
func (e *env) unchanged(t *testing.T, fn func()) {
	t.Helper()
	before := e.rows(t)
	fn()
	if after := e.rows(t); !maps.Equal(before, after) {
		t.Fatalf("a refused request wrote: %v -> %v", before, after)
	}
}

func TestSignupAsActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, err := e.people.SaveList(e.sys, "x", people.Filter{}) // something to leave alone
		if err != nil {
			t.Fatal(err)
		}
		forms, tok, err := e.auth.CreateAPITokenWithConsent(e.sys, "petition site", "", "Keep me posted by email.")
		if err != nil || tok.ConsentWording != "Keep me posted by email." {
			t.Fatalf("token %+v, %v", tok, err)
		}
		var adaID string
		t.Run("NewPersonSubscribedWithTheTokensWording", func(t *testing.T) {
			res := e.do(t, "POST", "/api/v1/people", forms, `{"person": {"given_name": "Ada",
				"email_addresses": [{"address": "ada@example.org"}], "custom_fields": {"Favourite Colour": "green"}},
				"add_tags": ["volunteer"]}`).want(t, 200)
			adaID = idOf(t, res.Body)
			if res.Header.Get("Location") != site+"/api/v1/people/"+adaID {
				t.Errorf("Location = %q", res.Header.Get("Location"))
			}
			if describe(res.Body, "email_status") != "subscribed" {
				t.Errorf("email status = %q, want subscribed (Action Network's default, with the token's wording)", describe(res.Body, "email_status"))
			}
			p, _ := e.people.Get(e.sys, adaID)
			if c := p.Consents[people.ChannelEmail]; c.Wording != "Keep me posted by email." || c.Source != "api: petition site" {
				t.Errorf("consent = %+v", c)
			}
			if p.CustomFields["favourite_colour"] != "green" || !slices.Contains(p.Tags, "volunteer") {
				t.Errorf("custom %v, tags %v", p.CustomFields, p.Tags)
			}
		})
		t.Run("MatchedIs200WithoutLocation", func(t *testing.T) {
			res := e.do(t, "POST", "/api/v1/people", forms, `{"person": {"family_name": "Lovelace",
				"email_addresses": [{"address": "ADA@example.org"}]}}`).want(t, 200)
			if idOf(t, res.Body) != adaID || res.Header.Get("Location") != "" || describe(res.Body, "family_name") != "Lovelace" {
				t.Errorf("matched %s (want %s), Location %q", idOf(t, res.Body), adaID, res.Header.Get("Location"))
			}
		})
		t.Run("CommaInATagSavesNothing", func(t *testing.T) {
			// The defect of issue 14: this answered 400 after saving the person.
			e.unchanged(t, func() {
				res := e.do(t, "POST", "/api/v1/people", forms, `{"person": {"given_name": "Bo",
					"email_addresses": [{"address": "bo@example.org"}]}, "add_tags": ["a, b"]}`).want(t, 400)
				if msg, fields := res.errorOf(); fields["add_tags"] == nil || !strings.Contains(msg, "add_tags") {
					t.Errorf("error %q, fields %v", msg, fields)
				}
			})
			if _, err := e.people.Match(e.sys, "bo@example.org", ""); err == nil {
				t.Fatal("Bo was saved")
			}
		})
		t.Run("SubscribedWithoutAnyWordingSavesNothing", func(t *testing.T) {
			e.unchanged(t, func() {
				res := e.do(t, "POST", "/api/v1/people", e.network, `{"person": {"given_name": "Cy",
					"email_addresses": [{"address": "cy@example.org", "status": "subscribed"}]}, "add_tags": ["x"]}`).want(t, 400)
				if msg, _ := res.errorOf(); !strings.Contains(msg, "consent wording") || !strings.Contains(msg, "--consent-wording") {
					t.Errorf("message %q does not name the token's consent wording", msg)
				}
			})
		})
		t.Run("NoWordingNoStatusIsUnsubscribed", func(t *testing.T) {
			res := e.do(t, "POST", "/api/v1/people", e.network, `{"person": {"email_addresses": [{"address": "di@example.org"}]}}`).want(t, 200)
			if describe(res.Body, "email_status") != "unsubscribed" {
				t.Errorf("without a wording anywhere a new person is %q", describe(res.Body, "email_status"))
			}
		})
		t.Run("RequestWordingWinsOverTokens", func(t *testing.T) {
			res := e.do(t, "POST", "/api/v1/people/person_signup_helper", forms, `{"person": {"phone_numbers": [{"number": "07700 900123", "status": "subscribed"}]},
				"consent": {"wording": "Text me"}}`).want(t, 200)
			p, _ := e.people.Get(e.sys, idOf(t, res.Body))
			if c := p.Consents[people.ChannelSMS]; c.Wording != "Text me" || describe(res.Body, "phone_status") != "subscribed" {
				t.Errorf("sms consent = %+v", c)
			}
		})
		t.Run("PutSubscribesWithTheTokensWording", func(t *testing.T) {
			res := e.do(t, "PUT", "/api/v1/people/"+idOf(t, e.do(t, "GET", "/api/v1/people?filter="+url.QueryEscape("email_address eq 'di@example.org'"), e.network, "").want(t, 200).embedded(t, "osdi:people")[0]),
				forms, `{"email_addresses": [{"address": "di@example.org", "status": "subscribed"}]}`).want(t, 200)
			if describe(res.Body, "email_status") != "subscribed" {
				t.Errorf("after PUT: %q", describe(res.Body, "email_status"))
			}
		})
		t.Run("PutRefusedChangesNothing", func(t *testing.T) {
			e.unchanged(t, func() {
				e.do(t, "PUT", "/api/v1/people/"+adaID, e.network, `{"given_name": "Changed", "custom_fields": {"New Key": "x"},
					"phone_numbers": [{"number": "12"}]}`).want(t, 400)
				// Refused late, in the transaction, after the new key was
				// defined: someone else has the address.
				e.do(t, "PUT", "/api/v1/people/"+adaID, e.network, `{"given_name": "Changed", "custom_fields": {"New Key": "x"},
					"email_addresses": [{"address": "di@example.org", "status": "unsubscribed"}]}`).want(t, 409)
			})
			if p, _ := e.people.Get(e.sys, adaID); p.GivenName != "Ada" {
				t.Errorf("name = %q", p.GivenName)
			}
		})
		t.Run("CustomFieldsMetadata", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/metadata/custom_fields", e.network, "").want(t, 200)
			raw, _ := res.Body["action_network:custom_fields"].([]any)
			var names []string
			for _, f := range raw {
				names = append(names, f.(map[string]any)["name"].(string))
			}
			if !slices.Contains(names, "favourite_colour") {
				t.Errorf("custom fields = %v", names)
			}
		})
	})
}

func TestTagsAndTaggingsAsActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada", "ada@example.org")
		tag := e.do(t, "POST", "/api/v1/tags", e.network, `{"name": "Volunteers"}`).want(t, 200)
		tagID := idOf(t, tag.Body)
		if tag.Body["name"] != "Volunteers" || href(tag.Body, "self") != site+"/api/v1/tags/"+tagID {
			t.Fatalf("tag = %s", tag.Raw)
		}
		if again := e.do(t, "POST", "/api/v1/tags", e.network, `{"name": "volunteers"}`).want(t, 200); idOf(t, again.Body) != tagID {
			t.Errorf("a tag of the same name is a new tag")
		}
		e.unchanged(t, func() { e.do(t, "POST", "/api/v1/tags", e.network, `{"name": "a, b"}`).want(t, 400) })

		tg := e.do(t, "POST", "/api/v1/tags/"+tagID+"/taggings", e.network,
			`{"_links": {"osdi:person": {"href": "`+site+`/api/v1/people/`+ada.ID+`"}}}`).want(t, 200)
		self := href(tg.Body, "self")
		got := e.do(t, "GET", path(t, self), e.network, "").want(t, 200)
		if href(got.Body, "osdi:person") != site+"/api/v1/people/"+ada.ID || href(got.Body, "osdi:tag") != site+"/api/v1/tags/"+tagID {
			t.Errorf("tagging = %s", got.Raw)
		}
		mine := e.do(t, "GET", "/api/v1/people/"+ada.ID+"/taggings", e.network, "").want(t, 200).embedded(t, "osdi:taggings")
		if len(mine) != 1 || href(mine[0], "self") != self {
			t.Errorf("Ada's taggings = %v", mine)
		}
		del := e.do(t, "DELETE", path(t, self), e.network, "").want(t, 200)
		if del.Body["notice"] == nil {
			t.Errorf("delete = %s", del.Raw)
		}
		e.do(t, "GET", path(t, self), e.network, "").want(t, 404)
		e.do(t, "GET", "/api/v1/tags/"+tagID+"/taggings/"+ada.ID+"_"+ada.ID, e.network, "").want(t, 404)
	})
}

// TestIdentifiers checks every resource's identifier: "momentum:<id>" with
// one colon, the id being the last part of the resource's own URL, so
// that clients that split on the first colon, or the last, get it.
func TestIdentifiers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada", "ada@example.org")
		if err := e.people.Tag(e.sys, ada.ID, "steward"); err != nil {
			t.Fatal(err)
		}
		l, err := e.people.SaveList(e.sys, "Stewards", people.Filter{Tags: []string{"steward"}})
		if err != nil {
			t.Fatal(err)
		}
		tagID := idOf(t, e.do(t, "GET", "/api/v1/tags", e.network, "").want(t, 200).embedded(t, "osdi:tags")[0])
		var objs []map[string]any
		objs = append(objs, e.do(t, "GET", "/api/v1/people/"+ada.ID, e.network, "").want(t, 200).Body)
		objs = append(objs, e.do(t, "GET", "/api/v1/tags/"+tagID, e.network, "").want(t, 200).Body)
		objs = append(objs, e.do(t, "GET", "/api/v1/tags/"+tagID+"/taggings", e.network, "").want(t, 200).embedded(t, "osdi:taggings")...)
		objs = append(objs, e.do(t, "GET", "/api/v1/lists/"+l.ID, e.network, "").want(t, 200).Body)
		objs = append(objs, e.do(t, "GET", "/api/v1/queries/"+l.ID, e.network, "").want(t, 200).Body)
		objs = append(objs, e.do(t, "GET", "/api/v1/lists/"+l.ID+"/items", e.network, "").want(t, 200).embedded(t, "osdi:items")...)
		for _, o := range objs {
			ids, _ := o["identifiers"].([]any)
			self := href(o, "self")
			if len(ids) != 1 || self == "" {
				t.Fatalf("identifiers %v, self %q", ids, self)
			}
			id := ids[0].(string)
			_, first, _ := strings.Cut(id, ":")
			if !strings.HasPrefix(id, "momentum:") || strings.Count(id, ":") != 1 || !strings.HasSuffix(self, "/"+first) {
				t.Errorf("identifier %q does not name %s", id, self)
			}
			e.do(t, "GET", path(t, self), e.network, "").want(t, 200)
		}
	})
}

func TestQueriesAndMetadata(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		l, err := e.people.SaveList(e.sys, "Lapsed", people.Filter{MembershipStatus: people.StatusLapsed})
		if err != nil {
			t.Fatal(err)
		}
		qs := e.do(t, "GET", "/api/v1/queries", e.network, "").want(t, 200).embedded(t, "osdi:queries")
		if len(qs) != 1 || qs[0]["name"] != "Lapsed" || idOf(t, qs[0]) != l.ID || qs[0]["created_date"] == nil {
			t.Fatalf("queries = %v", qs)
		}
		q := e.do(t, "GET", "/api/v1/queries/"+l.ID, e.network, "").want(t, 200)
		if href(q.Body, "osdi:items") != site+"/api/v1/lists/"+l.ID+"/items" {
			t.Errorf("query = %s", q.Raw)
		}
		e.do(t, "GET", "/api/v1/queries/nope", e.network, "").want(t, 404)
		md := e.do(t, "GET", "/api/v1/metadata", e.network, "").want(t, 200)
		if md.Body["name"] != "Momentum" || href(md.Body, "action_network:custom_fields") != site+"/api/v1/metadata/custom_fields" {
			t.Errorf("metadata = %s", md.Raw)
		}
	})
}

func TestErrorsAsActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		missing := e.do(t, "GET", "/api/v1/people", "", "").want(t, 401)
		bad := e.do(t, "GET", "/api/v1/people", "mtm_not-a-token", "").want(t, 401)
		for _, r := range []response{missing, bad} {
			if _, ok := r.Body["error"].(string); !ok || r.Body["momentum:error"] == nil {
				t.Errorf("401 body = %s", r.Raw)
			}
		}
		if !slices.Equal(slices.Sorted(maps.Keys(missing.Body)), slices.Sorted(maps.Keys(bad.Body))) {
			t.Errorf("a missing token answers %s, a bad one %s", missing.Raw, bad.Raw)
		}
		nf := e.do(t, "GET", "/api/v1/no/such/thing", e.network, "").want(t, 404)
		if msg, _ := nf.Body["error"].(string); msg == "" {
			t.Errorf("404 = %s", nf.Raw)
		}
		na := e.do(t, "PATCH", "/api/v1/tags", e.network, "").want(t, 405)
		if na.Header.Get("Allow") != "GET, POST, HEAD" {
			t.Errorf("Allow = %q", na.Header.Get("Allow"))
		}
	})
}
