package eventsapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestEventsCollection: the collection pages in start order with working
// next links; a group token sees its group's events and the public ones,
// never another group's own; $filter narrows by start and modified date.
func TestEventsCollection(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.group(t, "Group A"), e.group(t, "Group B")
		var public, aOnly, bOnly, members []string
		for i := range 12 {
			public = append(public, e.event(t, a.ID, fmt.Sprintf("A public %02d", i), events.Public, i+1, 0).ID)
		}
		for i := range 4 {
			aOnly = append(aOnly, e.event(t, a.ID, fmt.Sprintf("A only %d", i), events.Group, i+1, 0).ID)
			bOnly = append(bOnly, e.event(t, b.ID, fmt.Sprintf("B only %d", i), events.Group, i+1, 0).ID)
		}
		members = append(members, e.event(t, "", "Members' assembly", events.Members, 3, 0).ID)
		tokenB := e.token(t, "group b site", b.ID)

		t.Run("NetworkTokenPages", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/events?per_page=10", e.network, "", 200)
			if res.Body["total_records"] != float64(21) || res.Body["total_pages"] != float64(3) {
				t.Fatalf("totals: %s", res.Raw[:200])
			}
			var seen []string
			for page := 1; ; page++ {
				items := res.items(t, "osdi:events")
				for _, it := range items {
					seen = append(seen, idOf(t, it))
				}
				next := linkOf(res.Body, "next")
				if next == "" {
					if page != 3 {
						t.Errorf("ended at page %d", page)
					}
					break
				}
				res = e.do(t, "GET", path(t, next), e.network, "", 200)
			}
			all := slices.Concat(public, aOnly, bOnly, members)
			if len(seen) != len(all) {
				t.Fatalf("saw %d events over the pages, want %d", len(seen), len(all))
			}
			for _, id := range all {
				if !slices.Contains(seen, id) {
					t.Errorf("event %s missing from the pages", id)
				}
			}
		})

		t.Run("StartOrder", func(t *testing.T) {
			items := e.do(t, "GET", "/api/v1/events?per_page=100", e.network, "", 200).items(t, "osdi:events")
			for i := 1; i < len(items); i++ {
				if items[i]["start_date"].(string) < items[i-1]["start_date"].(string) {
					t.Fatalf("not in start order at %d: %v after %v", i, items[i]["start_date"], items[i-1]["start_date"])
				}
			}
		})

		t.Run("GroupTokenSeesOwnAndPublic", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/events?per_page=100", tokenB, "", 200)
			var seen []string
			for _, it := range res.items(t, "osdi:events") {
				seen = append(seen, idOf(t, it))
			}
			want := slices.Concat(public, bOnly)
			slices.Sort(seen)
			slices.Sort(want)
			if !slices.Equal(seen, want) || res.Body["total_records"] != float64(len(want)) {
				t.Fatalf("group B token saw %d events (total %v), want A's public and B's own (%d)", len(seen), res.Body["total_records"], len(want))
			}
		})

		t.Run("FilterStartDate", func(t *testing.T) {
			// The public events are on 3..14 March (the others on 3..6 March),
			// at 19:00 London, which is UTC in March: from 9 March on are six.
			f := url.QueryEscape(`start_date gt '2026-03-09T00:00:00Z'`)
			res := e.do(t, "GET", "/api/v1/events?$filter="+f, e.network, "", 200)
			if res.Body["total_records"] != float64(6) {
				t.Fatalf("start_date gt: total %v, want 6", res.Body["total_records"])
			}
			if next := linkOf(res.Body, "self"); !strings.Contains(next, "%24filter=") {
				t.Errorf("self link lost the filter: %s", next)
			}
			f = url.QueryEscape(`start_date ge '2026-03-03' and start_date lt '2026-03-04'`)
			res = e.do(t, "GET", "/api/v1/events?$filter="+f, e.network, "", 200)
			if res.Body["total_records"] != float64(3) { // A public 00, A only 0, B only 0 on day 1
				t.Fatalf("start_date in a day: total %v, want 3", res.Body["total_records"])
			}
		})

		t.Run("FilterModifiedDate", func(t *testing.T) {
			f := url.QueryEscape(`modified_date gt '2000-01-01'`)
			if res := e.do(t, "GET", "/api/v1/events?$filter="+f, e.network, "", 200); res.Body["total_records"] != float64(21) {
				t.Fatalf("modified_date gt 2000: total %v", res.Body["total_records"])
			}
			f = url.QueryEscape(`modified_date lt '2000-01-01'`)
			if res := e.do(t, "GET", "/api/v1/events?$filter="+f, e.network, "", 200); res.Body["total_records"] != float64(0) {
				t.Fatalf("modified_date lt 2000: total %v", res.Body["total_records"])
			}
		})

		t.Run("BadFilter", func(t *testing.T) {
			for _, f := range []string{`title eq 'x'`, `start_date eq '2026-03-03'`, `start_date gt 'soon'`} {
				res := e.do(t, "GET", "/api/v1/events?$filter="+url.QueryEscape(f), e.network, "", 400)
				if msg := res.Raw; !strings.Contains(msg, "filter") { // issue 14 (hal): "filter:", Action Network's name
					t.Errorf("%s: %s", f, msg)
				}
			}
		})
	})
}

// TestTokenScopes: without a token nothing is served; a token scoped to
// group B reads the network's public events but not group A's own, nor A's
// attendances, and cannot create or change A's events.
func TestTokenScopes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.group(t, "Group A"), e.group(t, "Group B")
		pubA, onlyA := e.event(t, a.ID, "A's rally", events.Public, 3, 0), e.event(t, a.ID, "A's meeting", events.Group, 3, 0)
		onlyB := e.event(t, b.ID, "B's meeting", events.Group, 3, 0)
		members := e.event(t, "", "Assembly", events.Members, 3, 0)
		tokenB := e.token(t, "group b site", b.ID)
		newEvent := `{"title": "Street stall", "start_date": "2026-03-14T11:00:00Z", "end_date": "2026-03-14T13:00:00Z",
			"location": {"venue": "Mare Street", "postal_code": "E8 1DY"}}`
		helper := `{"person": {"email_addresses": [{"address": "new@example.org"}]}, "status": "accepted"}`
		ev := func(id string) string { return "/api/v1/events/" + id }

		tests := []struct {
			name, token, method, path, body string
			status                          int
		}{
			{"NoTokenList", "", "GET", "/api/v1/events", "", 401},
			{"NoTokenEvent", "", "GET", ev(pubA.ID), "", 401},
			{"NoTokenCreate", "", "POST", "/api/v1/events", newEvent, 401},
			{"NoTokenHelper", "", "POST", ev(pubA.ID) + "/record_attendance_helper", helper, 401},
			{"GroupTokenOtherGroupsPublicEvent", tokenB, "GET", ev(pubA.ID), "", 200},
			{"GroupTokenOtherGroupsOwnEvent", tokenB, "GET", ev(onlyA.ID), "", 404},
			{"GroupTokenMembersEvent", tokenB, "GET", ev(members.ID), "", 404},
			{"GroupTokenOwnEvent", tokenB, "GET", ev(onlyB.ID), "", 200},
			{"GroupTokenOtherGroupsAttendances", tokenB, "GET", ev(pubA.ID) + "/attendances", "", 403},
			{"GroupTokenOtherGroupsHiddenAttendances", tokenB, "GET", ev(onlyA.ID) + "/attendances", "", 404},
			{"GroupTokenOwnAttendances", tokenB, "GET", ev(onlyB.ID) + "/attendances", "", 200},
			{"GroupTokenCreateInOtherGroup", tokenB, "POST", "/api/v1/events?group_id=" + a.ID, newEvent, 403},
			{"GroupTokenCreateNetworkEventImpossible", tokenB, "POST", "/api/v1/events?group_id=", newEvent, 201}, // its own group
			{"GroupTokenCreateInOwnGroup", tokenB, "POST", "/api/v1/events?group_id=" + b.ID, newEvent, 201},
			{"GroupTokenChangeOtherGroupsEvent", tokenB, "PUT", ev(pubA.ID), `{"title": "Mine now"}`, 403},
			{"GroupTokenChangeHiddenEvent", tokenB, "PUT", ev(onlyA.ID), `{"title": "Mine now"}`, 404},
			{"GroupTokenHelperOnOtherGroup", tokenB, "POST", ev(pubA.ID) + "/record_attendance_helper", helper, 403},
			{"GroupTokenHelperOnHiddenEvent", tokenB, "POST", ev(onlyA.ID) + "/record_attendance_helper", helper, 404},
			{"NetworkTokenHiddenEvent", e.network, "GET", ev(onlyA.ID), "", 200},
			{"NetworkTokenCreateNetworkEvent", e.network, "POST", "/api/v1/events", newEvent, 201},
			{"NetworkTokenAttendances", e.network, "GET", ev(onlyA.ID) + "/attendances", "", 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, tt.method, tt.path, tt.token, tt.body, tt.status)
				if tt.method == "POST" && tt.status == 201 {
					want := "/api/v1/groups/" + b.ID
					if tt.token == e.network {
						want = ""
					}
					if got := linkOf(res.Body, "momentum:group"); !strings.HasSuffix(got, want) || (want == "") != (got == "") {
						t.Errorf("created in group %q, want %q", got, want)
					}
				}
			})
		}
		// Nothing was recorded by the refused helper calls.
		var n int
		if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM people WHERE email = 'new@example.org'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("refused helper calls created %d people (%v)", n, err)
		}
	})
}
