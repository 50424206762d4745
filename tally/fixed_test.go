package tally

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestFixed(t *testing.T) {
	t.Parallel()
	f := func(s string) Fixed {
		t.Helper()
		v, err := ParseFixed(s, 5)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		got  Fixed
		want string
	}{
		{"Parse", f("9452.0000"), "9452.00000"},
		{"ParseTruncates", f("1.999999"), "1.99999"},
		{"ParseNegative", f("-0.5"), "-0.50000"},
		{"Add", f("1.5").Add(f("2.25")), "3.75000"},
		{"Sub", f("1").Sub(f("2.5")), "-1.50000"},
		{"MulTruncates", f("0.33333").Mul(f("0.33333")), "0.11110"},
		{"DivTruncates", f("2").Div(f("3")), "0.66666"},
		// Scottish transfer value: 251 × 1 ÷ 1632, five places, truncated.
		{"MulDivScottish", f("1").MulDiv(f("251"), f("1632")), "0.15379"},
		{"MulInt", f("0.15379").MulInt(1000), "153.79000"},
		{"Rescale", f("3.14159").Rescale(2), "3.14"},
		{"NewFixed", NewFixed(1381, 5), "1381.00000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.String() != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "1.2.3", "abc", "99999999999999999999"} {
		if _, err := ParseFixed(bad, 5); err == nil {
			t.Errorf("ParseFixed(%q) accepted", bad)
		}
	}
}

// TestGuardedMultiply checks the allocation-free 128-bit guarded multiply
// against math/big on random weights and keep factors.
func TestGuardedMultiply(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randGuarded(rng), randGuarded(rng)
		want := gmul(a, b)
		got := gmulTrunc(u128FromBig(a), u128FromBig(b)).big()
		if got.Cmp(want) != 0 {
			t.Fatalf("%s × %s: got %s, want %s", a, b, got, want)
		}
	}
}

// randGuarded returns a random guarded value from 0 to 1 inclusive.
func randGuarded(r *rand.Rand) *big.Int {
	v := new(big.Int).SetUint64(r.Uint64())
	v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(r.Uint64()))
	return v.Mod(v, new(big.Int).Add(bigScale, big.NewInt(1)))
}

// TestFixedNeverWraps checks Add, Sub, MulInt, Mul, Div, MulDiv and
// Rescale against math/big on values near the int64 limits: each returns
// the exact (truncated) result when it fits and panics when it does not,
// never a wrapped value.
func TestFixedNeverWraps(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 63))
	edge := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return math.MaxInt64 - rng.Int64N(1000)
		case 1:
			return math.MinInt64 + rng.Int64N(1000)
		case 2:
			return rng.Int64N(1<<62) * []int64{1, -1}[rng.IntN(2)]
		}
		return rng.Int64N(2_000_001) - 1_000_000
	}
	// try returns op's units, or ok false if it panicked.
	try := func(op func() Fixed) (u int64, ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		return op().Units(), true
	}
	const p = 5
	scale := big.NewInt(pow10[p])
	quo := func(a, b *big.Int) *big.Int { return new(big.Int).Quo(a, b) }
	mul := func(a, b *big.Int) *big.Int { return new(big.Int).Mul(a, b) }
	for range 20000 {
		a, b, c := edge(), edge(), edge()
		f, g, h := FixedUnits(a, p), FixedUnits(b, p), FixedUnits(c, p)
		ba, bb, bc := big.NewInt(a), big.NewInt(b), big.NewInt(c)
		ops := []struct {
			name string
			op   func() Fixed
			want *big.Int // nil: must panic (division by zero)
		}{
			{"Add", func() Fixed { return f.Add(g) }, new(big.Int).Add(ba, bb)},
			{"Sub", func() Fixed { return f.Sub(g) }, new(big.Int).Sub(ba, bb)},
			{"MulInt", func() Fixed { return f.MulInt(b) }, mul(ba, bb)},
			{"Mul", func() Fixed { return f.Mul(g) }, quo(mul(ba, bb), scale)},
			{"Rescale", func() Fixed { return f.Rescale(p + 3) }, mul(ba, big.NewInt(1000))},
		}
		if b != 0 {
			ops = append(ops, struct {
				name string
				op   func() Fixed
				want *big.Int
			}{"Div", func() Fixed { return f.Div(g) }, quo(mul(ba, scale), bb)})
		}
		if c != 0 {
			ops = append(ops, struct {
				name string
				op   func() Fixed
				want *big.Int
			}{"MulDiv", func() Fixed { return f.MulDiv(g, h) }, quo(mul(ba, bb), bc)})
		}
		for _, o := range ops {
			got, ok := try(o.op)
			fits := o.want.IsInt64()
			switch {
			case fits && !ok:
				t.Fatalf("%s(%d, %d, %d) panicked; want %s", o.name, a, b, c, o.want)
			case !fits && ok:
				t.Fatalf("%s(%d, %d, %d) = %d; want a panic (exact %s does not fit)", o.name, a, b, c, got, o.want)
			case fits && got != o.want.Int64():
				t.Fatalf("%s(%d, %d, %d) = %d; want %s", o.name, a, b, c, got, o.want)
			}
		}
	}
}
