package peopleapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestPeopleCollectionPaging(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var ids []string
		for i := range 7 {
			ids = append(ids, e.person(t, fmt.Sprintf("P%d", i), fmt.Sprintf("p%d@example.org", i)).ID)
		}
		slices.Sort(ids) // the list is in id order

		tests := []struct {
			name                   string
			query                  string
			wantPage, wantPerPage  int
			wantIDs                []string
			wantNext, wantPrevious bool
			wantTotalPages         int
		}{
			{"FirstPage", "?per_page=3", 1, 3, ids[0:3], true, false, 3},
			{"MiddlePageBySkipping", "?page=2&per_page=3", 2, 3, ids[3:6], true, true, 3},
			{"LastPage", "?page=3&per_page=3", 3, 3, ids[6:7], false, true, 3},
			{"BeyondTheEnd", "?page=9&per_page=3", 9, 3, nil, false, true, 3},
			{"DefaultPerPage", "", 1, 25, ids, false, false, 1},
			// Action Network's limit (issue 14).
			{"PerPageClamped", "?per_page=1000", 1, 25, ids, false, false, 1},
			{"DeepPageByNumber", "?page=4&per_page=2", 4, 2, ids[6:7], false, true, 4},
			// A next link's cursor decides where the page starts.
			{"CursorWinsOverPage", "?page=3&per_page=3&after=" + ids[0], 3, 3, ids[1:4], false, true, 3},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, "GET", "/api/v1/people"+tc.query, e.network, "").want(t, 200)
				if num(res.Body["total_records"]) != 7 || num(res.Body["page"]) != tc.wantPage ||
					num(res.Body["per_page"]) != tc.wantPerPage || num(res.Body["total_pages"]) != tc.wantTotalPages {
					t.Errorf("paging = total %v page %v per_page %v pages %v", res.Body["total_records"], res.Body["page"],
						res.Body["per_page"], res.Body["total_pages"])
				}
				var got []string
				for _, p := range res.embedded(t, "osdi:people") {
					got = append(got, idOf(t, p))
				}
				if !slices.Equal(got, tc.wantIDs) {
					t.Errorf("ids = %v, want %v", got, tc.wantIDs)
				}
				if (href(res.Body, "next") != "") != tc.wantNext || (href(res.Body, "previous") != "") != tc.wantPrevious {
					t.Errorf("next %q, previous %q", href(res.Body, "next"), href(res.Body, "previous"))
				}
			})
		}

		t.Run("NextLinksCarryTheCursor", func(t *testing.T) {
			var got []string
			link := site + "/api/v1/people?per_page=3"
			for n := 0; link != "" && n < 5; n++ {
				res := e.do(t, "GET", path(t, link), e.network, "").want(t, 200)
				for _, p := range res.embedded(t, "osdi:people") {
					got = append(got, idOf(t, p))
				}
				link = href(res.Body, "next")
				if link != "" && !strings.Contains(link, "after=") {
					t.Fatalf("next link %q has no cursor", link)
				}
			}
			if !slices.Equal(got, ids) {
				t.Errorf("following next links read %v, want %v", got, ids)
			}
		})
	})
}

func TestPeopleFilter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada", "ada@example.org")
		bo := e.person(t, "Bo", "bo@example.org")
		cy := e.person(t, "Cy", "cy@example.org")
		// Bo moves to a new address; the old one stays Bo's.
		e.clock.Advance(time.Minute)
		if _, err := e.people.Update(e.sys, bo.ID, inputOf(bo, "bo.new@example.org")); err != nil {
			t.Fatal(err)
		}
		stamp := func(tm time.Time) string { return tm.Format(time.RFC3339Nano) }
		boAt := e.clock.Now()

		tests := []struct {
			name   string
			filter string
			want   []string
		}{
			{"EmailExact", "email_address eq 'ada@example.org'", []string{ada.ID}},
			{"EmailAnyCase", "email_address eq 'ADA@Example.org'", []string{ada.ID}},
			{"EmailFormerPrimary", "email_address eq 'bo@example.org'", []string{bo.ID}},
			{"EmailPrefixIsNotAMatch", "email_address eq 'ada@example.or'", nil},
			{"EmailUnknown", "email_address eq 'nobody@example.org'", nil},
			{"EmailContradiction", "email_address eq 'ada@example.org' and email_address eq 'cy@example.org'", nil},
			{"ModifiedAfter", "modified_date gt '" + stamp(cy.UpdatedAt) + "'", []string{bo.ID}},
			{"ModifiedFrom", "modified_date ge '" + stamp(cy.UpdatedAt) + "'", []string{bo.ID, cy.ID}},
			{"ModifiedBefore", "modified_date lt '" + stamp(cy.UpdatedAt) + "'", []string{ada.ID}},
			{"ModifiedUpTo", "modified_date le '" + stamp(cy.UpdatedAt) + "'", []string{ada.ID, cy.ID}},
			{"ModifiedWindow", "modified_date gt '" + stamp(ada.UpdatedAt) + "' and modified_date lt '" + stamp(boAt) + "'", []string{cy.ID}},
			{"ModifiedByDay", "modified_date gt '2026-03-03'", nil},
			{"EmailAndModified", "email_address eq 'ada@example.org' and modified_date gt '" + stamp(ada.UpdatedAt) + "'", nil},
			{"EmailAndBefore", "email_address eq 'bo.new@example.org' and modified_date lt '" + stamp(boAt) + "'", nil},
			{"EmailAndUpTo", "email_address eq 'bo.new@example.org' and modified_date le '" + stamp(boAt) + "'", []string{bo.ID}},
			{"TwoUpperBounds", "modified_date le '" + stamp(boAt) + "' and modified_date lt '" + stamp(cy.UpdatedAt) + "'", []string{ada.ID}},
			// Issue 14: or between addresses, created_date, eq on dates.
			{"EmailOrEmail", "email_address eq 'ada@example.org' or email_address eq 'cy@example.org'", []string{ada.ID, cy.ID}},
			{"OrSamePersonOnce", "email_address eq 'bo@example.org' or email_address eq 'bo.new@example.org'", []string{bo.ID}},
			{"OrWithAnd", "email_address eq 'ada@example.org' and modified_date gt '" + stamp(ada.UpdatedAt) + "' or email_address eq 'cy@example.org'", []string{cy.ID}},
			{"CreatedAfter", "created_date gt '" + stamp(ada.CreatedAt) + "'", []string{bo.ID, cy.ID}},
			{"CreatedExactly", "created_date eq '" + stamp(bo.CreatedAt) + "'", []string{bo.ID}},
			{"CreatedOnTheDay", "created_date eq '2026-03-02'", []string{ada.ID, bo.ID, cy.ID}},
			{"ModifiedEquals", "modified_date eq '2026-01-01'", nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				param := "filter" // Action Network's name; OData's $filter too
				if len(tc.name)%2 == 0 {
					param = "$filter"
				}
				res := e.do(t, "GET", "/api/v1/people?"+param+"="+url.QueryEscape(tc.filter), e.network, "").want(t, 200)
				var got []string
				for _, p := range res.embedded(t, "osdi:people") {
					got = append(got, idOf(t, p))
				}
				want := slices.Clone(tc.want)
				slices.Sort(want)
				if !slices.Equal(got, want) || num(res.Body["total_records"]) != len(want) {
					t.Errorf("got %v (total %v), want %v", got, res.Body["total_records"], want)
				}
			})
		}

		bad := []struct{ name, filter, message string }{
			{"UnknownField", "given_name eq 'Ada'", "can be filtered on email_address, modified_date, created_date"},
			{"EmailOperator", "email_address gt 'a'", "email_address can only be compared with eq"},
			{"ModifiedNotEqual", "modified_date ne '2026-01-01'", "eq, gt, ge, lt or le, not ne"},
			{"OrOfDateRanges", "modified_date gt '2026-01-01' or created_date lt '2026-01-01'", "each name an address"},
			{"Parentheses", "(email_address eq 'a@example.org')", "parentheses"},
			{"NotADate", "modified_date gt 'yesterday'", "needs a date"},
			{"Unquoted", "email_address eq ada", "single quotes"},
		}
		t.Run("FilterIsNeverIgnored", func(t *testing.T) {
			// The defect of issue 14: filter= was ignored and every person came back.
			res := e.do(t, "GET", "/api/v1/people?filter="+url.QueryEscape("email_address eq 'ada@example.org'"), e.network, "").want(t, 200)
			if got := res.embedded(t, "osdi:people"); len(got) != 1 || idOf(t, got[0]) != ada.ID {
				t.Fatalf("filter= gave %d people", len(got))
			}
			e.do(t, "GET", "/api/v1/people?filter="+url.QueryEscape("email_address eq 'a@example.org'")+
				"&$filter="+url.QueryEscape("email_address eq 'b@example.org'"), e.network, "").want(t, 400)
		})
		for _, tc := range bad {
			t.Run("Bad"+tc.name, func(t *testing.T) {
				res := e.do(t, "GET", "/api/v1/people?filter="+url.QueryEscape(tc.filter), e.network, "").want(t, 400)
				if msg, _ := res.errorOf(); !strings.Contains(msg, tc.message) {
					t.Errorf("message %q, want it to contain %q", msg, tc.message)
				}
			})
		}
	})
}
