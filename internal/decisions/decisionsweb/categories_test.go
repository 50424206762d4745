package decisionsweb

import (
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestElectionCategoriesFromForm: candidates typed into the election form
// carry their category after a bar, so that reserved seats can be met.
func TestElectionCategoriesFromForm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		hackney := s.group(t, "Hackney Momentum")
		org := s.person(t, "Olu Organiser", auth.RoleMember, "member")
		s.join(t, hackney, org, "organiser")
		form := url.Values{"group": {hackney}, "kind": {"election"}, "title": {"Women's officers"},
			"options": {"Ann Able | women\r\nBob Brown\r\nCat Cole |women \r\n"}, "seats": {"2"}, "method": {"scottish-stv"},
			"min_rep_category": {"women"}, "min_rep_seats": {"1"}, "members_only": {"true"},
			"opens_date": {"2026-06-03"}, "opens_time": {"10:00"}, "closes_date": {"2026-06-05"}, "closes_time": {"09:00"}}
		res := s.do("POST", "/decisions", form, &org)
		if res.Code != 303 {
			t.Fatalf("create: %d\n%s", res.Code, res.Body)
		}
		id := strings.TrimPrefix(res.Header().Get("Location"), "/decisions/")
		dec, err := s.svc.Get(org.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, o := range dec.Options {
			got[o.Label] = o.Category
		}
		if len(got) != 3 || got["Ann Able"] != "women" || got["Bob Brown"] != "" || got["Cat Cole"] != "women" {
			t.Fatalf("options and categories %v", got)
		}
	})
}

// TestAmendments: while a decision is a draft or under discussion those
// who manage it change it through its form, filled in with what it holds;
// an organiser of another group cannot; once voting opens it is too late.
func TestAmendments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		hackney, leeds := s.group(t, "Hackney Momentum"), s.group(t, "Leeds Momentum")
		org := s.person(t, "Olu Organiser", auth.RoleMember, "member")
		s.join(t, hackney, org, "organiser")
		orgB := s.person(t, "Lee Organiser", auth.RoleMember, "member")
		s.join(t, leeds, orgB, "organiser")
		form := url.Values{"group": {hackney}, "kind": {"election"}, "title": {"Officers"}, "body": {"We elect **two**.\n\n<script>x</script>"},
			"options": {"Ann Able | women\r\nBob Brown\r\n"}, "seats": {"1"}, "method": {"scottish-stv"}, "members_only": {"true"},
			"opens_date": {"2026-06-03"}, "opens_time": {"10:00"}, "closes_date": {"2026-06-05"}, "closes_time": {"09:00"}}
		res := s.do("POST", "/decisions", form, &org)
		if res.Code != 303 {
			t.Fatalf("create: %d", res.Code)
		}
		id := strings.TrimPrefix(res.Header().Get("Location"), "/decisions/")
		edit := "/decisions/" + id + "/edit"
		s.run(t, scenario{Name: "EditForm", As: &org, URL: edit, ExpectedStatus: 200,
			ExpectedContent: []string{`action="/decisions/` + id + `/edit"`, `value="Officers"`, "Ann Able | women", "Save the changes",
				`value="2026-06-03"`, `value="10:00"`}})
		s.run(t, scenario{Name: "BodyIsMarkdown", As: &org, URL: "/decisions/" + id, ExpectedStatus: 200,
			ExpectedContent: []string{"<strong>two</strong>"}, NotExpectedContent: []string{"**two**", "<script>x"}})
		s.run(t, scenario{Name: "EditRefusedToOtherGroup", As: &orgB, URL: edit, ExpectedStatus: 403})
		s.run(t, scenario{Name: "UpdateRefusedToOtherGroup", As: &orgB, Method: "POST", URL: edit, Form: form, ExpectedStatus: 403})
		form.Set("title", "Officers for 2027")
		form.Set("options", "Ann Able | women\r\nBob Brown\r\nCat Cole | women\r\n")
		res = s.do("POST", edit, form, &org)
		if res.Code != 303 {
			t.Fatalf("update: %d\n%s", res.Code, res.Body)
		}
		dec, err := s.svc.Get(org.ctx(), id)
		if err != nil || dec.Title != "Officers for 2027" || len(dec.Options) != 3 || dec.Options[2].Category != "women" {
			t.Fatalf("after the amendment: %+v, %v", dec, err)
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("title", "")
		s.run(t, scenario{Name: "UpdateInvalid", As: &org, Method: "POST", URL: edit, Form: bad, ExpectedStatus: 422,
			ExpectedContent: []string{"Cat Cole | women"}})
		if _, err := s.svc.StartDiscussion(org.ctx(), id); err != nil {
			t.Fatal(err)
		}
		s.run(t, scenario{Name: "EditDuringDiscussion", As: &org, URL: edit, ExpectedStatus: 200})
		s.clock.Set(dec.OpensAt)
		if _, err := s.svc.OpenVoting(s.system, id); err != nil {
			t.Fatal(err)
		}
		s.run(t, scenario{Name: "TooLateOnceVotingOpens", As: &org, URL: edit, ExpectedStatus: 409})
	})
}
