package phone

import "testing"

func TestNormalize(t *testing.T) {
	cases := []struct{ in, region, want string }{
		{"07700 900123", "", "+447700900123"},
		{"07700-900-123", "GB", "+447700900123"},
		{"+44 7700 900123", "", "+447700900123"},
		{"+44 (0)7700 900123", "", "+447700900123"},
		{"0044 7700 900123", "", "+447700900123"},
		{"447700900123", "", "+447700900123"},
		{"020 7946 0018", "", "+442079460018"},
		{"(020) 7946 0018 ext 12", "", "+442079460018"},
		{"+1 (415) 555-0100", "", "+14155550100"},
		{"087 123 4567", "IE", "+353871234567"},
	}
	for _, c := range cases {
		got, err := Normalize(c.in, c.region)
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %q", c.in, c.region, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "n/a", "12345", "07700 9001234567", "call me", "+44 770"} {
		if got, err := Normalize(bad, "GB"); err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 (0)20 7946 0018", "0044", "x", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s, "GB")
		if err != nil {
			return
		}
		again, err := Normalize(got, "GB")
		if err != nil || again != got {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q (%v)", s, got, again, err)
		}
	})
}
