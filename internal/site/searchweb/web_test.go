package searchweb_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

const password = "Password-for-search"

type site struct {
	n       *apptest.Node
	sys     context.Context
	clients map[string]*http.Client
	groupA  *groups.Group
	groupB  *groups.Group
}

// newSite: groups A (Hackney) and B (Islington); orgA organises A,
// member is a network member in A, supporter is signed in but not a
// network member and in no group, admin; a person "Rentavia Smith" in A.
func newSite(t *testing.T, dbURL string) *site {
	t.Helper()
	n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
	a := n.App
	s := &site{n: n, sys: auth.WithSystem(context.Background()), clients: map[string]*http.Client{"anonymous": apptest.Client(t)}}
	for _, who := range []string{"admin", "orgA", "member", "supporter"} {
		role := auth.RoleMember
		switch who {
		case "admin":
			role = auth.RoleAdmin
		case "supporter":
			role = auth.RoleSupporter
		}
		n.CreateUser(t, who+"@example.org", password, role)
		c := apptest.Client(t)
		n.Login(t, c, who+"@example.org", password)
		s.clients[who] = c
	}
	var err error
	if s.groupA, err = a.Groups.Create(s.sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}}); err != nil {
		t.Fatal(err)
	}
	if s.groupB, err = a.Groups.Create(s.sys, groups.Input{Name: "Islington", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"N1"}, Description: "Tenants of Islington."}); err != nil {
		t.Fatal(err)
	}
	rentavia, err := a.People.Create(s.sys, people.Input{GivenName: "Rentavia", FamilyName: "Smith", Email: "rentavia@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups.ImportMembers(s.sys, []groups.NewMember{
		{GroupID: s.groupA.ID, PersonID: s.personID(t, "orgA@example.org"), Role: groups.RoleOrganiser},
		{GroupID: s.groupA.ID, PersonID: s.personID(t, "member@example.org"), Role: groups.RoleMember},
		{GroupID: s.groupA.ID, PersonID: rentavia.ID, Role: groups.RoleMember},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) personID(t *testing.T, email string) string {
	t.Helper()
	id, err := s.n.App.People.Match(s.sys, email, "")
	if err != nil {
		t.Fatalf("match %s: %v", email, err)
	}
	return id
}

func (s *site) event(t *testing.T, group, title, visibility, description string) *events.Event {
	t.Helper()
	day := time.Now().AddDate(0, 0, 2)
	e, err := s.n.App.Events.Create(s.sys, events.Input{GroupID: group, Title: title, Visibility: visibility, Description: description,
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC), Place: events.Place{Name: "Round Chapel"}})
	if err != nil {
		t.Fatal(err, errs.FieldsOf(err))
	}
	return e
}

func (s *site) get(t *testing.T, who, path string, status int) string {
	t.Helper()
	res := apptest.Get(t, s.clients[who], s.n.URL+path)
	if res.Status != status {
		t.Fatalf("%s GET %s: status %d, want %d\n%.2000s", who, path, res.Status, status, res.Body)
	}
	return res.Body
}

func count(t *testing.T, d *db.DB, kind, id string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT count(*) FROM search_docs WHERE kind = ? AND id = ?`, kind, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSearchPage: each kind of visitor finds what they may see and nothing
// else; people only for admins and organisers; snippets marked and
// escaped; did-you-mean; bad filters name their field; odd input is no
// error.
func TestSearchPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		s.event(t, s.groupA.ID, "Rent strike assembly", events.Public, "Everyone is welcome. <script>alert(1)</script>")
		s.event(t, s.groupA.ID, "Rent strike planning", events.Group, "Hackney members only.")
		s.event(t, s.groupB.ID, "Rent clinic", events.Members, "For network members.")

		cases := []struct {
			who  string
			sees []string
			not  []string
		}{
			// Titles come with the query's words marked: "<mark>Rent</mark> strike assembly".
			{"anonymous", []string{"strike assembly"}, []string{"strike planning", "clinic", `id="people"`}},
			{"supporter", []string{"strike assembly"}, []string{"strike planning", "clinic", `id="people"`}},
			{"member", []string{"strike assembly", "strike planning", "clinic"}, []string{`id="people"`}},
			{"orgA", []string{"strike assembly", "strike planning", "clinic", `id="people"`, "Rentavia Smith"}, nil},
			{"admin", []string{"strike assembly", "strike planning", "clinic", `id="people"`, "Rentavia Smith"}, nil},
		}
		for _, c := range cases {
			body := s.get(t, c.who, "/search?q=rent", http.StatusOK)
			for _, w := range c.sees {
				if !strings.Contains(body, w) {
					t.Errorf("%s: %q missing", c.who, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(body, w) {
					t.Errorf("%s: %q shown", c.who, w)
				}
			}
		}
		body := s.get(t, "anonymous", "/search?q=welcome", http.StatusOK)
		if !strings.Contains(body, "<mark>welcome</mark>") && !strings.Contains(body, "<mark>Welcome</mark>") {
			t.Errorf("snippet not marked:\n%.3000s", body)
		}
		if strings.Contains(body, "<script>alert") {
			t.Error("a description's script reached the page")
		}
		body = s.get(t, "anonymous", "/search?q=asembly", http.StatusOK)
		if !strings.Contains(body, "Did you mean") || !strings.Contains(body, "assembly") {
			t.Errorf("no did-you-mean for asembly:\n%.3000s", body)
		}
		body = s.get(t, "member", "/search?q=rent&kind=group", http.StatusOK)
		if strings.Contains(body, "strike") {
			t.Error("kind=group showed events")
		}
		body = s.get(t, "anonymous", "/search?q=tenants&kind=group", http.StatusOK)
		if !strings.Contains(body, "Islington") {
			t.Error("groups are not found by their description")
		}
		body = s.get(t, "member", "/search?q=rent&group="+s.groupB.ID, http.StatusOK)
		if !strings.Contains(body, "clinic") || strings.Contains(body, "strike") {
			t.Error("group filter")
		}
		if !strings.Contains(body, "<mark>Rent</mark> clinic") {
			t.Error("the title's matched word is not marked")
		}
		s.get(t, "member", "/search?q=rent&from=2020-13-01", http.StatusUnprocessableEntity)
		s.get(t, "member", "/search?q=rent&kind=secret", http.StatusUnprocessableEntity)
		s.get(t, "member", "/search?q=rent&page=0", http.StatusUnprocessableEntity)
		s.get(t, "member", "/search?q=rent&page=x", http.StatusUnprocessableEntity)
		s.get(t, "member", "/search?q=rent&from=2026-03-02&to=2026-03-01", http.StatusUnprocessableEntity)
		s.get(t, "member", "/search?q=rent&group="+strings.Repeat("g", 300), http.StatusUnprocessableEntity)
		for _, q := range []string{"%22", "NEAR%28a+b%29", "*", "a%3Ab", "%E6%97%A5%E6%9C%AC", strings.Repeat("x", 10000), "%00", "%FF", "'%3B--"} {
			// NUL and bytes that are not UTF-8 are refused (400) by the
			// input middleware before the page; nothing is a 5xx.
			if res := apptest.Get(t, s.clients["admin"], s.n.URL+"/search?q="+q); res.Status >= 500 {
				t.Errorf("q=%.40s: status %d", q, res.Status)
			}
		}
		s.get(t, "anonymous", "/search?q=", http.StatusOK)
		if !strings.Contains(s.get(t, "anonymous", "/groups", http.StatusOK), `action="/search"`) {
			t.Error("no search box in the header")
		}
	})
}

// TestIndexedOnWrite: events, groups and decisions reach the index in the
// transactions that write them; drafts do not; merged groups leave;
// Reindex rebuilds an emptied index from the services.
func TestIndexedOnWrite(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		a := s.n.App
		e := s.event(t, s.groupA.ID, "Street party", events.Public, "Bunting.")
		if count(t, a.DB, search.KindEvent, e.ID) != 1 || count(t, a.DB, search.KindGroup, s.groupA.ID) != 1 {
			t.Fatal("event or group not indexed on create")
		}
		if err := a.Events.Cancel(s.sys, e.ID); err != nil {
			t.Fatal(err)
		}
		var ctxText string
		if err := a.DB.QueryRow(s.sys, `SELECT context FROM search_docs WHERE kind = 'event' AND id = ?`, e.ID).Scan(&ctxText); err != nil || !strings.Contains(ctxText, "Cancelled") {
			t.Errorf("cancelled event's context %q (%v)", ctxText, err)
		}
		d, err := a.Decisions.Create(s.sys, decisions.Input{GroupID: s.groupA.ID, Title: "Adopt the zebra crossing plan", Body: "We propose it.", Kind: decisions.KindProposal,
			OpensAt: time.Now().Add(24 * time.Hour).Truncate(time.Second), ClosesAt: time.Now().Add(48 * time.Hour).Truncate(time.Second)})
		if err != nil {
			t.Fatal(err, errs.FieldsOf(err))
		}
		if count(t, a.DB, search.KindDecision, d.ID) != 0 {
			t.Error("a draft decision was indexed")
		}
		if _, err := a.Decisions.StartDiscussion(s.sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if count(t, a.DB, search.KindDecision, d.ID) != 1 {
			t.Error("a decision under discussion is not indexed")
		}
		body := s.get(t, "member", "/search?q=zebra", http.StatusOK)
		if !strings.Contains(body, "Adopt the <mark>zebra</mark> crossing plan") {
			t.Error("member of A does not find A's decision")
		}
		if strings.Contains(s.get(t, "supporter", "/search?q=zebra", http.StatusOK), "crossing plan") {
			t.Error("someone outside A finds A's decision")
		}
		if err := a.Groups.Merge(s.sys, s.groupB.ID, s.groupA.ID); err != nil {
			t.Fatal(err)
		}
		if count(t, a.DB, search.KindGroup, s.groupB.ID) != 0 {
			t.Error("a merged group is still indexed")
		}
		// Empty the index: Reindex builds it again from the services.
		if _, err := a.DB.Exec(s.sys, `DELETE FROM search_docs`); err != nil {
			t.Fatal(err)
		}
		c, err := search.Reindex(s.sys, a.DB, a.SearchSources()...)
		if err != nil {
			t.Fatal(err)
		}
		if c.Put != 3 || count(t, a.DB, search.KindEvent, e.ID) != 1 || count(t, a.DB, search.KindDecision, d.ID) != 1 || count(t, a.DB, search.KindGroup, s.groupB.ID) != 0 {
			t.Errorf("reindex put %d docs", c.Put)
		}
	})
}
