// Package geo holds the geography Momentum needs without an outside
// service: UK postcodes (normalising "e81dy" to "E8 1DY" and finding its
// district "E8"), distances between points, and a table of postcode
// district centres so "the nearest group to my postcode" can be answered.
//
// Momentum ships no postcode database. The district table is filled from
// what the network knows — group centres, imported people with coordinates —
// and an admin can load a full outcode table (outcode,latitude,longitude CSV,
// such as the free ONS-derived outcode lists) with `momentum import
// postcodes`. It imports platform/db only.
package geo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Point is a position in degrees (WGS84).
type Point struct{ Lat, Lng float64 }

// Valid reports whether p is a real position.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180 && !(p.Lat == 0 && p.Lng == 0)
}

// DistanceKm is the great-circle distance between a and b.
func DistanceKm(a, b Point) float64 {
	const r = 6371.0088
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla := la2 - la1
	dlo := (b.Lng - a.Lng) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// BoundingBox returns the corners of a box that contains every point within
// km of p: a cheap index filter before the exact distance.
func BoundingBox(p Point, km float64) (min, max Point) {
	dLat := km / 111.0
	dLng := km / (111.0 * math.Max(0.01, math.Cos(p.Lat*math.Pi/180)))
	return Point{p.Lat - dLat, p.Lng - dLng}, Point{p.Lat + dLat, p.Lng + dLng}
}

// NormalizePostcode returns a UK postcode in its standard form ("E8 1DY")
// and its district, the outward code ("E8"). A bare district ("SW1A",
// "e8") is accepted too and returned as both. ok is false for anything that
// is not shaped like a UK postcode.
func NormalizePostcode(raw string) (postcode, district string, ok bool) {
	var b strings.Builder
	for _, r := range raw {
		if unicode.IsSpace(r) {
			continue
		}
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", "", false
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	s := b.String()
	if validOutward(s) {
		return s, s, true
	}
	if len(s) < 5 || len(s) > 7 {
		return "", "", false
	}
	out, in := s[:len(s)-3], s[len(s)-3:]
	if !validOutward(out) || !isDigit(in[0]) || !isLetter(in[1]) || !isLetter(in[2]) {
		return "", "", false
	}
	return out + " " + in, out, true
}

// validOutward matches A9, A99, AA9, AA99, A9A and AA9A.
func validOutward(s string) bool {
	if len(s) < 2 || len(s) > 4 || !isLetter(s[0]) {
		return false
	}
	i := 1
	if isLetter(s[i]) {
		i++
	}
	if i >= len(s) || !isDigit(s[i]) {
		return false
	}
	i++
	if i < len(s) && (isDigit(s[i]) || isLetter(s[i])) {
		i++
	}
	return i == len(s)
}

// Area is the letters of a district: "SW" for "SW1A", "E" for "E8".
func Area(district string) string {
	i := 0
	for i < len(district) && isLetter(district[i]) {
		i++
	}
	return district[:i]
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// District is a postcode district with its centre.
type District struct {
	Code   string
	Centre Point
	Source string // "outcode file", "groups", "people"
}

// SetDistrict records (or replaces) the centre of a district.
func SetDistrict(ctx context.Context, q db.Querier, code string, p Point, source string) error {
	if !p.Valid() {
		return fmt.Errorf("district %s: invalid position %v", code, p)
	}
	_, err := q.Exec(ctx, `INSERT INTO postcode_districts (district, latitude, longitude, source, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (district) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
			source = excluded.source, updated_at = excluded.updated_at`,
		code, p.Lat, p.Lng, source, db.Now())
	if err != nil {
		return fmt.Errorf("set district %s: %w", code, err)
	}
	return nil
}

// SetDistrictIfUnknown records a centre only when the district has none, so
// a loaded outcode file is never overwritten by a rough estimate.
func SetDistrictIfUnknown(ctx context.Context, q db.Querier, code string, p Point, source string) error {
	if !p.Valid() {
		return nil
	}
	_, err := q.Exec(ctx, `INSERT INTO postcode_districts (district, latitude, longitude, source, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (district) DO NOTHING`, code, p.Lat, p.Lng, source, db.Now())
	return err
}

// ErrUnknownDistrict is returned by Locate when no centre is known.
var ErrUnknownDistrict = errors.New("no position known for this postcode district")

// Locate returns the centre of the district of a postcode (or district).
func Locate(ctx context.Context, q db.Querier, postcodeOrDistrict string) (District, error) {
	_, district, ok := NormalizePostcode(postcodeOrDistrict)
	if !ok {
		return District{}, fmt.Errorf("%q is not a UK postcode", postcodeOrDistrict)
	}
	d := District{Code: district}
	err := q.QueryRow(ctx, `SELECT latitude, longitude, source FROM postcode_districts WHERE district = ?`, district).
		Scan(&d.Centre.Lat, &d.Centre.Lng, &d.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrUnknownDistrict
	}
	if err != nil {
		return d, fmt.Errorf("locate %s: %w", district, err)
	}
	return d, nil
}
