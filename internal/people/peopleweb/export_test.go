package peopleweb

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestListPaging follows the list's page links through a filter that
// matches more people than one page holds: "1–50 of 52", page numbers, and
// the last page without a further link.
func TestListPaging(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		for i := range 52 {
			s.person(t, people.Input{GivenName: fmt.Sprintf("P%02d", i), FamilyName: "Pager"})
		}
		first := s.do("GET", "/people?text=pager", nil, &s.admin, nil)
		body := first.Body.String()
		if first.Code != 200 || !strings.Contains(body, "52 people match") || !strings.Contains(body, "1–50 of 52") {
			t.Fatalf("first page: status %d\n%s", first.Code, body)
		}
		if n := strings.Count(body, "Pager</a>"); n != 50 {
			t.Errorf("first page shows %d people, want 50", n)
		}
		if !strings.Contains(body, `<a href="/people?page=2&amp;text=pager" aria-label="Page 2">2</a>`) ||
			!strings.Contains(body, `<a href="/people?text=pager" aria-current="page">1</a>`) {
			t.Errorf("first page: want page links 1 (current) and 2\n%s", body)
		}
		_, after, ok := strings.Cut(body, `<a href="/people?page=2`)
		if !ok || !strings.Contains(body, "Next page") {
			t.Fatalf("no Next page link\n%s", body)
		}
		link, _, _ := strings.Cut(after, `"`)
		next := s.do("GET", "/people?page=2"+strings.ReplaceAll(link, "&amp;", "&"), nil, &s.admin, nil)
		body = next.Body.String()
		if next.Code != 200 || strings.Count(body, "Pager</a>") != 2 || !strings.Contains(body, "P51 Pager") {
			t.Errorf("second page: status %d, want P50 and P51 only\n%s", next.Code, body)
		}
		if strings.Contains(body, "Next page") || !strings.Contains(body, "52 people match") || !strings.Contains(body, "51–52 of 52") {
			t.Errorf("second page: want the count and no further link\n%s", body)
		}
		// A page past the end shows the last one.
		if far := s.do("GET", "/people?text=pager&page=99", nil, &s.admin, nil); far.Code != 200 || !strings.Contains(far.Body.String(), "51–52 of 52") {
			t.Errorf("page 99: status %d, want the last page", far.Code)
		}
	})
}

// TestExportCSV reads the export back as CSV: the canonical header, one row
// per person the filter matches, and contact details only as the viewer's
// projection allows.
func TestExportCSV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		g := s.group(t, "Hackney", "E8")
		org := s.user(t, "Olu Organiser", auth.RoleMember)
		s.organise(t, g, org)
		if err := s.people.DefineField(s.admin.ctx, people.FieldDef{Key: "shirt", Label: "Shirt", Kind: people.KindText}); err != nil {
			t.Fatal(err)
		}
		yes := s.person(t, people.Input{GivenName: "Yan", FamilyName: "Yes", Email: "yan@example.org", Phone: "07700 900001",
			GroupID: g.ID, CustomFields: map[string]string{"shirt": "M"}})
		s.consent(t, yes, people.ChannelEmail)
		s.person(t, people.Input{GivenName: "Nell", FamilyName: "No", Email: "nell@example.org", Phone: "07700 900002", GroupID: g.ID})
		s.person(t, people.Input{GivenName: "Out", FamilyName: "Side", Email: "out@example.org"})
		header := peoplecsv.NewWriter(nil, []string{"shirt"}).Header()
		col := func(name string) int { return slices.Index(header, name) }

		for _, tc := range []struct {
			Name   string
			As     *user
			Query  url.Values
			Want   map[string][2]string // given name -> email, custom shirt
			Absent []string
		}{
			{Name: "AdminEveryone", As: &s.admin, Query: url.Values{"text": {"e"}},
				Want: map[string][2]string{"Yan": {"yan@example.org", "M"}, "Nell": {"nell@example.org", ""}, "Out": {"out@example.org", ""}}},
			{Name: "AdminFiltered", As: &s.admin, Query: url.Values{"consent": {"email"}},
				Want: map[string][2]string{"Yan": {"yan@example.org", "M"}}, Absent: []string{"Nell", "Out"}},
			{Name: "OrganiserConsentOnly", As: &org, Query: url.Values{},
				Want:   map[string][2]string{"Yan": {"yan@example.org", ""}, "Nell": {"", ""}, "Olu": {"", ""}},
				Absent: []string{"Out", "nell@example.org", "+447700900001", "+447700900002"}},
		} {
			t.Run(tc.Name, func(t *testing.T) {
				res := s.do("GET", "/people/export.csv?"+tc.Query.Encode(), nil, tc.As, nil)
				if res.Code != 200 {
					t.Fatalf("status %d\n%s", res.Code, res.Body.String())
				}
				raw := strings.TrimPrefix(res.Body.String(), "\ufeff")
				rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
				if err != nil {
					t.Fatalf("not CSV: %v\n%s", err, raw)
				}
				if !slices.Equal(rows[0], header) {
					t.Fatalf("header %q, want %q", rows[0], header)
				}
				got := map[string][2]string{}
				for _, r := range rows[1:] {
					got[r[col("First name")]] = [2]string{r[col("Email")], r[col("custom:shirt")]}
				}
				for name, want := range tc.Want {
					if got[name] != want {
						t.Errorf("%s: email and shirt %q, want %q", name, got[name], want)
					}
				}
				for _, bad := range tc.Absent {
					if strings.Contains(raw, bad) {
						t.Errorf("export holds %q\n%s", bad, raw)
					}
				}
			})
		}
	})
}
