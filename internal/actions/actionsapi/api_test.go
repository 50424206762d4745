package actionsapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/actions/actionsapi"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestPetitionsActionNetwork (issue 14): Action Network's documented
// requests for petitions and signatures give its fields and status codes:
// POST /petitions, GET and PUT /petitions/{id}, the record signature
// helper (person, add_tags, comments), the signatures collection and one
// signature, a person's signatures; identifiers end with the URL's id; a
// refused request writes nothing; a group token sees its group's only.
func TestPetitionsActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney")
		other := e.group(t, "Leeds")
		tokenG := e.token(t, "hackney site", g.ID)
		tokenO := e.token(t, "leeds site", other.ID)

		// Action Network's example body for POST /petitions.
		res := e.do(t, "POST", "/api/v1/petitions", tokenG, `{
			"title": "Stop doing the bad thing",
			"description": "<p>Want to stop the bad thing?</p>",
			"petition_text": "Please stop doing the bad thing",
			"target": [{"name": "The Secretary of State"}, {"name": "The Mayor"}],
			"origin_system": "FreePetitions.com",
			"momentum:consent_wording": "Email me about this campaign.",
			"momentum:comments": true,
			"momentum:tags": ["petition-signer"]
		}`, 200)
		id := idOf(t, res.Body)
		if loc := res.Header.Get("Location"); loc != site+"/api/v1/petitions/"+id {
			t.Errorf("Location %q", loc)
		}
		for k, v := range map[string]any{"title": "Stop doing the bad thing", "petition_text": "Please stop doing the bad thing",
			"total_signatures": float64(0), "origin_system": "Momentum", "momentum:status": "open", "momentum:hidden": false} {
			if res.Body[k] != v {
				t.Errorf("%s = %v, want %v", k, res.Body[k], v)
			}
		}
		if tg, _ := res.Body["target"].([]any); len(tg) != 1 || tg[0].(map[string]any)["name"] != "The Secretary of State, The Mayor" {
			t.Errorf("target = %v", res.Body["target"])
		}
		for rel, href := range map[string]string{"self": site + "/api/v1/petitions/" + id,
			"osdi:signatures":              site + "/api/v1/petitions/" + id + "/signatures",
			"osdi:record_signature_helper": site + "/api/v1/petitions/" + id + "/signatures",
			"momentum:group":               site + "/api/v1/groups/" + g.ID} {
			if got := linkOf(res.Body, rel); got != href {
				t.Errorf("_links[%s] = %q, want %q", rel, got, href)
			}
		}
		for _, k := range []string{"created_date", "modified_date", "browser_url", "description"} {
			if s, _ := res.Body[k].(string); s == "" {
				t.Errorf("%s is empty", k)
			}
		}

		t.Run("GetPutAndScoping", func(t *testing.T) {
			e.do(t, "GET", "/api/v1/petitions/"+id, tokenG, "", 200)
			e.do(t, "GET", "/api/v1/petitions/"+id, e.network, "", 200)
			statusOf(t, e, "/api/v1/petitions/"+id, tokenO)      // another group's token: 403 or 404
			e.do(t, "GET", "/api/v1/forms/"+id, tokenG, "", 404) // a petition is not a form
			res := e.do(t, "PUT", "/api/v1/petitions/"+id, tokenG, `{"title": "Stop the bad thing now"}`, 200)
			if res.Body["title"] != "Stop the bad thing now" || res.Body["petition_text"] != "Please stop doing the bad thing" {
				t.Errorf("after PUT: %s", res.Raw)
			}
			e.do(t, "PUT", "/api/v1/petitions/"+id, tokenG, `{"title": "X", "momentum:status": "finished"}`, 400)
			if got := e.do(t, "GET", "/api/v1/petitions/"+id, tokenG, "", 200); got.Body["title"] != "Stop the bad thing now" {
				t.Errorf("a refused PUT changed the title: %v", got.Body["title"])
			}
			list := e.do(t, "GET", "/api/v1/petitions", tokenG, "", 200)
			if list.Body["total_records"] != float64(1) || len(list.items(t, "osdi:petitions")) != 1 {
				t.Errorf("group token's petitions: %s", list.Raw)
			}
			if l := e.do(t, "GET", "/api/v1/petitions", tokenO, "", 200); l.Body["total_records"] != float64(0) {
				t.Errorf("another group's token lists the petition: %s", l.Raw)
			}
			e.do(t, "GET", "/api/v1/petitions?filter="+strings.ReplaceAll("title eq 'x'", " ", "%20"), tokenG, "", 400)
			e.do(t, "GET", "/api/v1/petitions", "", "", 401)
		})

		var sigID, personID string
		t.Run("RecordSignatureHelper", func(t *testing.T) {
			// Action Network's example body.
			res := e.do(t, "POST", "/api/v1/petitions/"+id+"/signatures", tokenG, `{
				"person": {
					"family_name": "Smith",
					"given_name": "John",
					"postal_addresses": [{"postal_code": "E8 1DY"}],
					"email_addresses": [{"address": "jsmith@mail.com", "status": "subscribed"}]
				},
				"add_tags": ["volunteer", "member"],
				"comments": "Stop it!"
			}`, 200)
			sigID = idOf(t, res.Body)
			if loc := res.Header.Get("Location"); loc != site+"/api/v1/petitions/"+id+"/signatures/"+sigID {
				t.Errorf("Location %q", loc)
			}
			personID, _ = res.Body["momentum:person_id"].(string)
			if res.Body["comments"] != "Stop it!" || res.Body["momentum:petition_id"] != id || personID == "" {
				t.Errorf("signature = %s", res.Raw)
			}
			if rd, _ := res.Body["momentum:referrer_data"].(map[string]any); rd["source"] != "api: hackney site" {
				t.Errorf("source = %v", res.Body["momentum:referrer_data"])
			}
			self := linkOf(res.Body, "self")
			if self != site+"/api/v1/petitions/"+id+"/signatures/"+sigID || linkOf(res.Body, "osdi:petition") != site+"/api/v1/petitions/"+id ||
				linkOf(res.Body, "osdi:person") != site+"/api/v1/people/"+personID {
				t.Errorf("links = %v", res.Body["_links"])
			}
			if n := e.count(t, `SELECT COUNT(*) FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = ?
				AND t.name IN ('volunteer', 'member', 'petition-signer')`, personID); n != 3 {
				t.Errorf("%d of the 3 tags applied", n)
			}
			hist, err := e.people.ConsentHistory(e.sys, personID)
			if err != nil || len(hist) != 1 || hist[0].Wording != "Email me about this campaign." {
				t.Errorf("consent = %+v, %v", hist, err)
			}
			// Again: the earlier signature stands, 200.
			again := e.do(t, "POST", "/api/v1/petitions/"+id+"/signatures", tokenG,
				`{"person": {"email_addresses": [{"address": "jsmith@mail.com"}]}}`, 200)
			if idOf(t, again.Body) != sigID || again.Header.Get("Location") != "" {
				t.Errorf("duplicate = %s (Location %q)", again.Raw, again.Header.Get("Location"))
			}
			got := e.do(t, "GET", "/api/v1/petitions/"+id, tokenG, "", 200)
			if got.Body["total_signatures"] != float64(1) {
				t.Errorf("total_signatures = %v", got.Body["total_signatures"])
			}
			one := e.do(t, "GET", "/api/v1/petitions/"+id+"/signatures/"+sigID, tokenG, "", 200)
			if idOf(t, one.Body) != sigID || one.Body["comments"] != "Stop it!" {
				t.Errorf("GET signature = %s", one.Raw)
			}
			e.do(t, "GET", "/api/v1/petitions/"+id+"/signatures/"+db.NewID(), tokenG, "", 404)
		})

		t.Run("RefusedWritesNothing", func(t *testing.T) {
			people, responses, tags := e.count(t, `SELECT COUNT(*) FROM people`), e.count(t, `SELECT COUNT(*) FROM action_responses`),
				e.count(t, `SELECT COUNT(*) FROM person_tags`)
			for name, body := range map[string]string{
				"BadTag":      `{"person": {"email_addresses": [{"address": "n1@example.org"}]}, "add_tags": ["a, b"]}`,
				"NoEmail":     `{"person": {"given_name": "Nobody"}}`,
				"BadEmail":    `{"person": {"email_addresses": [{"address": "not an address"}]}}`,
				"BadStatus":   `{"person": {"email_addresses": [{"address": "n2@example.org", "status": "maybe"}]}}`,
				"BadPostcode": `{"person": {"email_addresses": [{"address": "n3@example.org"}], "postal_addresses": [{"postal_code": "XX"}]}}`,
			} {
				r := e.do(t, "POST", "/api/v1/petitions/"+id+"/signatures", tokenG, body, 400)
				if len(r.fields()) == 0 {
					t.Errorf("%s: no field named: %s", name, r.Raw)
				}
			}
			e.do(t, "POST", "/api/v1/petitions/"+id+"/signatures", tokenO, `{"person": {"email_addresses": [{"address": "n4@example.org"}]}}`,
				statusOf(t, e, "/api/v1/petitions/"+id, tokenO))
			if p, r, tg := e.count(t, `SELECT COUNT(*) FROM people`), e.count(t, `SELECT COUNT(*) FROM action_responses`),
				e.count(t, `SELECT COUNT(*) FROM person_tags`); p != people || r != responses || tg != tags {
				t.Errorf("refused requests wrote: people %d→%d, responses %d→%d, taggings %d→%d", people, p, responses, r, tags, tg)
			}
		})

		t.Run("SignaturesPaged", func(t *testing.T) {
			for i := range 6 {
				e.do(t, "POST", "/api/v1/petitions/"+id+"/signatures", e.network,
					fmt.Sprintf(`{"person": {"given_name": "S%d", "email_addresses": [{"address": "s%d@example.org"}]}}`, i, i), 200)
			}
			seen := map[string]bool{}
			for page := 1; page <= 3; page++ {
				r := e.do(t, "GET", fmt.Sprintf("/api/v1/petitions/%s/signatures?page=%d&per_page=3", id, page), tokenG, "", 200)
				if r.Body["total_records"] != float64(7) || r.Body["total_pages"] != float64(3) || r.Body["page"] != float64(page) {
					t.Fatalf("page %d: %s", page, r.Raw)
				}
				for _, s := range r.items(t, "osdi:signatures") {
					seen[idOf(t, s)] = true
				}
			}
			if len(seen) != 7 || !seen[sigID] {
				t.Errorf("paging saw %d distinct signatures, want 7", len(seen))
			}
			// Following next links: each carries the cursor (after=), and
			// the pages together are the same signatures.
			byLink := map[string]bool{}
			for next := "/api/v1/petitions/" + id + "/signatures?per_page=3"; next != ""; {
				r := e.do(t, "GET", next, tokenG, "", 200)
				for _, s := range r.items(t, "osdi:signatures") {
					byLink[idOf(t, s)] = true
				}
				next = ""
				if l := linkOf(r.Body, "next"); l != "" {
					if !strings.Contains(l, "after=") {
						t.Errorf("next link without a cursor: %s", l)
					}
					next = strings.TrimPrefix(l, site)
				}
			}
			if len(byLink) != 7 {
				t.Errorf("following next links saw %d signatures, want 7", len(byLink))
			}
			e.do(t, "GET", "/api/v1/petitions/"+id+"/signatures?after="+db.NewID(), tokenG, "", 400)
			if r := e.do(t, "GET", "/api/v1/petitions/"+id+"/signatures?page=50", tokenG, "", 200); len(r.items(t, "osdi:signatures")) != 0 {
				t.Errorf("page past the end: %s", r.Raw)
			}
		})

		t.Run("PersonSignatures", func(t *testing.T) {
			r := e.do(t, "GET", "/api/v1/people/"+personID+"/signatures", tokenG, "", 200)
			items := r.items(t, "osdi:signatures")
			if len(items) != 1 || idOf(t, items[0]) != sigID {
				t.Errorf("person's signatures: %s", r.Raw)
			}
			if r := e.do(t, "GET", "/api/v1/people/"+personID+"/signatures", tokenO, "", 200); r.Body["total_records"] != float64(0) {
				t.Errorf("another group's token sees the signature: %s", r.Raw)
			}
			if r := e.do(t, "GET", "/api/v1/people/"+personID+"/submissions", tokenG, "", 200); r.Body["total_records"] != float64(0) {
				t.Errorf("a signature listed as a submission: %s", r.Raw)
			}
		})

		t.Run("SignatureResource", func(t *testing.T) {
			v, err := e.h.SignatureResource(e.sys, sigID)
			if err != nil {
				t.Fatal(err)
			}
			if s := v.(actionsapi.Response); s.Identifiers[0] != "momentum:"+sigID || s.Comments == nil || *s.Comments != "Stop it!" {
				t.Errorf("resource = %+v", s)
			}
			if _, err := e.h.SubmissionResource(e.sys, sigID); err == nil {
				t.Error("a signature read as a submission")
			}
		})
	})
}

// statusOf is what a token gets for GET path: 403 or 404, whichever the
// policy answers for another group's record.
func statusOf(t *testing.T, e *env, path, token string) int {
	t.Helper()
	r := e.rawStatus(t, "GET", path, token)
	if r != 403 && r != 404 {
		t.Fatalf("GET %s with another group's token: %d, want 403 or 404", path, r)
	}
	return r
}

// TestFormsActionNetwork (issue 14): forms and submissions as Action
// Network documents them; answers reach the form's questions from
// momentum:answers and from person.custom_fields mapped to them.
func TestFormsActionNetwork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if err := e.people.DefineField(e.sys, people.FieldDef{Key: "skills", Label: "Skills", Kind: "text"}); err != nil {
			t.Fatal(err)
		}
		// A token with a consent wording gives it to the forms it creates.
		tokenW, _, err := e.auth.CreateAPITokenWithConsent(e.sys, "volunteer site", "", "Email me about volunteering.")
		if err != nil {
			t.Fatal(err)
		}
		res := e.do(t, "POST", "/api/v1/forms", tokenW, `{
			"title": "Volunteer with us",
			"description": "Tell us how you can help.",
			"momentum:questions": [
				{"key": "hours", "label": "Hours a week", "kind": "number", "required": true},
				{"key": "skills", "label": "Skills", "kind": "text", "field": "custom.skills"}
			]
		}`, 200)
		id := idOf(t, res.Body)
		for k, v := range map[string]any{"title": "Volunteer with us", "description": "Tell us how you can help.",
			"total_submissions": float64(0), "momentum:status": "open", "momentum:consent_wording": "Email me about volunteering."} {
			if res.Body[k] != v {
				t.Errorf("%s = %v, want %v", k, res.Body[k], v)
			}
		}
		if linkOf(res.Body, "osdi:record_submission_helper") != site+"/api/v1/forms/"+id+"/submissions" {
			t.Errorf("links = %v", res.Body["_links"])
		}
		before := e.count(t, `SELECT COUNT(*) FROM people`)
		r := e.do(t, "POST", "/api/v1/forms/"+id+"/submissions", e.network,
			`{"person": {"given_name": "Ann", "email_addresses": [{"address": "ann@example.org"}]}}`, 400)
		if _, ok := r.fields()["momentum:answers.hours"]; !ok {
			t.Errorf("fields = %v", r.fields())
		}
		if e.count(t, `SELECT COUNT(*) FROM people`) != before {
			t.Error("a refused submission created a person")
		}
		sub := e.do(t, "POST", "/api/v1/forms/"+id+"/submissions", e.network, `{
			"person": {"given_name": "Ann", "email_addresses": [{"address": "ann@example.org"}], "custom_fields": {"skills": "design"}},
			"momentum:answers": {"hours": 4},
			"add_tags": ["volunteer"]
		}`, 200)
		sid := idOf(t, sub.Body)
		ans, _ := sub.Body["momentum:answers"].(map[string]any)
		if ans["hours"] != "4" || ans["skills"] != "design" || sub.Body["momentum:form_id"] != id {
			t.Errorf("submission = %s", sub.Raw)
		}
		list := e.do(t, "GET", "/api/v1/forms/"+id+"/submissions", e.network, "", 200)
		if items := list.items(t, "osdi:submissions"); len(items) != 1 || idOf(t, items[0]) != sid {
			t.Errorf("submissions = %s", list.Raw)
		}
		e.do(t, "GET", "/api/v1/forms/"+id+"/submissions/"+sid, e.network, "", 200)
		e.do(t, "GET", "/api/v1/petitions/"+id+"/signatures/"+sid, e.network, "", 404)
		forms := e.do(t, "GET", "/api/v1/forms", e.network, "", 200)
		if forms.Body["total_records"] != float64(1) {
			t.Errorf("forms = %s", forms.Raw)
		}
		if p := e.do(t, "GET", "/api/v1/petitions", e.network, "", 200); p.Body["total_records"] != float64(0) {
			t.Errorf("a form listed as a petition: %s", p.Raw)
		}
		v, err := e.h.SubmissionResource(e.sys, sid)
		if err != nil || v.(actionsapi.Response).FormID != id {
			t.Errorf("SubmissionResource = %+v, %v", v, err)
		}
	})
}
