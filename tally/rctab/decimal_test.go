package rctab

import "testing"

func mustDec(t *testing.T, s string) Decimal {
	t.Helper()
	d, err := ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDecimalString checks Java BigDecimal.toString formatting, which
// RCTab's reports print verbatim.
func TestDecimalString(t *testing.T) {
	tests := []struct {
		name string
		d    Decimal
		want string
	}{
		{"Integer", Int(9452), "9452"},
		{"ScaledWhole", Decimal{unscaled: 80000, scale: 4}, "8.0000"},
		{"Fraction", Decimal{unscaled: 4808, scale: 4}, "0.4808"},
		{"ZeroScaled", Decimal{scale: 4}, "0.0000"},
		{"Negative", Decimal{unscaled: -20000, scale: 4}, "-2.0000"},
		{"TinyIsScientific", Decimal{scale: 8}, "0E-8"},
		{"SmallPlain", Decimal{unscaled: 5, scale: 6}, "0.000005"},
		{"SmallScientific", Decimal{unscaled: 5, scale: 7}, "5E-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDecimalArithmetic checks RCTab's rounding: divide and multiply
// truncate to the configured places, Hare quota rounds up, scales add.
func TestDecimalArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  func() Decimal
		want string
	}{
		{"AddKeepsLargerScale", func() Decimal { return Int(6).Add(Decimal{scale: 4}) }, "6.0000"},
		{"DivDownTruncates", func() Decimal { return Int(178).DivDown(Int(15044), 4) }, "0.0118"},
		{"DivDownThreshold", func() Decimal { return Int(79312).DivDown(Int(2), 0).Add(Int(1)) }, "39657"},
		{"DivUpHare", func() Decimal { return Int(10).DivUp(Int(3), 0) }, "4"},
		{"DivUpExact", func() Decimal { return Int(9).DivUp(Int(3), 0) }, "3"},
		{"MulDownTruncates", func() Decimal { return mustDec(t, "0.9999").MulDown(mustDec(t, "0.0118"), 4) }, "0.0117"},
		{"MulSumsScales", func() Decimal { return Int(27).Mul(mustDec(t, "0.15")) }, "4.05"},
		{"SetScaleDown", func() Decimal { return mustDec(t, "1.23456").SetScaleDown(2) }, "1.23"},
		{"MulInt", func() Decimal { return mustDec(t, "0.4808").MulInt(13) }, "6.2504"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got().String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDecimalCmpIgnoresScale(t *testing.T) {
	if Int(8).Cmp(Decimal{unscaled: 80000, scale: 4}) != 0 {
		t.Error("8 and 8.0000 should compare equal")
	}
	if mustDec(t, "4.05").Cmp(Int(4)) <= 0 {
		t.Error("4.05 should be greater than 4")
	}
}

func TestParseDecimalRejects(t *testing.T) {
	for _, s := range []string{"", "abc", "1.2.3", "--1", "1e5"} {
		t.Run(s, func(t *testing.T) {
			if _, err := ParseDecimal(s); err == nil {
				t.Errorf("ParseDecimal(%q) succeeded", s)
			}
		})
	}
}

// TestPercent checks the CSV percentages against values from RCTab's
// expected reports.
func TestPercent(t *testing.T) {
	tests := []struct {
		votes, base int64
		want        string
	}{
		{28951, 79312, "36.5%"},
		{10, 18, "55.55%"},
		{0, 18, "0.0%"},
		{14866, 59463, "25.0%"},
		{7, 29, "24.13%"},
	}
	for _, tt := range tests {
		if got := percent(Int(tt.votes), Int(tt.base)); got != tt.want {
			t.Errorf("percent(%d, %d) = %s, want %s", tt.votes, tt.base, got, tt.want)
		}
	}
}
