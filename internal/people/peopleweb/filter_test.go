package peopleweb

import (
	"context"
	"reflect"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// TestFilterQuery checks that a saved list's filter, written as the query
// that opens it, reads back as the same filter.
func TestFilterQuery(t *testing.T) {
	h := &Handler{}
	for _, tc := range []struct {
		Name string
		F    people.Filter
	}{
		{Name: "Empty", F: people.Filter{}},
		{Name: "Everything", F: people.Filter{Text: "ann", Tags: []string{"door knocker", "steward"}, GroupID: "g1",
			Ladder: []string{"active"}, Consent: "email", MembershipStatus: "member", Districts: []string{"E8", "N"},
			Near: &geo.Point{Lat: 51.545, Lng: -0.056}, WithinKm: 2.5}},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := h.parseFilter(context.Background(), filterQuery(tc.F))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.F
			want.Limit = 50
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
		})
	}
}

// TestParseFilterErrors checks the errors the handler finds itself, beside
// the fields they belong to.
func TestParseFilterErrors(t *testing.T) {
	for _, tc := range []struct {
		Name, Near, Km string
		Locator        Locator
		Field, Message string
	}{
		{Name: "NotAPostcode", Near: "hello", Field: "near", Message: "Enter a UK postcode like E8 1DY."},
		{Name: "BadDistance", Near: "51.5,-0.1", Km: "far", Field: "within_km", Message: "Give a distance in km between 0 and 1000, like 5."},
		{Name: "UnknownDistrict", Near: "E8 1DY", Field: "near", Message: "We don't know where E8 is yet: filter by postcode district instead.",
			Locator: LocatorFunc(func(context.Context, string) (geo.District, error) {
				return geo.District{Code: "E8"}, geo.ErrUnknownDistrict
			})},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			h := &Handler{locate: tc.Locator}
			_, err := h.parseFilter(context.Background(), map[string][]string{"near": {tc.Near}, "within_km": {tc.Km}})
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[tc.Field] != tc.Message {
				t.Errorf("error %v (fields %v), want %s: %q", err, errs.FieldsOf(err), tc.Field, tc.Message)
			}
		})
	}
}
