package people

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// listFixture is five people spread over tags, groups, rungs, consents and places.
type listFixture struct {
	groupA, groupB string
	orgA           context.Context
}

func newListFixture(t *testing.T, e *env) listFixture {
	t.Helper()
	ctx := context.Background()
	for code, p := range map[string]geo.Point{"E8": {Lat: 51.545, Lng: -0.06}, "E9": {Lat: 51.54, Lng: -0.04},
		"EC1A": {Lat: 51.52, Lng: -0.10}, "LS1": {Lat: 53.8, Lng: -1.55}} {
		if err := geo.SetDistrict(ctx, e.d.Q(), code, p, "test"); err != nil {
			t.Fatal(err)
		}
	}
	f := listFixture{groupA: e.group(t, "a"), groupB: e.group(t, "b")}
	_, org, orgCtx := e.account(t, "org@example.org", "Org Anizer", auth.RoleMember)
	e.join(t, f.groupA, org, "organiser", "active")
	f.orgA = orgCtx
	alice := e.mustPerson(t, Input{GivenName: "Alice", FamilyName: "Archer", Email: "alice@example.org", Address: Address{Postcode: "E8 1DY"}})
	bob := e.mustPerson(t, Input{GivenName: "Bob", FamilyName: "Baker", Email: "bob@example.org", Address: Address{Postcode: "E9 5AB"}})
	cara := e.mustPerson(t, Input{GivenName: "Cara", FamilyName: "Cole", Address: Address{Postcode: "EC1A 1BB"},
		Location: &geo.Point{Lat: 51.52, Lng: -0.10}})
	dan := e.mustPerson(t, Input{GivenName: "Dan", FamilyName: "Dale", Phone: "07700900001", Address: Address{Postcode: "LS1 4AB"},
		Location: &geo.Point{Lat: 53.8, Lng: -1.55}})
	e.mustPerson(t, Input{GivenName: "Eve", FamilyName: "Evans", Email: "eve@sample.net", Location: &geo.Point{Lat: 51.545, Lng: -0.055}})
	for _, tg := range []struct{ id, tag string }{{alice.ID, "volunteer"}, {bob.ID, "Volunteer"}, {bob.ID, "canvasser"}, {cara.ID, "canvasser"}} {
		if err := e.svc.Tag(e.admin, tg.id, tg.tag); err != nil {
			t.Fatal(err)
		}
	}
	e.join(t, f.groupA, alice.ID, "member", "active")
	e.join(t, f.groupB, bob.ID, "member", "active")
	e.consent(t, alice.ID, ChannelEmail)
	e.consent(t, dan.ID, ChannelSMS)
	if err := e.svc.SetMembership(e.admin, alice.ID, StatusMember); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddDonation(e.admin, bob.ID, Donation{AmountPence: 500}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.svc.Update(e.admin, dan.ID, Input{GivenName: "Dan", FamilyName: "Dale", Phone: "07700900001",
		Address: Address{Postcode: "LS1 4AB"}, Location: dan.Location}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestListFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newListFixture(t, e)
		hackney := &geo.Point{Lat: 51.545, Lng: -0.055}
		tests := []struct {
			name   string
			filter Filter
			want   []string
		}{
			{"Tag", Filter{Tags: []string{"VOLUNTEER"}}, []string{"Alice Archer", "Bob Baker"}},
			{"AllOfTags", Filter{Tags: []string{"volunteer", "canvasser"}}, []string{"Bob Baker"}},
			{"UnknownTag", Filter{Tags: []string{"nobody-has-this"}}, nil},
			{"Group", Filter{GroupID: f.groupA}, []string{"Alice Archer", "Org Anizer"}},
			{"LadderDonor", Filter{Ladder: []string{LadderDonor}}, []string{"Bob Baker"}},
			{"LadderMemberOrDonor", Filter{Ladder: []string{LadderDonor, LadderMember}}, []string{"Alice Archer", "Bob Baker"}},
			{"ConsentEmail", Filter{Consent: ChannelEmail}, []string{"Alice Archer"}},
			{"ConsentSMS", Filter{Consent: ChannelSMS}, []string{"Dan Dale"}},
			{"DistrictExact", Filter{Districts: []string{"e8"}}, []string{"Alice Archer"}},
			{"AreaPrefixNotEC", Filter{Districts: []string{"E"}}, []string{"Alice Archer", "Bob Baker"}},
			{"DistrictAndArea", Filter{Districts: []string{"EC1A", "LS"}}, []string{"Cara Cole", "Dan Dale"}},
			{"Near", Filter{Near: hackney, WithinKm: 3}, []string{"Alice Archer", "Bob Baker", "Eve Evans"}},
			{"NearWider", Filter{Near: hackney, WithinKm: 6}, []string{"Alice Archer", "Bob Baker", "Cara Cole", "Eve Evans"}},
			{"TextName", Filter{Text: "bak"}, []string{"Bob Baker"}},
			{"TextFullName", Filter{Text: "ALICE arch"}, []string{"Alice Archer"}},
			{"TextEmail", Filter{Text: "eve@sample"}, []string{"Eve Evans"}},
			{"TextWildcardEscaped", Filter{Text: "%"}, nil},
			{"Membership", Filter{MembershipStatus: StatusMember}, []string{"Alice Archer"}},
			{"UpdatedSince", Filter{UpdatedSince: e.clock.Now()}, []string{"Dan Dale"}},
			{"TagAndArea", Filter{Tags: []string{"volunteer"}, Districts: []string{"E"}}, []string{"Alice Archer", "Bob Baker"}},
			{"TagAndDistrict", Filter{Tags: []string{"canvasser"}, Districts: []string{"E9"}}, []string{"Bob Baker"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				page, err := e.svc.List(e.admin, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(page.People); !slices.Equal(got, tc.want) {
					t.Fatalf("List = %v, want %v", got, tc.want)
				}
				n, err := e.svc.Count(e.admin, tc.filter)
				if err != nil || n != len(tc.want) {
					t.Fatalf("Count = %d, %v; want %d", n, err, len(tc.want))
				}
			})
		}
		t.Run("ErrInvalidFilter", func(t *testing.T) {
			_, err := e.svc.List(e.admin, Filter{Ladder: []string{"boss"}, Consent: "pigeon", Districts: []string{"12345"},
				Near: hackney, MembershipStatus: "x"})
			for _, field := range []string{"ladder", "consent", "districts", "within_km", "membership_status"} {
				wantField(t, err, field, "")
			}
		})
	})
}

func TestListPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := newListFixture(t, e)
		t.Run("ErrOrganiserWithoutGroup", func(t *testing.T) {
			_, err := e.svc.List(f.orgA, Filter{})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrOrganiserOtherGroup", func(t *testing.T) {
			_, err := e.svc.List(f.orgA, Filter{GroupID: f.groupB})
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Count(f.orgA, Filter{GroupID: f.groupB})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrMember", func(t *testing.T) {
			_, err := e.svc.List(as("x", auth.RoleMember), Filter{})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("OrganiserSeesProjected", func(t *testing.T) {
			page, err := e.svc.List(f.orgA, Filter{GroupID: f.groupA, Tags: []string{"volunteer"}})
			if err != nil || len(page.People) != 1 {
				t.Fatalf("page = %+v, %v", page, err)
			}
			p := page.People[0]
			if p.Email != "alice@example.org" || p.Address.Postcode != "" || p.Address.District != "E8" || p.Ladder != LadderMember {
				t.Fatalf("organiser sees %+v", p)
			}
		})
		t.Run("OrganiserTextMatchesNamesOnly", func(t *testing.T) {
			n, err := e.svc.Count(f.orgA, Filter{GroupID: f.groupA, Text: "alice@"})
			if err != nil || n != 0 {
				t.Fatalf("email search by organiser matched %d, %v", n, err)
			}
		})
		t.Run("EachExportsProjectedAndAudits", func(t *testing.T) {
			var got []string
			err := e.svc.Each(f.orgA, Filter{GroupID: f.groupA}, func(p *Person) error {
				got = append(got, p.Name()+" <"+p.Email+">")
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if want := []string{"Alice Archer <alice@example.org>", "Org Anizer <>"}; !slices.Equal(got, want) {
				t.Fatalf("exported %v, want %v", got, want)
			}
			entries, _ := audit.List(e.admin, d.Q(), audit.Filter{Action: "people.exported"})
			if len(entries) != 1 || entries[0].Details["count"] != float64(2) {
				t.Fatalf("audit = %+v", entries)
			}
		})
		t.Run("SavedLists", func(t *testing.T) {
			l, err := e.svc.SaveList(f.orgA, "Volunteers", Filter{GroupID: f.groupA, Tags: []string{"Volunteer"}, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			ls, err := e.svc.Lists(f.orgA, f.groupA)
			if err != nil || len(ls) != 1 || ls[0].ID != l.ID || ls[0].Filter.Tags[0] != "volunteer" || ls[0].Filter.Limit != 0 {
				t.Fatalf("lists = %+v, %v", ls, err)
			}
			page, err := e.svc.List(f.orgA, ls[0].Filter)
			if err != nil || len(page.People) != 1 {
				t.Fatalf("list from saved filter = %+v, %v", page, err)
			}
			_, err = e.svc.Lists(f.orgA, "")
			wantCode(t, err, errs.Forbidden)
			_, orgB, ctxB := e.account(t, "orgb@example.org", "Org B", auth.RoleMember)
			e.join(t, f.groupB, orgB, "organiser", "active")
			_, err = e.svc.ListByID(ctxB, l.ID)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.SaveList(f.orgA, " ", Filter{GroupID: f.groupA})
			wantField(t, err, "name", "Name the list")
		})
	})
}

func TestListPaging(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var want []string
		for i := range 23 {
			p := e.mustPerson(t, Input{GivenName: "Page", FamilyName: string(rune('A' + i))})
			if err := e.svc.Tag(e.admin, p.ID, "pager"); err != nil {
				t.Fatal(err)
			}
			want = append(want, p.ID)
		}
		var got []string
		f := Filter{Tags: []string{"pager"}, Limit: 5}
		for pages := 0; ; pages++ {
			page, err := e.svc.List(e.admin, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.People {
				got = append(got, p.ID)
			}
			if pages == 1 {
				// Someone joins mid-walk: they come after everyone already listed.
				p := e.mustPerson(t, Input{GivenName: "Late", FamilyName: "Comer"})
				if err := e.svc.Tag(e.admin, p.ID, "pager"); err != nil {
					t.Fatal(err)
				}
				want = append(want, p.ID)
			}
			if page.Next == "" {
				break
			}
			if len(page.People) != 5 {
				t.Fatalf("page %d has %d people", pages, len(page.People))
			}
			f.After = page.Next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("walked %d ids (%v), want %d in creation order", len(got), strings.Join(got, " "), len(want))
		}
	})
}
