package tally

import (
	"math/big"
	"strings"
)

// Decimal is an exact decimal as a count reports it: the tallies, quotas
// and transfers in a Result. It can hold any number of places (Meek's
// guarded arithmetic shows eighteen), so methods of every precision report
// in one type. It marshals to JSON as a string ("927.98248") so that no
// digit is lost to a reader's floating point.
//
// The zero value is 0.
type Decimal struct {
	units  *big.Int
	places int
}

func decimalOf(units int64, places int) Decimal {
	return Decimal{units: big.NewInt(units), places: places}
}

func intDecimal(n int64) Decimal { return decimalOf(n, 0) }

// Places returns the number of decimal places shown.
func (d Decimal) Places() int { return d.places }

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.units == nil || d.units.Sign() == 0 }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	if d.units == nil {
		return 0
	}
	return d.units.Sign()
}

// Cmp compares d with e (of any places) and returns -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	a, b := d.scaled(max(d.places, e.places)), e.scaled(max(d.places, e.places))
	return a.Cmp(b)
}

func (d Decimal) scaled(places int) *big.Int {
	u := new(big.Int)
	if d.units != nil {
		u.Set(d.units)
	}
	if places > d.places {
		u.Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places-d.places)), nil))
	}
	return u
}

// Add returns d + e with the places of the more precise.
func (d Decimal) Add(e Decimal) Decimal {
	p := max(d.places, e.places)
	return Decimal{units: new(big.Int).Add(d.scaled(p), e.scaled(p)), places: p}
}

// Float64 approximates d for display only, such as the width of a bar in a
// chart. Never count with it.
func (d Decimal) Float64() float64 {
	if d.units == nil {
		return 0
	}
	f, _ := new(big.Rat).SetFrac(d.units, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.places)), nil)).Float64()
	return f
}

// String formats d with all its places.
func (d Decimal) String() string {
	if d.units == nil {
		return formatUnits(new(big.Int), d.places)
	}
	return formatUnits(d.units, d.places)
}

// MarshalText writes d as its decimal string.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func formatUnits(u *big.Int, places int) string {
	s := new(big.Int).Abs(u).String()
	neg := u.Sign() < 0
	if places > 0 {
		if len(s) <= places {
			s = strings.Repeat("0", places-len(s)+1) + s
		}
		s = s[:len(s)-places] + "." + s[len(s)-places:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
