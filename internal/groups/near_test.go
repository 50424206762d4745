package groups

import (
	"context"
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

func TestNearest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		for code, p := range map[string]geo.Point{
			"E8":   {Lat: 51.5450, Lng: -0.0560},
			"E5":   {Lat: 51.5600, Lng: -0.0530},
			"N16":  {Lat: 51.5620, Lng: -0.0760},
			"SW1A": {Lat: 51.5010, Lng: -0.1410},
			"EC1A": {Lat: 51.5180, Lng: -0.1000},
			"M1":   {Lat: 53.4780, Lng: -2.2370},
		} {
			if err := geo.SetDistrict(ctx, d.Q(), code, p, "outcode file"); err != nil {
				t.Fatal(err)
			}
		}
		mustCreate := func(in Input) *Group {
			t.Helper()
			g, err := e.svc.Create(e.admin.ctx, in)
			if err != nil {
				t.Fatalf("create %s: %v", in.Name, err)
			}
			return g
		}
		// Covers E8 by district, but its own centre is far from E8's.
		mustCreate(Input{Name: "Dalston", Kind: KindLocal, Districts: []string{"E8", "E5"}})
		// A centre and radius only: about 2.2 km from E8's centre.
		mustCreate(Input{Name: "Stoke Newington", Kind: KindLocal, Centre: &geo.Point{Lat: 51.5640, Lng: -0.0750}, RadiusKm: 1})
		mustCreate(Input{Name: "Westminster", Kind: KindLocal, Districts: []string{"SW1A"}})
		mustCreate(Input{Name: "City", Kind: KindLocal, Districts: []string{"EC1A"}})
		manchester := mustCreate(Input{Name: "Manchester", Kind: KindLocal, Districts: []string{"M1"}})
		clapton := mustCreate(Input{Name: "Clapton", Kind: KindLocal, Districts: []string{"E5"}})
		if err := e.svc.Archive(e.admin.ctx, clapton.ID); err != nil {
			t.Fatal(err)
		}
		e.group(t, "Housing", JoinOpen) // a working group is never offered

		names := func(ns []NearGroup) []string {
			var out []string
			for _, n := range ns {
				out = append(out, n.Name)
			}
			return out
		}
		for _, tc := range []struct {
			name     string
			postcode string
			limit    int
			want     []string
		}{
			{"CoveringGroupFirstThenByDistance", "e8 1dy", 10, []string{"Dalston", "Stoke Newington", "City", "Westminster", "Manchester"}},
			{"Limit", "E8 1DY", 2, []string{"Dalston", "Stoke Newington"}},
			{"RadiusCovers", "N16 0AA", 2, []string{"Stoke Newington", "Dalston"}},
			{"BareDistrict", "SW1A", 1, []string{"Westminster"}},
			// E20 has no known centre: groups in postcode area E, not EC or others.
			{"AreaFallback", "E20 1AA", 10, []string{"Dalston"}},
			{"NothingInArea", "ZE1 0AA", 10, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.Nearest(e.anyone, tc.postcode, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(names(got), tc.want) {
					t.Fatalf("Nearest(%q) = %q, want %q", tc.postcode, names(got), tc.want)
				}
			})
		}
		t.Run("Figures", func(t *testing.T) {
			got, _ := e.svc.Nearest(e.anyone, "E8 1DY", 10)
			if !got[0].CoversPostcode || !got[0].Located || got[0].DistanceKm != 0 || got[0].MemberCount != 0 {
				t.Fatalf("covering group: %+v", got[0])
			}
			if got[1].CoversPostcode || got[1].DistanceKm < 1.5 || got[1].DistanceKm > 3 {
				t.Fatalf("Stoke Newington: covers %v at %.2f km", got[1].CoversPostcode, got[1].DistanceKm)
			}
			if got[4].ID != manchester.ID || got[4].DistanceKm < 250 {
				t.Fatalf("Manchester at %.0f km", got[4].DistanceKm)
			}
			fallback, _ := e.svc.Nearest(e.anyone, "E20 1AA", 10)
			if fallback[0].Located || fallback[0].CoversPostcode {
				t.Fatalf("area fallback claims a distance: %+v", fallback[0])
			}
		})
		for _, bad := range []string{"", "hello", "E8 1D", "12345", "E8 1DY; DROP"} {
			t.Run("Invalid/"+bad, func(t *testing.T) {
				_, err := e.svc.Nearest(e.anyone, bad, 5)
				wantCode(t, err, errs.Invalid)
				if got := errs.FieldsOf(err)["postcode"]; got != "Enter a UK postcode like E8 1DY." {
					t.Fatalf("postcode message %q", got)
				}
			})
		}
	})
}
