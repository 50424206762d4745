package tally

import (
	"fmt"
	"math/big"
	"math/bits"
)

// Droop's guarded arithmetic, which its Meek and WIGM reference reports
// use ("guarded-p18-g9-d18"): values are integers in units of 10^-27 (18
// places of precision plus 9 guard digits); every product and quotient is
// truncated to those 27 places; two values closer than half of 10^9 units
// compare equal, so that truncation error in the guard digits never
// decides a count; values are shown rounded to 18 places.
const (
	guardPrec    = 18
	guardGuard   = 9
	guardPlaces  = guardPrec + guardGuard
	guardDisplay = 18
)

var (
	bigScale = new(big.Int).Exp(big.NewInt(10), big.NewInt(guardPlaces), nil)
	bigGeps  = new(big.Int).Exp(big.NewInt(10), big.NewInt(guardGuard), nil) // halved in gcmp
	// five27 is 5^27: 10^27 = 2^27 × 5^27, and 5^27 fits in a uint64, so
	// truncating by 10^27 is a shift and one-word divisions.
	five27 = func() uint64 {
		x := uint64(1)
		for range 27 {
			x *= 5
		}
		return x
	}()
	u128Scale = u128FromBig(bigScale)
	gepsHalf  = uint64(500_000_000)
)

// gcmp compares guarded values a and b: 0 when they differ by less than
// half a unit of precision (10^9 / 2 guard units), else -1 or +1.
func gcmp(a, b *big.Int) int {
	d := new(big.Int).Sub(a, b)
	half := new(big.Int).Rsh(bigGeps, 1)
	if new(big.Int).Abs(d).Cmp(half) < 0 {
		return 0
	}
	return d.Sign()
}

// gmul returns a × b truncated to guarded precision.
func gmul(a, b *big.Int) *big.Int {
	p := new(big.Int).Mul(a, b)
	return p.Div(p, bigScale)
}

// gdiv returns a ÷ b truncated to guarded precision.
func gdiv(a, b *big.Int) *big.Int {
	p := new(big.Int).Mul(a, bigScale)
	return p.Div(p, b)
}

// gint returns the whole number n as a guarded value.
func gint(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), bigScale) }

// gdec shows a guarded value as Droop does: rounded to 18 places.
func gdec(v *big.Int) Decimal {
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(guardPlaces-guardDisplay), nil)
	r := new(big.Int).Add(v, new(big.Int).Rsh(d, 1))
	r.Div(r, d)
	return Decimal{units: r, places: guardDisplay}
}

// u128 is an unsigned 128-bit integer: Meek's per-ballot arithmetic in
// guarded units without allocating, since weights and keep factors are at
// most 10^27 < 2^90 and a vote total below 2^127 units is 1.7×10^11 votes.
type u128 struct{ hi, lo uint64 }

func u128FromBig(b *big.Int) u128 {
	if b.Sign() < 0 || b.BitLen() > 128 {
		panic(fmt.Sprintf("tally: %s does not fit in 128 bits", b))
	}
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(b, 64).Uint64()
	return u128{hi: hi, lo: lo}
}

func (a u128) big() *big.Int {
	b := new(big.Int).SetUint64(a.hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(a.lo))
}

func (a u128) add(b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c2 := bits.Add64(a.hi, b.hi, c)
	if c2 != 0 {
		panic("tally: guarded overflow")
	}
	return u128{hi, lo}
}

func (a u128) sub(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

// belowGeps reports whether a is within half a unit of precision of zero,
// which guarded comparison treats as zero.
func (a u128) belowGeps() bool { return a.hi == 0 && a.lo < gepsHalf }

// mulSmall returns a × m.
func (a u128) mulSmall(m uint64) u128 {
	h1, lo := bits.Mul64(a.lo, m)
	h2, l2 := bits.Mul64(a.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	if h2 != 0 || c != 0 {
		panic("tally: guarded overflow")
	}
	return u128{hi, lo}
}

// gmulTrunc returns a × b ÷ 10^27, truncated: Droop's guarded multiply.
func gmulTrunc(a, b u128) u128 {
	// 256-bit product w3:w2:w1:w0.
	h00, w0 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	w1, c1 := bits.Add64(h00, l01, 0)
	w1, c2 := bits.Add64(w1, l10, 0)
	w2, c3 := bits.Add64(h01, h10, c1)
	w2, c4 := bits.Add64(w2, l11, c2)
	w3 := h11 + c3 + c4
	// Shift right by 27 (the 2^27 of 10^27).
	w0 = w0>>27 | w1<<37
	w1 = w1>>27 | w2<<37
	w2 = w2>>27 | w3<<37
	w3 >>= 27
	if w3 != 0 || w2 >= five27 {
		panic("tally: guarded overflow")
	}
	// Divide by 5^27, one word at a time.
	q1, r := bits.Div64(w2, w1, five27)
	q0, _ := bits.Div64(r, w0, five27)
	return u128{q1, q0}
}

// divSmall returns a ÷ n, truncated.
func (a u128) divSmall(n uint64) u128 {
	q1, r := a.hi/n, a.hi%n
	q0, _ := bits.Div64(r, a.lo, n)
	return u128{q1, q0}
}
