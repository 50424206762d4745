package actions

import (
	"context"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// TestCreateValidates: every bad field is named, and nothing is stored.
func TestCreateValidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		q := func(mod func(*Question)) Input {
			in := petition("Questions")
			in.Kind = KindForm
			in.Questions = []Question{{Key: "size", Label: "How many?", Kind: QChoice, Choices: []string{"1", "2"}}}
			mod(&in.Questions[0])
			return in
		}
		for name, tc := range map[string]struct {
			in    Input
			field string
		}{
			"Kind":         {func() Input { in := petition("x"); in.Kind = "poll"; return in }(), "kind"},
			"Title":        {petition(" "), "title"},
			"LongTitle":    {petition(strings.Repeat("t", 201)), "title"},
			"Slug":         {func() Input { in := petition("x"); in.Slug = "Bad slug!"; return in }(), "slug"},
			"GoalNegative": {func() Input { in := petition("x"); in.Goal = -1; return in }(), "goal"},
			"GoalHuge":     {func() Input { in := petition("x"); in.Goal = 1 << 40; return in }(), "goal"},
			"Wording":      {func() Input { in := petition("x"); in.ConsentWording = ""; return in }(), "consent_wording"},
			"Tag":          {func() Input { in := petition("x"); in.Tags = []string{"a, b"}; return in }(), "tags"},
			"Subject":      {func() Input { in := petition("x"); in.ThanksSubject = "a\nb"; return in }(), "thanks_subject"},
			"QKey":         {q(func(q *Question) { q.Key = "Size!" }), "questions.0.key"},
			"QLabel":       {q(func(q *Question) { q.Label = "" }), "questions.0.label"},
			"QKind":        {q(func(q *Question) { q.Kind = "essay" }), "questions.0.kind"},
			"QChoices":     {q(func(q *Question) { q.Choices = []string{"only"} }), "questions.0.choices"},
			"QField":       {q(func(q *Question) { q.Kind, q.Field = QText, "password" }), "questions.0.field"},
			"QFieldKind":   {q(func(q *Question) { q.Field = "given_name" }), "questions.0.field"},
		} {
			t.Run(name, func(t *testing.T) {
				before := e.count(t, "actions")
				_, err := e.svc.Create(e.admin.ctx, tc.in)
				wantCode(t, err, errs.Invalid)
				wantField(t, err, tc.field)
				if e.count(t, "actions") != before {
					t.Fatal("an invalid action was stored")
				}
			})
		}
		t.Run("SlugFromTitle", func(t *testing.T) {
			a1, err := e.svc.Create(e.admin.ctx, petition("Save Hackney's library!"))
			if err != nil {
				t.Fatal(err)
			}
			a2, err := e.svc.Create(e.admin.ctx, petition("Save Hackney's library"))
			if err != nil {
				t.Fatal(err)
			}
			if a1.Slug != "save-hackney-s-library" || a2.Slug != "save-hackney-s-library-2" {
				t.Fatalf("slugs %q, %q", a1.Slug, a2.Slug)
			}
			in := petition("Another")
			in.Slug = a1.Slug
			_, err = e.svc.Create(e.admin.ctx, in)
			wantCode(t, err, errs.Conflict)
			wantField(t, err, "slug")
		})
		t.Run("UnknownGroup", func(t *testing.T) {
			in := petition("Nowhere")
			in.GroupID = db.NewID()
			_, err := e.svc.Create(e.admin.ctx, in)
			wantField(t, err, "group")
		})
		t.Run("RoundTrip", func(t *testing.T) {
			in := petition("Fix the lifts")
			in.Kind = KindForm
			in.Questions = []Question{
				{Key: "flat", Label: "Your flat", Kind: QText, Field: "custom.flat", Required: true},
				{Key: "floor", Label: "Floor", Kind: QChoice, Choices: []string{"Ground", "1–5", "6+"}},
			}
			a := e.open(t, e.admin.ctx, in)
			got, err := e.svc.Get(e.admin.ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Fix the lifts" || len(got.Questions) != 2 || got.Questions[1].Choices[2] != "6+" ||
				got.Status != StatusOpen || got.Tags[0] != "petition signer" || got.CreatedBy != e.admin.UserID {
				t.Fatalf("got %+v", got)
			}
			pub, err := e.svc.Public(context.Background(), a.Slug)
			if err != nil || pub.ID != a.ID {
				t.Fatalf("Public(slug) = %v, %v", pub, err)
			}
		})
	})
}

// TestPermissions: organisers manage their own group's actions only;
// supporters and strangers manage none; drafts are nobody's business.
func TestPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ga, gb := e.group(t, "hackney"), e.group(t, "leeds")
		orgA, orgB := e.user(t, "Olu Organiser", auth.RoleMember), e.user(t, "Bea Organiser", auth.RoleMember)
		e.join(t, ga, orgA, "organiser")
		e.join(t, gb, orgB, "organiser")
		supporter := e.user(t, "Sam Supporter", auth.RoleSupporter)
		e.join(t, ga, supporter, "member")

		inA := petition("Hackney petition")
		inA.GroupID = ga
		a := e.open(t, orgA.ctx, inA)
		inB := petition("Leeds petition")
		inB.GroupID = gb
		b := e.open(t, orgB.ctx, inB)
		if _, err := e.svc.Respond(context.Background(), b.ID, sign("x@example.net")); err != nil {
			t.Fatal(err)
		}

		_, err := e.svc.Create(orgA.ctx, petition("Network-wide"))
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Create(orgA.ctx, inB)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Create(supporter.ctx, inA)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Create(context.Background(), inA)
		wantCode(t, err, errs.Unauthorized)

		_, err = e.svc.Get(orgA.ctx, b.ID)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Responses(orgA.ctx, b.ID, "", 10)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Responses(supporter.ctx, a.ID, "", 10)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Update(orgA.ctx, b.ID, inA)
		wantCode(t, err, errs.Forbidden)
		wantCode(t, e.svc.SetStatus(orgA.ctx, b.ID, StatusClosed), errs.Forbidden)
		rs, err := e.svc.Responses(orgB.ctx, b.ID, "", 10)
		if err != nil || len(rs) != 1 {
			t.Fatalf("organiser B's signers: %v, %v", rs, err)
		}
		_, err = e.svc.Response(orgA.ctx, rs[0].ID)
		wantCode(t, err, errs.Forbidden)

		list, err := e.svc.List(orgA.ctx, Filter{})
		if err != nil || len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("organiser A's list: %v, %v", list, err)
		}
		_, err = e.svc.List(orgA.ctx, Filter{GroupID: gb})
		wantCode(t, err, errs.Forbidden)
		if list, _ := e.svc.List(supporter.ctx, Filter{}); len(list) != 0 {
			t.Fatalf("a supporter lists %d actions", len(list))
		}
		if list, _ := e.svc.List(e.admin.ctx, Filter{}); len(list) != 2 {
			t.Fatalf("the admin lists %d actions, want 2", len(list))
		}

		// Anyone may respond to an open action, nobody to a draft or a
		// closed one.
		draft, err := e.svc.Create(orgA.ctx, petition("Draft"))
		if err == nil {
			t.Fatal("organiser created a network action")
		}
		dIn := petition("Draft")
		dIn.GroupID = ga
		if draft, err = e.svc.Create(orgA.ctx, dIn); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Respond(context.Background(), draft.ID, sign("y@example.net"))
		wantCode(t, err, errs.NotFound)
		_, err = e.svc.Public(context.Background(), draft.Slug)
		wantCode(t, err, errs.NotFound)
		if _, err := e.svc.Respond(context.Background(), a.ID, sign("y@example.net")); err != nil {
			t.Fatalf("anonymous signature: %v", err)
		}
	})
}

// TestSearchIndex: open actions are found by anyone; drafts and closed
// ones are not; Reindex rebuilds them from SearchDocs.
func TestSearchIndex(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		find := func(word string) int {
			t.Helper()
			res, err := search.Search(ctx, d.Q(), search.Scope{}, search.Query{Text: word, Kinds: []string{search.KindAction}})
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Hits)
		}
		in := petition("Stop the demolition of Wharf Road estate")
		a, err := e.svc.Create(e.admin.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if n := find("demolition"); n != 0 {
			t.Fatalf("a draft is found (%d hits)", n)
		}
		if err := e.svc.SetStatus(e.admin.ctx, a.ID, StatusOpen); err != nil {
			t.Fatal(err)
		}
		if n := find("demolition"); n != 1 {
			t.Fatalf("open petition: %d hits", n)
		}
		res, _ := search.Search(ctx, d.Q(), search.Scope{}, search.Query{Text: "demolition"})
		if res.Hits[0].URL != "/act/"+a.Slug {
			t.Fatalf("hit URL %q", res.Hits[0].URL)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Delete(ctx, tx, search.KindAction, a.ID) }); err != nil {
			t.Fatal(err)
		}
		if n := find("demolition"); n != 0 {
			t.Fatalf("after delete: %d hits", n)
		}
		if _, err := search.Reindex(ctx, d, e.svc); err != nil {
			t.Fatal(err)
		}
		if n := find("demolition"); n != 1 {
			t.Fatalf("after reindex: %d hits", n)
		}
		if err := e.svc.SetStatus(e.admin.ctx, a.ID, StatusClosed); err != nil {
			t.Fatal(err)
		}
		if n := find("demolition"); n != 0 {
			t.Fatalf("closed petition: %d hits", n)
		}
	})
}
