package geo_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

func TestNormalizePostcode(t *testing.T) {
	cases := []struct{ in, pc, district string }{
		{"e81dy", "E8 1DY", "E8"},
		{" SW1A 1AA ", "SW1A 1AA", "SW1A"},
		{"m1 1ae", "M1 1AE", "M1"},
		{"EH11 2AB", "EH11 2AB", "EH11"},
		{"W1D 3QF", "W1D 3QF", "W1D"},
		{"ls6", "LS6", "LS6"},
	}
	for _, c := range cases {
		pc, d, ok := geo.NormalizePostcode(c.in)
		if !ok || pc != c.pc || d != c.district {
			t.Errorf("NormalizePostcode(%q) = %q, %q, %v; want %q, %q", c.in, pc, d, ok, c.pc, c.district)
		}
	}
	for _, bad := range []string{"", "12345", "E8 1D", "EEE8 1DY", "E8 DY1", "not a postcode", "E8-1DY"} {
		if pc, _, ok := geo.NormalizePostcode(bad); ok {
			t.Errorf("NormalizePostcode(%q) = %q, want refused", bad, pc)
		}
	}
	if geo.Area("SW1A") != "SW" || geo.Area("E8") != "E" {
		t.Error("Area")
	}
}

func TestDistance(t *testing.T) {
	london, manchester := geo.Point{51.5074, -0.1278}, geo.Point{53.4808, -2.2426}
	if d := geo.DistanceKm(london, manchester); math.Abs(d-262) > 3 {
		t.Errorf("London–Manchester = %.1f km, want about 262", d)
	}
	lo, hi := geo.BoundingBox(london, 10)
	if !(lo.Lat < london.Lat && hi.Lat > london.Lat && lo.Lng < london.Lng && hi.Lng > london.Lng) {
		t.Error("bounding box does not contain its centre")
	}
}

func TestDistricts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := geo.Locate(ctx, d.Q(), "E8 1DY"); !errors.Is(err, geo.ErrUnknownDistrict) {
			t.Fatalf("unknown district: %v", err)
		}
		if err := geo.SetDistrictIfUnknown(ctx, d.Q(), "E8", geo.Point{51.54, -0.06}, "people"); err != nil {
			t.Fatal(err)
		}
		if err := geo.SetDistrict(ctx, d.Q(), "E8", geo.Point{51.545, -0.055}, "outcode file"); err != nil {
			t.Fatal(err)
		}
		if err := geo.SetDistrictIfUnknown(ctx, d.Q(), "E8", geo.Point{1, 1}, "people"); err != nil {
			t.Fatal(err)
		}
		got, err := geo.Locate(ctx, d.Q(), "e8 1dy")
		if err != nil || got.Centre.Lat != 51.545 || got.Source != "outcode file" {
			t.Fatalf("Locate = %+v, %v", got, err)
		}
	})
}
