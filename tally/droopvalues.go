package tally

import (
	"fmt"
	"math/big"
)

// droopArith is one of Droop's value classes as the reference Meek-family
// rules (MeekPRF, Warren) use it: fixed-point decimals that round as each
// step of the rule says, guarded decimals, or exact rationals. T is the
// value's type (*big.Int in units, or *big.Rat); no operation changes
// its arguments.
type droopArith[T any] interface {
	fromInt(n int64) T
	add(a, b T) T
	sub(a, b T) T
	mulInt(a T, n int64) T
	// mul and div round up when up is set and the arithmetic rounds;
	// otherwise they truncate (or are exact).
	mul(a, b T, up bool) T
	div(a, b T, up bool) T
	// divInt is a ÷ n, truncated unless exact.
	divInt(a T, n int64) T
	// cmp is Droop's comparison: guarded values closer than half a unit
	// of precision compare equal.
	cmp(a, b T) int
	// order is the strict order of the values, for sorting and minima.
	order(a, b T) int
	isZero(a T) bool
	dec(a T) Decimal
	// epsilon is the least positive value: added to a rounding quota,
	// zero for the exact arithmetics, whose quota need not be rounded up.
	epsilon() T
	// exact reports whether a vote must exceed the quota (exact and
	// guarded) rather than reach it (fixed).
	exact() bool
	describe(omega10 int) string
}

// guardedValues is Droop's guarded arithmetic (guarded.go): 18+9 places.
type guardedValues struct{}

func (guardedValues) fromInt(n int64) *big.Int   { return gint(n) }
func (guardedValues) add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
func (guardedValues) sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
func (guardedValues) mulInt(a *big.Int, n int64) *big.Int {
	return new(big.Int).Mul(a, big.NewInt(n))
}
func (guardedValues) mul(a, b *big.Int, _ bool) *big.Int { return gmul(a, b) } // guard digits absorb rounding
func (guardedValues) div(a, b *big.Int, _ bool) *big.Int { return gdiv(a, b) }
func (guardedValues) divInt(a *big.Int, n int64) *big.Int {
	return new(big.Int).Div(a, big.NewInt(n))
}
func (guardedValues) cmp(a, b *big.Int) int   { return gcmp(a, b) }
func (guardedValues) order(a, b *big.Int) int { return a.Cmp(b) }
func (guardedValues) isZero(a *big.Int) bool  { return a.Sign() == 0 }
func (guardedValues) dec(a *big.Int) Decimal  { return gdec(a) }
func (guardedValues) epsilon() *big.Int       { return new(big.Int) }
func (guardedValues) exact() bool             { return true }
func (guardedValues) describe(omega10 int) string {
	return fmt.Sprintf("%s, omega 10^-%d", guardedArith, omega10)
}

// fixedValues is Droop's fixed-point decimal arithmetic with places
// decimals: values in units of 10^-places, products and quotients
// truncated or rounded up as the rule says.
type fixedValues struct {
	places int
	scale  *big.Int
}

func newFixedValues(places int) fixedValues {
	return fixedValues{places: places, scale: new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)}
}

func (f fixedValues) fromInt(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), f.scale) }
func (fixedValues) add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
func (fixedValues) sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
func (fixedValues) mulInt(a *big.Int, n int64) *big.Int {
	return new(big.Int).Mul(a, big.NewInt(n))
}

// quoRound returns n ÷ d, floored, plus one if up and inexact (d > 0).
func quoRound(n, d *big.Int, up bool) *big.Int {
	q, r := new(big.Int).DivMod(n, d, new(big.Int))
	if up && r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

func (f fixedValues) mul(a, b *big.Int, up bool) *big.Int {
	return quoRound(new(big.Int).Mul(a, b), f.scale, up)
}
func (f fixedValues) div(a, b *big.Int, up bool) *big.Int {
	return quoRound(new(big.Int).Mul(a, f.scale), b, up)
}
func (fixedValues) divInt(a *big.Int, n int64) *big.Int {
	return new(big.Int).Div(a, big.NewInt(n))
}
func (fixedValues) cmp(a, b *big.Int) int   { return a.Cmp(b) }
func (fixedValues) order(a, b *big.Int) int { return a.Cmp(b) }
func (fixedValues) isZero(a *big.Int) bool  { return a.Sign() == 0 }
func (f fixedValues) dec(a *big.Int) Decimal {
	return Decimal{units: new(big.Int).Set(a), places: f.places}
}
func (fixedValues) epsilon() *big.Int { return big.NewInt(1) }
func (fixedValues) exact() bool       { return false }
func (f fixedValues) describe(omega10 int) string {
	return fmt.Sprintf("fixed-point decimal, %d places, products and quotients rounded up (Droop fixed-p%d), omega 10^-%d", f.places, f.places, omega10)
}

// rationalValues is Droop's exact rational arithmetic, shown rounded to
// display places.
type rationalValues struct{ display int }

func (rationalValues) fromInt(n int64) *big.Rat   { return new(big.Rat).SetInt64(n) }
func (rationalValues) add(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }
func (rationalValues) sub(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
func (rationalValues) mulInt(a *big.Rat, n int64) *big.Rat {
	return new(big.Rat).Mul(a, new(big.Rat).SetInt64(n))
}
func (rationalValues) mul(a, b *big.Rat, _ bool) *big.Rat { return new(big.Rat).Mul(a, b) }
func (rationalValues) div(a, b *big.Rat, _ bool) *big.Rat { return new(big.Rat).Quo(a, b) }
func (rationalValues) divInt(a *big.Rat, n int64) *big.Rat {
	return new(big.Rat).Quo(a, new(big.Rat).SetInt64(n))
}
func (rationalValues) cmp(a, b *big.Rat) int   { return a.Cmp(b) }
func (rationalValues) order(a, b *big.Rat) int { return a.Cmp(b) }
func (rationalValues) isZero(a *big.Rat) bool  { return a.Sign() == 0 }

// dec rounds half up to the display places, as Droop shows rationals.
func (r rationalValues) dec(a *big.Rat) Decimal {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(r.display)), nil)
	n := new(big.Int).Mul(a.Num(), scale)
	n.Mul(n, big.NewInt(2))
	n.Add(n, a.Denom())
	d := new(big.Int).Mul(a.Denom(), big.NewInt(2))
	return Decimal{units: n.Div(n, d), places: r.display}
}
func (rationalValues) epsilon() *big.Rat { return new(big.Rat) }
func (rationalValues) exact() bool       { return true }
func (r rationalValues) describe(omega10 int) string {
	return fmt.Sprintf("exact rational, shown to %d places, omega 10^-%d", r.display, omega10)
}

var (
	_ droopArith[*big.Int] = guardedValues{}
	_ droopArith[*big.Int] = fixedValues{}
	_ droopArith[*big.Rat] = rationalValues{}
)
