package tally

import (
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
