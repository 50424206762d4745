package people

import (
	"context"
	"fmt"
	"math"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Condition returns f as one SQL condition on the people table under the
// alias p, with its arguments, for a capability that selects people in
// bulk inside its own statement (a broadcast's recipients: messaging
// counts and fixes them with INSERT … SELECT, never person by person).
// namesOnly limits Text to names, as for organisers.
//
// It checks no permission: the caller decides who may select whom (for
// an organiser, f.GroupID must be their group). A Near filter is checked
// in SQL by an equirectangular distance from the person's location or
// else their district's centre; within the few hundred km a filter covers
// it agrees with the people list's great-circle distance to a few metres
// per km.
//
// Errors: errs.Invalid naming the filter's fields (see Filter).
func Condition(ctx context.Context, q db.Querier, f Filter, namesOnly bool) (string, []any, error) {
	if err := f.normalize(); err != nil {
		return "", nil, err
	}
	c, err := buildCondition(ctx, q, &f, namesOnly)
	if err != nil {
		return "", nil, err
	}
	if c.none {
		return "1 = 0", nil, nil
	}
	if f.Near != nil {
		// Degrees of longitude shrink with latitude: scale them at the
		// filter's own latitude, then compare squared kilometres.
		const kmPerDegree = 111.32
		kx := kmPerDegree * math.Cos(f.Near.Lat*math.Pi/180)
		lat := `COALESCE(p.latitude, (SELECT pdc.latitude FROM postcode_districts pdc WHERE pdc.district = p.postcode_district))`
		lng := `COALESCE(p.longitude, (SELECT pdc.longitude FROM postcode_districts pdc WHERE pdc.district = p.postcode_district))`
		c.add(fmt.Sprintf(`((%s - ?) * ? * (%s - ?) * ? + (%s - ?) * ? * (%s - ?) * ?) <= ?`, lat, lat, lng, lng),
			f.Near.Lat, kmPerDegree, f.Near.Lat, kmPerDegree, f.Near.Lng, kx, f.Near.Lng, kx, f.WithinKm*f.WithinKm)
	}
	return "(" + c.sql() + ")", c.args, nil
}
