// Package phone normalises telephone numbers to E.164 ("+447700900123"), the
// form Momentum stores, compares and de-duplicates on. It knows national
// formats for the countries Momentum's movements work in most (the UK by
// default) and accepts any number already written in international form.
// It imports only the standard library.
package phone

import (
	"errors"
	"strings"
)

// ErrInvalid is returned for input that cannot be a phone number.
var ErrInvalid = errors.New("not a phone number")

// countries maps ISO 3166 codes to calling code and national trunk prefix.
var countries = map[string]struct{ code, trunk string }{
	"GB": {"44", "0"}, "IE": {"353", "0"}, "FR": {"33", "0"}, "DE": {"49", "0"},
	"ES": {"34", ""}, "IT": {"39", ""}, "NL": {"31", "0"}, "US": {"1", "1"}, "CA": {"1", "1"},
	"AU": {"61", "0"}, "NZ": {"64", "0"},
}

// Normalize returns raw as E.164. Numbers in national form ("07700 900123")
// are read as numbers of region (an ISO country code, "GB" when empty).
// Spaces, dots, dashes, brackets and a trailing extension are ignored.
func Normalize(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", ErrInvalid
	}
	if i := strings.IndexAny(strings.ToLower(s), "xe#"); i > 0 { // "ext 12", "x12", "#12"
		s = s[:i]
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" .-()/\u00a0", r):
		default:
			return "", ErrInvalid
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+"):
		d = d[1:]
	case strings.HasPrefix(d, "00"):
		d = d[2:]
	default:
		if region == "" {
			region = "GB"
		}
		c, ok := countries[strings.ToUpper(region)]
		if !ok {
			return "", ErrInvalid
		}
		if region == "GB" && strings.HasPrefix(d, "44") && len(d) >= 12 {
			// "44 7700 900123" written without the plus
		} else {
			if c.trunk != "" && strings.HasPrefix(d, c.trunk) {
				d = d[len(c.trunk):]
			}
			d = c.code + d
		}
	}
	// UK numbers written "+44 (0)7700 900123": drop the bracketed trunk zero.
	if strings.HasPrefix(d, "440") {
		d = "44" + d[3:]
	}
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", ErrInvalid
	}
	if strings.HasPrefix(d, "44") && len(d) != 12 && len(d) != 11 {
		return "", ErrInvalid
	}
	return "+" + d, nil
}
