package tally

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"
)

// MaxFixedPlaces is the most decimal places a Fixed can carry: one unit of
// 10^-18 still leaves room for values up to about nine.
const MaxFixedPlaces = 18

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// Fixed is an exact fixed-point decimal: an integer count of 10^-Places
// units. Counting rules fix the number of places and say that results
// beyond it are truncated (Scottish STV: five places; RCTab:
// decimalPlacesForVoteArithmetic), so Fixed never rounds up and never uses
// floating point. Operations panic on overflow of the int64 units rather
// than return a wrong count; at five places that is beyond 92 trillion
// votes. Counting methods never reach that panic: each refuses up front,
// with a *CountError naming its limit, an election its arithmetic cannot
// hold (see the table in the package documentation).
//
// The zero value is 0 with no decimal places. Values with different places
// must not be mixed: convert with Rescale first.
type Fixed struct {
	units  int64
	places uint8
}

// NewFixed returns the whole number n with the given places.
func NewFixed(n int64, places int) Fixed {
	checkPlaces(places)
	u, ok := mulOK(n, pow10[places])
	if !ok {
		panic(fmt.Sprintf("tally: %d does not fit in Fixed with %d places", n, places))
	}
	return Fixed{units: u, places: uint8(places)}
}

// FixedUnits returns the Fixed holding units × 10^-places.
func FixedUnits(units int64, places int) Fixed {
	checkPlaces(places)
	return Fixed{units: units, places: uint8(places)}
}

// ParseFixed reads a decimal such as "12", "-3.5" or "9452.0000" into a
// Fixed with the given places; digits beyond places are truncated.
func ParseFixed(s string, places int) (Fixed, error) {
	checkPlaces(places)
	orig := s
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return Fixed{}, fmt.Errorf("%q is not a decimal number", orig)
	}
	var u int64
	for i, part := range []string{whole, frac} {
		for j, r := range part {
			if r < '0' || r > '9' {
				return Fixed{}, fmt.Errorf("%q is not a decimal number", orig)
			}
			if i == 1 && j >= places {
				break // truncate
			}
			var ok bool
			if u, ok = mulOK(u, 10); !ok || u > math.MaxInt64-int64(r-'0') {
				return Fixed{}, fmt.Errorf("%q is too large", orig)
			}
			u += int64(r - '0')
		}
	}
	shortBy := places - min(len(frac), places)
	u, ok := mulOK(u, pow10[shortBy])
	if !ok {
		return Fixed{}, fmt.Errorf("%q is too large", orig)
	}
	if neg {
		u = -u
	}
	return Fixed{units: u, places: uint8(places)}, nil
}

func checkPlaces(p int) {
	if p < 0 || p > MaxFixedPlaces {
		panic(fmt.Sprintf("tally: %d decimal places; Fixed allows 0 to %d", p, MaxFixedPlaces))
	}
}

func mulOK(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// Places returns the number of decimal places.
func (f Fixed) Places() int { return int(f.places) }

// Units returns the value as an integer count of 10^-Places units.
func (f Fixed) Units() int64 { return f.units }

// IsZero reports whether f is zero.
func (f Fixed) IsZero() bool { return f.units == 0 }

func (f Fixed) same(g Fixed) {
	if f.places != g.places {
		panic(fmt.Sprintf("tally: mixing Fixed with %d and %d places", f.places, g.places))
	}
}

// Add returns f + g.
func (f Fixed) Add(g Fixed) Fixed {
	f.same(g)
	s := f.units + g.units
	if (s > f.units) != (g.units > 0) {
		panic("tally: Fixed overflow")
	}
	return Fixed{units: s, places: f.places}
}

// Sub returns f − g.
func (f Fixed) Sub(g Fixed) Fixed {
	f.same(g)
	// Not f + (−g): −g wraps when g is the most negative value.
	s := f.units - g.units
	if (s < f.units) != (g.units > 0) {
		panic("tally: Fixed overflow")
	}
	return Fixed{units: s, places: f.places}
}

// MulInt returns f × n, exactly.
func (f Fixed) MulInt(n int64) Fixed {
	u, ok := mulOK(f.units, n)
	if !ok {
		panic("tally: Fixed overflow")
	}
	return Fixed{units: u, places: f.places}
}

// Mul returns f × g truncated to f's places (toward zero).
func (f Fixed) Mul(g Fixed) Fixed {
	f.same(g)
	return Fixed{units: muldivTrunc(f.units, g.units, pow10[f.places]), places: f.places}
}

// Div returns f ÷ g truncated to f's places (toward zero). It panics if g
// is zero.
func (f Fixed) Div(g Fixed) Fixed {
	f.same(g)
	return Fixed{units: muldivTrunc(f.units, pow10[f.places], g.units), places: f.places}
}

// MulDiv returns f × g ÷ h with the product kept in full and only the
// quotient truncated: the Scottish transfer value "surplus × value ÷
// total, to five decimal places, any remainder being ignored".
func (f Fixed) MulDiv(g, h Fixed) Fixed {
	f.same(g)
	f.same(h)
	return Fixed{units: muldivTrunc(f.units, g.units, h.units), places: f.places}
}

// muldivTrunc returns a×b÷c truncated toward zero, with a 128-bit
// intermediate product so that large tallies times transfer values do not
// overflow.
func muldivTrunc(a, b, c int64) int64 {
	if c == 0 {
		panic("tally: division by zero")
	}
	neg := (a < 0) != (b < 0) != (c < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	uc := abs64(c)
	if hi >= uc {
		panic("tally: Fixed overflow")
	}
	q, _ := bits.Div64(hi, lo, uc)
	switch {
	case neg && q == 1<<63:
		return math.MinInt64
	case q > math.MaxInt64:
		panic("tally: Fixed overflow")
	case neg:
		return -int64(q)
	}
	return int64(q)
}

func abs64(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

// Rescale returns f with the given places, truncating extra digits.
func (f Fixed) Rescale(places int) Fixed {
	checkPlaces(places)
	d := places - int(f.places)
	switch {
	case d > 0:
		u, ok := mulOK(f.units, pow10[d])
		if !ok {
			panic("tally: Fixed overflow")
		}
		return Fixed{units: u, places: uint8(places)}
	case d < 0:
		return Fixed{units: f.units / pow10[-d], places: uint8(places)}
	}
	return f
}

// Cmp compares f and g and returns -1, 0 or +1.
func (f Fixed) Cmp(g Fixed) int {
	f.same(g)
	switch {
	case f.units < g.units:
		return -1
	case f.units > g.units:
		return 1
	}
	return 0
}

// String formats f with all its places, as the tabulators print it
// ("1381.00000").
func (f Fixed) String() string {
	return formatUnits(big.NewInt(f.units), int(f.places))
}

// Decimal returns f as a Decimal, the type results are reported in.
func (f Fixed) Decimal() Decimal {
	return Decimal{units: big.NewInt(f.units), places: int(f.places)}
}

// MarshalText writes f as its decimal string.
func (f Fixed) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
