package groups

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

func TestCreateValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		centre := &geo.Point{Lat: 51.545, Lng: -0.056}
		for _, tc := range []struct {
			name  string
			in    Input
			field string // "" for success
		}{
			{"NoName", Input{Kind: KindLocal, Districts: []string{"E8"}}, "name"},
			{"LongName", Input{Name: strings.Repeat("x", 121), Kind: KindLocal, Districts: []string{"E8"}}, "name"},
			{"NoKind", Input{Name: "Hackney", Districts: []string{"E8"}}, "kind"},
			{"BadPolicy", Input{Name: "Hackney", Kind: KindLocal, JoinPolicy: "secret", Districts: []string{"E8"}}, "join_policy"},
			{"LocalWithoutArea", Input{Name: "Hackney", Kind: KindLocal}, "districts"},
			{"NotADistrict", Input{Name: "Hackney", Kind: KindLocal, Districts: []string{"E8", "Hackney"}}, "districts"},
			{"RadiusWithoutCentre", Input{Name: "Hackney", Kind: KindLocal, Districts: []string{"E8"}, RadiusKm: 3}, "centre"},
			{"CentreWithoutRadius", Input{Name: "Hackney", Kind: KindLocal, Centre: centre}, "radius_km"},
			{"CentreOffTheMap", Input{Name: "Hackney", Kind: KindLocal, Centre: &geo.Point{Lat: 95, Lng: 0}, RadiusKm: 2}, "centre"},
			{"WorkingWithArea", Input{Name: "Housing", Kind: KindWorking, Districts: []string{"E8"}}, "districts"},
			{"UnknownRegion", Input{Name: "Hackney", Kind: KindLocal, Districts: []string{"E8"}, RegionID: db.NewID()}, "region_id"},
			{"LongDescription", Input{Name: "Hackney", Kind: KindWorking, Description: strings.Repeat("x", 5001)}, "description"},
			{"Working", Input{Name: "Housing", Kind: KindWorking}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Create(e.admin.ctx, tc.in)
				if tc.field == "" {
					wantCode(t, err, "")
					return
				}
				wantCode(t, err, errs.Invalid)
				if errs.FieldsOf(err)[tc.field] == "" {
					t.Fatalf("errors %v, want one on %q", errs.FieldsOf(err), tc.field)
				}
			})
		}
	})
}

func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if err := geo.SetDistrict(ctx, d.Q(), "E5", geo.Point{Lat: 51.56, Lng: -0.053}, "outcode file"); err != nil {
			t.Fatal(err)
		}
		london, err := e.svc.CreateRegion(e.admin.ctx, " London ")
		if err != nil || london.Slug != "london" {
			t.Fatalf("CreateRegion = %+v, %v", london, err)
		}
		g, err := e.svc.Create(e.admin.ctx, Input{Name: "  Hackney & Clapton ", Kind: KindLocal, RegionID: london.ID,
			Districts: []string{"e8", "E8 1DY", "e5 0ab", ""}, Centre: &geo.Point{Lat: 51.55, Lng: -0.06}, RadiusKm: 3})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("Normalised", func(t *testing.T) {
			if g.Slug != "hackney-clapton" || g.Name != "Hackney & Clapton" || g.JoinPolicy != JoinOpen ||
				!slices.Equal(g.Districts, []string{"E5", "E8"}) || g.RegionName != "London" || g.RadiusKm != 3 {
				t.Fatalf("created %+v", g)
			}
		})
		t.Run("UnknownDistrictLearnsTheCentre", func(t *testing.T) {
			e8, err := geo.Locate(ctx, d.Q(), "E8")
			if err != nil || e8.Centre != (geo.Point{Lat: 51.55, Lng: -0.06}) || e8.Source != "groups" {
				t.Fatalf("E8 = %+v, %v", e8, err)
			}
			e5, _ := geo.Locate(ctx, d.Q(), "E5")
			if e5.Source != "outcode file" {
				t.Fatalf("a known district was overwritten: %+v", e5)
			}
		})
		t.Run("SlugsStayUnique", func(t *testing.T) {
			for _, want := range []string{"hackney-clapton-2", "hackney-clapton-3"} {
				g2, err := e.svc.Create(e.admin.ctx, Input{Name: "Hackney, Clapton", Kind: KindWorking})
				if err != nil || g2.Slug != want {
					t.Fatalf("slug %q (%v), want %q", g2.Slug, err, want)
				}
			}
			g3, err := e.svc.Create(e.admin.ctx, Input{Name: "New", Kind: KindWorking})
			if err != nil || g3.Slug != "new-2" {
				t.Fatalf("a group named New got slug %q (%v): /groups/new is the form", g3.Slug, err)
			}
		})
		t.Run("MemberMayNotCreate", func(t *testing.T) {
			m := e.person(t, "Mia Member", auth.RoleMember)
			_, err := e.svc.Create(m.ctx, Input{Name: "Mine", Kind: KindWorking})
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.CreateRegion(m.ctx, "North")
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("OrganiserUpdates", func(t *testing.T) {
			org := e.person(t, "Olu Organiser", auth.RoleMember)
			e.member(t, g, org, RoleOrganiser, MemberActive, false)
			up, err := e.svc.Update(org.ctx, g.ID, Input{Name: "Hackney", Kind: KindLocal, JoinPolicy: JoinRequest,
				Description: "We meet on Tuesdays.", Districts: []string{"E8"}})
			if err != nil || up.Name != "Hackney" || up.Slug != "hackney-clapton" || up.JoinPolicy != JoinRequest ||
				!slices.Equal(up.Districts, []string{"E8"}) || up.Centre != nil || up.RegionID != "" {
				t.Fatalf("Update = %+v, %v", up, err)
			}
		})
	})
}

func TestList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		north, _ := e.svc.CreateRegion(e.admin.ctx, "North")
		mk := func(name, kind, region string) {
			in := Input{Name: name, Kind: kind, RegionID: region, Description: "About " + name}
			if kind == KindLocal {
				in.Districts = []string{"M1"}
			}
			if _, err := e.svc.Create(e.admin.ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		mk("Salford", KindLocal, north.ID)
		mk("Bolton", KindLocal, north.ID)
		mk("Brixton", KindLocal, "")
		mk("Housing", KindWorking, "")
		mk("Climate", KindWorking, "")
		slugs := func(gs []Group) []string {
			var out []string
			for _, g := range gs {
				out = append(out, g.Slug)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"All", Filter{}, []string{"bolton", "brixton", "climate", "housing", "salford"}},
			{"Kind", Filter{Kind: KindWorking}, []string{"climate", "housing"}},
			{"Region", Filter{RegionID: north.ID}, []string{"bolton", "salford"}},
			{"TextIgnoresCase", Filter{Text: "BRIX"}, []string{"brixton"}},
			{"TextInDescription", Filter{Text: "about hou"}, []string{"housing"}},
			{"TextIsNotAPattern", Filter{Text: "%"}, nil},
			{"Page1", Filter{Limit: 2}, []string{"bolton", "brixton"}},
			{"Page2", Filter{Limit: 2, After: "brixton"}, []string{"climate", "housing"}},
			{"Status", Filter{Status: StatusDormant}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.List(e.anyone, tc.f)
				if err != nil || !slices.Equal(slugs(got), tc.want) {
					t.Fatalf("List = %q, %v; want %q", slugs(got), err, tc.want)
				}
			})
		}
		regions, err := e.svc.Regions(e.anyone)
		if err != nil || len(regions) != 1 || regions[0].Name != "North" {
			t.Fatalf("Regions = %+v, %v", regions, err)
		}
	})
}

// TestOtherGroupsAreOffLimits: an organiser of group A can change nothing in
// group B, and admin-only methods refuse organisers.
func TestOtherGroupsAreOffLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.group(t, "Group A", JoinOpen, "E8")
		b := e.group(t, "Group B", JoinRequest, "N1")
		orgA := e.person(t, "Ann OrganiserA", auth.RoleMember)
		orgB := e.person(t, "Bob OrganiserB", auth.RoleMember)
		memB := e.person(t, "Mia MemberB", auth.RoleMember)
		askB := e.person(t, "Rae AskerB", auth.RoleSupporter)
		e.member(t, a, orgA, RoleOrganiser, MemberActive, false)
		e.member(t, b, orgB, RoleOrganiser, MemberActive, false)
		e.member(t, b, memB, RoleMember, MemberActive, false)
		e.member(t, b, askB, RoleMember, MemberRequested, false)
		ctx := orgA.ctx
		for _, tc := range []struct {
			name string
			run  func() error
		}{
			{"Update", func() error {
				_, err := e.svc.Update(ctx, b.ID, Input{Name: "Mine now", Kind: KindLocal, Districts: []string{"N1"}})
				return err
			}},
			{"ApproveRequest", func() error { return e.svc.RequestDecision(ctx, b.ID, askB.PersonID, true) }},
			{"RejectRequest", func() error { return e.svc.RequestDecision(ctx, b.ID, askB.PersonID, false) }},
			{"Invite", func() error { return e.svc.Invite(ctx, b.ID, orgA.PersonID) }},
			{"InviteByEmail", func() error { return e.svc.InviteByEmail(ctx, b.ID, orgA.Email) }},
			{"SetRole", func() error { return e.svc.SetRole(ctx, b.ID, memB.PersonID, RoleOrganiser) }},
			{"Pending", func() error { _, _, err := e.svc.Pending(ctx, b.ID, "", 10); return err }},
			{"Revive", func() error { return e.svc.Revive(ctx, b.ID) }},
			{"Archive", func() error { return e.svc.Archive(ctx, b.ID) }},
			{"MergeBIntoA", func() error { return e.svc.Merge(ctx, b.ID, a.ID) }},
			{"MergeAIntoB", func() error { return e.svc.Merge(ctx, a.ID, b.ID) }},
			{"MarkDormant", func() error { _, err := e.svc.MarkDormant(ctx, time.Now(), time.Hour); return err }},
			{"Create", func() error { _, err := e.svc.Create(ctx, Input{Name: "C", Kind: KindWorking}); return err }},
			{"CreateRegion", func() error { _, err := e.svc.CreateRegion(ctx, "South"); return err }},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.run(), errs.Forbidden) })
		}
		t.Run("NothingChanged", func(t *testing.T) {
			got, _ := e.svc.Get(e.anyone, b.ID)
			if got.Name != "Group B" || got.Status != StatusActive {
				t.Fatalf("group B changed: %+v", got)
			}
			if st, role := e.status(t, b, askB); st != MemberRequested || role != RoleMember {
				t.Fatalf("request changed: %s %s", st, role)
			}
			if st, _ := e.status(t, b, orgA); st != "" {
				t.Fatalf("organiser of A got into B as %s", st)
			}
			if _, role := e.status(t, b, memB); role != RoleMember {
				t.Fatalf("member of B became %s", role)
			}
		})
		t.Run("GroupTokenOfA", func(t *testing.T) {
			tok := auth.WithPrincipal(context.Background(), &auth.Principal{TokenGroupID: a.ID, Label: "token:a"})
			wantCode(t, e.svc.SetRole(tok, b.ID, memB.PersonID, RoleOrganiser), errs.Forbidden)
			list, _, err := e.svc.Members(tok, b.ID, "", 10)
			if err != nil || len(list) != 0 {
				t.Fatalf("a token of A listed B's members: %d, %v", len(list), err)
			}
			list, _, err = e.svc.Members(tok, a.ID, "", 10)
			if err != nil || len(list) != 1 {
				t.Fatalf("a token of A sees %d of A's members, %v; want 1", len(list), err)
			}
		})
	})
}

// TestNames names several groups in one call and leaves out unknown ids.
func TestNames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, err := e.svc.Create(e.admin.ctx, Input{Name: "Housing", Kind: KindWorking})
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.svc.Create(e.admin.ctx, Input{Name: "Health", Kind: KindWorking})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Names(context.Background(), []string{a.ID, b.ID, db.NewID()})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{a.ID: "Housing", b.ID: "Health"}; !maps.Equal(got, want) {
			t.Errorf("Names = %v, want %v", got, want)
		}
		if got, err := e.svc.Names(context.Background(), nil); err != nil || len(got) != 0 {
			t.Errorf("Names(nil) = %v, %v", got, err)
		}
	})
}
