package peopleweb

import (
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestListSortAndPanel sorts the people list by each column in both
// directions through its headings' links (aria-sort on the sorted column
// only), falls back to the default order with a message for a sort or page
// it does not know (never a 5xx), and puts the filter in a <details>
// panel, open (on phones) only when the filter was refused.
func TestListSortAndPanel(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		s.person(t, people.Input{GivenName: "Bea", FamilyName: "Sorter"})
		s.person(t, people.Input{GivenName: "Ada", FamilyName: "Sorter"})
		order := func(body string) string {
			a, b := strings.Index(body, "Bea Sorter"), strings.Index(body, "Ada Sorter")
			if a < 0 || b < 0 {
				return "missing"
			}
			if a < b {
				return "Bea,Ada"
			}
			return "Ada,Bea"
		}
		for _, tc := range []struct {
			Query, Want, AriaSort string
		}{
			{"", "Bea,Ada", `aria-sort="ascending"><a href="/people?dir=desc&amp;sort=joined">Joined`},
			{"&sort=joined&dir=desc", "Ada,Bea", `aria-sort="descending"><a href="/people?text=sorter">Joined`},
			{"&sort=name", "Ada,Bea", `aria-sort="ascending"><a href="/people?dir=desc&amp;sort=name&amp;text=sorter">Name`},
			{"&sort=name&dir=desc", "Bea,Ada", `aria-sort="descending"><a href="/people?sort=name&amp;text=sorter">Name`},
			{"&sort=last_active", "Bea,Ada", `aria-sort="ascending"><a href="/people?dir=desc&amp;sort=last_active&amp;text=sorter">Last active`},
			{"&sort=last_active&dir=desc", "Ada,Bea", `aria-sort="descending"><a href="/people?sort=last_active&amp;text=sorter">Last active`},
		} {
			res := s.do("GET", "/people?text=sorter"+tc.Query, nil, &s.admin, nil)
			body := res.Body.String()
			if res.Code != 200 || order(body) != tc.Want {
				t.Errorf("%q: status %d, order %s, want %s", tc.Query, res.Code, order(body), tc.Want)
			}
			if tc.Query == "" {
				tc.AriaSort = strings.Replace(tc.AriaSort, "sort=joined", "sort=joined&amp;text=sorter", 1)
			}
			if !strings.Contains(body, tc.AriaSort) || strings.Count(body, "aria-sort=") != 1 {
				t.Errorf("%q: want one aria-sort heading %s\n%s", tc.Query, tc.AriaSort, body)
			}
			if !strings.Contains(body, "1–2 of 2") {
				t.Errorf("%q: want 1–2 of 2", tc.Query)
			}
		}
		for _, bad := range []string{"sort=id%3BDROP+TABLE+people", "sort=email", "dir=sideways", "page=-3", "page=x", "page=99999999999999999999"} {
			res := s.do("GET", "/people?text=sorter&"+bad, nil, &s.admin, nil)
			body := res.Body.String()
			if res.Code != 200 || order(body) != "Bea,Ada" || !strings.Contains(body, `class="notice" role="status"`) {
				t.Errorf("%s: status %d, order %s; want the default order and a notice\n%s", bad, res.Code, order(body), body)
			}
		}
		plain := s.do("GET", "/people", nil, &s.admin, nil).Body.String()
		if !strings.Contains(plain, `<details class="filter-panel">`) || !strings.Contains(plain, "<summary>Filter people</summary>") {
			t.Errorf("no filter: want a closed <details> panel\n%s", plain)
		}
		filtered := s.do("GET", "/people?text=sorter", nil, &s.admin, nil).Body.String()
		if !strings.Contains(filtered, `<details class="filter-panel">`) || !strings.Contains(filtered, "(a filter is in use)</summary>") {
			t.Errorf("a filter in use: want the panel closed on phones, saying so\n%s", filtered)
		}
		refused := s.do("GET", "/people?districts=nowhere", nil, &s.admin, nil)
		if refused.Code != 422 || !strings.Contains(refused.Body.String(), `<details class="filter-panel" open>`) {
			t.Errorf("a refused filter: status %d, want the panel open to show the error", refused.Code)
		}
	})
}

// TestListBulkTag ticks people in the list and tags them in one go: back
// to the same filter and page with a message; nobody ticked or a bad tag
// redraws the list with the error (422); an organiser may tag only their
// group's people, and then nobody is tagged.
func TestListBulkTag(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		g := s.group(t, "Hackney", "E8")
		org := s.user(t, "Olu Organiser", auth.RoleMember)
		s.organise(t, g, org)
		in := s.person(t, people.Input{GivenName: "In", FamilyName: "Group", GroupID: g.ID})
		out := s.person(t, people.Input{GivenName: "Out", FamilyName: "Side"})
		page := s.do("GET", "/people?text=e&sort=name", nil, &s.admin, nil).Body.String()
		for _, want := range []string{`<form id="bulk" method="post" action="/people/bulk/tag"`, `name="id" value="` + out.ID + `" form="bulk"`,
			`aria-label="Select Out Side"`, `<input type="hidden" name="sort" value="name">`} {
			if !strings.Contains(page, want) {
				t.Errorf("list: want %s\n%s", want, page)
			}
		}
		res := s.do("POST", "/people/bulk/tag", url.Values{"id": {in.ID, out.ID}, "tag": {"canvasser"}, "text": {"e"}, "sort": {"name"}}, &s.admin, nil)
		if res.Code != 303 || res.Header().Get("Location") != "/people?sort=name&text=e" {
			t.Fatalf("bulk tag: status %d, location %q", res.Code, res.Header().Get("Location"))
		}
		tagged := s.do("GET", "/people?tags=canvasser", nil, &s.admin, nil).Body.String()
		if !strings.Contains(tagged, "2 people match") {
			t.Errorf("want both tagged\n%s", tagged)
		}
		for _, bad := range []url.Values{{"tag": {"x"}}, {"id": {in.ID}, "tag": {""}}} {
			if res := s.do("POST", "/people/bulk/tag", bad, &s.admin, nil); res.Code != 422 || !strings.Contains(res.Body.String(), "Error:") {
				t.Errorf("%v: status %d, want 422 with the error", bad, res.Code)
			}
		}
		if res := s.do("POST", "/people/bulk/tag", url.Values{"id": {in.ID, out.ID}, "tag": {"leafleter"}}, &org, nil); res.Code != 403 && res.Code != 404 {
			t.Errorf("organiser tagging someone outside their group: status %d, want refused", res.Code)
		}
		if n := s.do("GET", "/people?tags=leafleter", nil, &s.admin, nil).Body.String(); !strings.Contains(n, "0 people match") {
			t.Errorf("a refused bulk tag tagged someone")
		}
		if res := s.do("POST", "/people/bulk/tag", url.Values{"id": {in.ID}, "tag": {"leafleter"}, "group": {g.ID}}, &org, nil); res.Code != 303 {
			t.Errorf("organiser tagging their group's member: status %d", res.Code)
		}
		// "Export the selected" is the export with the ticked ids; an
		// organiser's stays within their group.
		if !strings.Contains(page, `formaction="/people/export.csv" formmethod="get">Export the selected</button>`) {
			t.Errorf("list: no Export the selected button")
		}
		for _, tc := range []struct {
			as   *user
			q    string
			want []string
			not  []string
		}{
			{&s.admin, "id=" + in.ID + "&id=" + out.ID + "&tag=", []string{"In,", "Out,"}, nil},
			{&s.admin, "id=" + out.ID, []string{"Out,"}, []string{"In,"}},
			{&org, "group=" + g.ID + "&id=" + in.ID + "&id=" + out.ID, []string{"In,"}, []string{"Out,"}},
		} {
			res := s.do("GET", "/people/export.csv?"+tc.q, nil, tc.as, nil)
			csv := res.Body.String()
			if res.Code != 200 {
				t.Errorf("export %s: status %d", tc.q, res.Code)
			}
			for _, w := range tc.want {
				if !strings.Contains(csv, w) {
					t.Errorf("export %s: want %s\n%s", tc.q, w, csv)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(csv, w) {
					t.Errorf("export %s: want no %s\n%s", tc.q, w, csv)
				}
			}
		}
	})
}

// TestPageLinks numbers the first and last pages and two either side of
// the current one, with one gap between.
func TestPageLinks(t *testing.T) {
	o := listOrder{Sort: people.DefaultSort, Page: 100}
	var got []string
	for _, l := range pageLinks(url.Values{"text": {"a"}}, o, 220) {
		switch {
		case l.Gap:
			got = append(got, "…")
		case l.Current:
			got = append(got, "["+strconv.Itoa(l.N)+"]")
		default:
			got = append(got, strconv.Itoa(l.N))
		}
	}
	if s := strings.Join(got, " "); s != "1 … 98 99 [100] 101 102 … 220" {
		t.Errorf("got %s", s)
	}
	if l := pageLinks(nil, o, 220)[1+1]; l.URL != "/people?page=98" {
		t.Errorf("page 98's link: %s", l.URL)
	}
	if pageLinks(nil, listOrder{Page: 1}, 1) != nil {
		t.Error("one page: want no links")
	}
}
