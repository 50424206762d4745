package rctab

import (
	"fmt"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Decimal is an exact fixed-point number that behaves like Java's
// BigDecimal for the operations RCTab uses: it keeps a scale (digits after
// the point) alongside the unscaled value, because RCTab's reports print
// "8" and "8.0000" differently even though they compare equal.
type Decimal struct {
	unscaled int64
	scale    int32
}

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// Int returns the integer n with scale 0, like new BigDecimal(n).
func Int(n int64) Decimal { return Decimal{unscaled: n} }

// ParseDecimal reads a plain decimal string such as "15", "0.5" or "-2.25".
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, _ := strings.Cut(body, ".")
	if intPart == "" && frac == "" {
		return Decimal{}, fmt.Errorf("%q is not a number", s)
	}
	digits := intPart + frac
	for _, r := range digits {
		if r < '0' || r > '9' {
			return Decimal{}, fmt.Errorf("%q is not a number", s)
		}
	}
	if len(frac) > 18 || len(digits) > 18 {
		return Decimal{}, fmt.Errorf("%q has too many digits", s)
	}
	u, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return Decimal{}, fmt.Errorf("%q is not a number", s)
	}
	if neg {
		u = -u
	}
	return Decimal{unscaled: u, scale: int32(len(frac))}, nil
}

// Scale reports the number of digits after the decimal point.
func (d Decimal) Scale() int { return int(d.scale) }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	switch {
	case d.unscaled < 0:
		return -1
	case d.unscaled > 0:
		return 1
	}
	return 0
}

// IsZero reports whether d is zero at any scale.
func (d Decimal) IsZero() bool { return d.unscaled == 0 }

// rescale returns d's unscaled value at a larger scale s.
func (d Decimal) rescale(s int32) int64 {
	if s == d.scale {
		return d.unscaled
	}
	return mulChecked(d.unscaled, pow10[s-d.scale])
}

// mulChecked multiplies and panics on overflow: RCTab's magnitudes
// (a few million ballots, at most ~8 decimal places) never get close, so
// overflow means a programming error, not bad input.
func mulChecked(a, b int64) int64 {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(abs64(a)), uint64(abs64(b))
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > 1<<63-1 {
		panic("rctab: decimal overflow")
	}
	if neg {
		return -int64(lo)
	}
	return int64(lo)
}

func abs64(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

// Add returns d+e with the larger of the two scales, as BigDecimal.add does.
func (d Decimal) Add(e Decimal) Decimal {
	s := max(d.scale, e.scale)
	return Decimal{unscaled: d.rescale(s) + e.rescale(s), scale: s}
}

// Sub returns d-e with the larger of the two scales.
func (d Decimal) Sub(e Decimal) Decimal { return d.Add(e.Neg()) }

// Neg returns -d.
func (d Decimal) Neg() Decimal { return Decimal{unscaled: -d.unscaled, scale: d.scale} }

// MulInt returns d*n at d's scale; it is how a group of n identical
// ballots adds to a tally exactly as n separate additions would.
func (d Decimal) MulInt(n int64) Decimal {
	return Decimal{unscaled: mulChecked(d.unscaled, n), scale: d.scale}
}

// Mul returns the exact product with the sum of the scales, as
// BigDecimal.multiply does.
func (d Decimal) Mul(e Decimal) Decimal {
	return Decimal{unscaled: mulChecked(d.unscaled, e.unscaled), scale: d.scale + e.scale}
}

// Cmp compares numerically, ignoring scale: -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	s := max(d.scale, e.scale)
	a, b := d.rescale(s), e.rescale(s)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SetScaleDown returns d at scale s, truncating toward zero when digits
// are dropped (Java RoundingMode.DOWN).
func (d Decimal) SetScaleDown(s int) Decimal {
	s32 := int32(s)
	if s32 >= d.scale {
		return Decimal{unscaled: d.rescale(s32), scale: s32}
	}
	return Decimal{unscaled: d.unscaled / pow10[d.scale-s32], scale: s32}
}

// MulDown is RCTab's ContestConfig.multiply: the exact product truncated
// to places decimal places.
func (d Decimal) MulDown(e Decimal, places int) Decimal {
	p := new(big.Int).Mul(big.NewInt(d.unscaled), big.NewInt(e.unscaled))
	return fromBig(p, d.scale+e.scale, int32(places), false)
}

// DivDown is BigDecimal.divide(e, places, RoundingMode.DOWN).
func (d Decimal) DivDown(e Decimal, places int) Decimal { return d.div(e, places, false) }

// DivUp is BigDecimal.divide(e, places, RoundingMode.UP): away from zero.
func (d Decimal) DivUp(e Decimal, places int) Decimal { return d.div(e, places, true) }

func (d Decimal) div(e Decimal, places int, up bool) Decimal {
	if e.unscaled == 0 {
		panic("rctab: division by zero")
	}
	// value = (d.u / 10^d.s) / (e.u / 10^e.s); result unscaled at scale p
	// = d.u * 10^(p - d.s + e.s) / e.u.
	num := big.NewInt(d.unscaled)
	den := big.NewInt(e.unscaled)
	shift := int64(places) - int64(d.scale) + int64(e.scale)
	ten := big.NewInt(10)
	if shift >= 0 {
		num.Mul(num, new(big.Int).Exp(ten, big.NewInt(shift), nil))
	} else {
		den.Mul(den, new(big.Int).Exp(ten, big.NewInt(-shift), nil))
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if up && r.Sign() != 0 {
		if (num.Sign() < 0) != (den.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		panic("rctab: decimal overflow")
	}
	return Decimal{unscaled: q.Int64(), scale: int32(places)}
}

// fromBig truncates an unscaled big value at scale from to scale to.
func fromBig(v *big.Int, from, to int32, _ bool) Decimal {
	if to < from {
		v = new(big.Int).Quo(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(from-to)), nil))
	} else if to > from {
		v = new(big.Int).Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(to-from)), nil))
	}
	if !v.IsInt64() {
		panic("rctab: decimal overflow")
	}
	return Decimal{unscaled: v.Int64(), scale: to}
}

// String formats d exactly as Java's BigDecimal.toString does, which is
// what RCTab's reports print ("9452", "8.0000", "0E-8").
func (d Decimal) String() string {
	digits := strconv.FormatInt(abs64(d.unscaled), 10)
	sign := ""
	if d.unscaled < 0 {
		sign = "-"
	}
	if d.scale == 0 {
		return sign + digits
	}
	adjusted := -int64(d.scale) + int64(len(digits)-1)
	if d.scale > 0 && adjusted >= -6 {
		if len(digits) <= int(d.scale) {
			digits = strings.Repeat("0", int(d.scale)-len(digits)+1) + digits
		}
		cut := len(digits) - int(d.scale)
		return sign + digits[:cut] + "." + digits[cut:]
	}
	mant := digits[:1]
	if len(digits) > 1 {
		mant += "." + digits[1:]
	}
	exp := strconv.FormatInt(adjusted, 10)
	if adjusted >= 0 {
		exp = "+" + exp
	}
	return sign + mant + "E" + exp
}

// ratRound7Trunc reports floor(10^4 * round7(num/den)) for non-negative
// num and positive den, where round7 rounds to 7 significant digits half
// even (Java's MathContext.DECIMAL32). RCTab's CSV percentages are built
// this way; doing it with big rationals keeps the output exact without
// letting floating point near a vote value.
func ratRound7Trunc(num, den Decimal) int64 {
	s := max(num.scale, den.scale)
	n := big.NewInt(num.rescale(s))
	m := big.NewInt(den.rescale(s))
	if n.Sign() == 0 {
		return 0
	}
	// find exponent e such that 10^6 <= n*10^e/m < 10^7
	q := new(big.Rat).SetFrac(n, m)
	e := 0
	lo, hi := big.NewRat(1000000, 1), big.NewRat(10000000, 1)
	ten := big.NewRat(10, 1)
	tenth := big.NewRat(1, 10)
	for q.Cmp(lo) < 0 {
		q.Mul(q, ten)
		e++
	}
	for q.Cmp(hi) >= 0 {
		q.Mul(q, tenth)
		e--
	}
	// q in [1e6, 1e7): round half even to an integer
	fl := new(big.Int).Quo(q.Num(), q.Denom())
	rem := new(big.Rat).Sub(q, new(big.Rat).SetInt(fl))
	switch rem.Cmp(big.NewRat(1, 2)) {
	case 1:
		fl.Add(fl, big.NewInt(1))
	case 0:
		if fl.Bit(0) == 1 {
			fl.Add(fl, big.NewInt(1))
		}
	}
	// value = fl * 10^-e; we want floor(value * 10^4)
	shift := 4 - e
	if shift >= 0 {
		fl.Mul(fl, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		fl.Quo(fl, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil))
	}
	return fl.Int64()
}
