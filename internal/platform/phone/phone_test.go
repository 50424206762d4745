package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ name, in, region, want string }{
		{"GBMobileNational", "07700 900123", "", "+447700900123"},
		{"GBMobileDashes", "07700-900-123", "GB", "+447700900123"},
		{"GBMobileInternational", "+44 7700 900123", "", "+447700900123"},
		{"GBBracketedTrunkZero", "+44 (0)7700 900123", "", "+447700900123"},
		{"GBDoubleZero", "0044 7700 900123", "", "+447700900123"},
		{"GBWithoutPlus", "447700900123", "", "+447700900123"},
		{"GBLandlineLondon", "020 7946 0018", "", "+442079460018"},
		{"GBLandlineExtension", "(020) 7946 0018 ext 12", "", "+442079460018"},
		{"GBLandlineManchester", "0161 496 0000", "gb", "+441614960000"},
		{"RegionLowerCase", "06 12 34 56 78", "fr", "+33612345678"},
		{"US", "+1 (201) 555-0123", "", "+12015550123"},
		{"USNational", "(201) 555-0123", "US", "+12015550123"},
		{"FRMobile", "06 12 34 56 78", "FR", "+33612345678"},
		{"FRInternationalFromGB", "+33 1 23 45 67 89", "GB", "+33123456789"},
		{"DELandline", "030 123456", "DE", "+4930123456"},
		{"DEMobile", "+49 1512 3456789", "", "+4915123456789"},
		{"IEMobile", "087 123 4567", "IE", "+353871234567"},
		{"INMobile", "98765 43210", "IN", "+919876543210"},
		{"AUMobile", "0412 345 678", "AU", "+61412345678"},
		{"AUInternational", "+61 412 345 678", "IE", "+61412345678"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Normalize(c.in, c.region)
			if err != nil || got != c.want {
				t.Errorf("Normalize(%q, %q) = %q, %v; want %q", c.in, c.region, got, err, c.want)
			}
		})
	}
}

func TestNormalizeRefuses(t *testing.T) {
	cases := []struct{ name, in, region, why string }{
		{"Empty", "", "GB", "empty"},
		{"Words", "call me", "GB", "not written as a phone number"},
		{"NotApplicable", "n/a", "GB", "not written as a phone number"},
		{"TooShort", "12345", "GB", "too short for GB"},
		{"GBTooLong", "07700 9001234567", "GB", "too long for GB"},
		{"GBCutShort", "+44 770", "GB", "too short for GB"},
		{"GBTrunkZeroKept", "+44 07700 9001", "GB", "no such number in GB"},
		{"FRWrongLength", "06 12 34 56", "FR", "too short for FR"},
		{"UnknownCallingCode", "+999 1234 5678", "GB", "country code"},
		{"UnknownRegion", "07700 900123", "XX", `"XX" is not a country code`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Normalize(c.in, c.region)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Normalize(%q, %q) = %q, %v; want ErrInvalid", c.in, c.region, got, err)
			}
			if !strings.Contains(err.Error(), c.why) {
				t.Errorf("error %q does not say %q", err, c.why)
			}
		})
	}
}

// TestSpellingsAgree: every way people write one number gives one string,
// which is what de-duplication by phone compares.
func TestSpellingsAgree(t *testing.T) {
	for _, spellings := range [][]string{
		{"07700 900123", "+44 7700 900123", "+44 (0)7700 900123", "0044 7700 900123", "447700900123", "07700.900.123"},
		{"+353 87 123 4567", "00353871234567", "(087) 123-4567"},
	} {
		region := "GB"
		if strings.Contains(spellings[0], "353") {
			region = "IE"
		}
		first, err := Normalize(spellings[0], region)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range spellings[1:] {
			if got, err := Normalize(s, region); err != nil || got != first {
				t.Errorf("Normalize(%q, %s) = %q, %v; want %q as %q gives", s, region, got, err, first, spellings[0])
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 (0)20 7946 0018", "0044", "x", "+", "+33 6 12 34 56 78"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s, "GB")
		if err != nil {
			return
		}
		again, err := Normalize(got, "FR")
		if err != nil || again != got {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q (%v)", s, got, again, err)
		}
	})
}
