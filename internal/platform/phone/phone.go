// Package phone normalises telephone numbers to E.164 ("+447700900123"), the
// form Momentum stores, compares and de-duplicates on. It reads numbers of
// every country through github.com/nyaruka/phonenumbers, a maintained port
// of Google's libphonenumber, whose metadata knows each country's lengths,
// trunk prefixes and ranges: two spellings of one number give one string,
// which de-duplication by phone depends on.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is returned (wrapped, with the reason) for input that cannot
// be a phone number; test for it with errors.Is.
var ErrInvalid = errors.New("not a phone number")

// DefaultRegion is the region a number in national form is read in when
// the caller gives none.
const DefaultRegion = "GB"

// Normalize returns raw as E.164. Numbers in national form ("07700 900123")
// are read as numbers of region (an ISO 3166 country code in any case, "GB"
// when empty); numbers in international form ("+33 6 12 34 56 78",
// "0033 6…") are read whatever the region. Spaces, dots, dashes, brackets
// and an extension ("ext 12") are ignored; the extension is dropped, as a
// text message cannot reach it. A number whose length its country's plan
// does not allow is refused with ErrInvalid.
//
// A number is accepted when libphonenumber finds it valid (in a range the
// regulator has handed out) or of a length its country dials in full and
// not starting with the country's trunk prefix: metadata lags new
// allocations, and an import must not lose a real member's new number;
// Ofcom's drama range (07700 900xxx), which the demo and tests use, is of
// the right length but not "valid".
func Normalize(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: it is empty", ErrInvalid)
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = DefaultRegion
	}
	if !phonenumbers.GetSupportedRegions()[region] {
		return "", fmt.Errorf("%w: %q is not a country code such as GB", ErrInvalid, region)
	}
	// "+44 (0)20 …": the bracketed trunk zero is a British habit that the
	// parser would read as part of the number.
	s = strings.Replace(s, "(0)", "", 1)
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrInvalid, reason(err))
	}
	if !plausible(n) {
		switch phonenumbers.IsPossibleNumberWithReason(n) {
		case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
			return "", fmt.Errorf("%w: it is too short for %s", ErrInvalid, regionOf(n, region))
		case phonenumbers.TOO_LONG:
			return "", fmt.Errorf("%w: it is too long for %s", ErrInvalid, regionOf(n, region))
		}
		return "", fmt.Errorf("%w: no such number in %s", ErrInvalid, regionOf(n, region))
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// plausible reports whether n is valid, or of a full length for its
// country and not a national number misread (a trunk "0" kept after the
// country code, as "+44 07700…" would give).
func plausible(n *phonenumbers.PhoneNumber) bool {
	if phonenumbers.IsValidNumber(n) {
		return true
	}
	if phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE {
		return false
	}
	region := phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode()))
	trunk := phonenumbers.GetNddPrefixForRegion(region, true)
	return trunk == "" || !strings.HasPrefix(phonenumbers.GetNationalSignificantNumber(n), trunk)
}

// reason turns the parser's errors into words for a person.
func reason(err error) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return "the country code is unknown"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "it is too short"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "it is too long"
	default:
		return "it is not written as a phone number"
	}
}

// regionOf names the country a number was read as, for error messages.
func regionOf(n *phonenumbers.PhoneNumber, fallback string) string {
	if r := phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode())); r != "" && r != "ZZ" {
		return r
	}
	return fallback
}
