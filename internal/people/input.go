package people

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/phone"
)

// Input is what a form, an import row or the API gives to create or update
// a person. Validate normalises it in place.
type Input struct {
	GivenName, FamilyName string
	Email                 string // lowercased by Validate
	Phone                 string // E.164 after Validate
	Address               Address
	Location              *geo.Point
	Language              string // "en" when empty
	// CustomFields holds values for fields defined with DefineField; an
	// empty value removes the field.
	CustomFields map[string]string
	// Source and SourceDetail are kept from creation: Update ignores them.
	Source, SourceDetail string
	// ShowName, when set, changes whether other members may see the name.
	ShowName *bool
	// GroupID, on Create, adds the new person to this group (through the
	// GroupJoiner app wires), which lets the group's organisers create
	// people. Update ignores it.
	GroupID string
}

// Limits on what people type.
const (
	maxNameLen    = 100
	maxLineLen    = 200
	maxEmailLen   = 254
	maxDetailLen  = 500
	maxCustomLen  = 1000
	maxTagLen     = 100
	maxNoteLen    = 10000
	maxListName   = 200
	defaultRegion = "GB"
)

var languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// Validate trims and normalises the input — email lowercased, phone to
// E.164, UK postcode to "E8 1DY" with its district, country upper case —
// and returns an errs.Fields error naming each field that is wrong
// (given_name, family_name, email, phone, address_line1, address_line2,
// locality, region, postcode, country, location, language, source,
// source_detail). Custom field values are checked by the service against
// their definitions.
func (in *Input) Validate() error {
	bad := map[string]string{}
	in.GivenName = strings.TrimSpace(in.GivenName)
	in.FamilyName = strings.TrimSpace(in.FamilyName)
	for field, v := range map[string]string{"given_name": in.GivenName, "family_name": in.FamilyName} {
		if utf8.RuneCountInString(v) > maxNameLen {
			bad[field] = "Use at most 100 characters."
		}
	}
	in.Email = normalizeEmail(in.Email)
	if in.Email != "" && !validEmail(in.Email) {
		bad["email"] = "Enter an email address like name@example.org"
	}
	a := &in.Address
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	if a.Country == "" {
		a.Country = defaultRegion
	}
	if len(a.Country) != 2 || !isUpperASCII(a.Country) {
		bad["country"] = "Use the two-letter country code, like GB."
	}
	in.Phone = strings.TrimSpace(in.Phone)
	if in.Phone != "" {
		n, err := phone.Normalize(in.Phone, a.Country)
		if err != nil {
			bad["phone"] = "Enter a phone number like 07700 900123 or +44 7700 900123."
		} else {
			in.Phone = n
		}
	}
	for field, v := range map[string]*string{"address_line1": &a.Line1, "address_line2": &a.Line2, "locality": &a.Locality, "region": &a.Region} {
		*v = strings.TrimSpace(*v)
		if utf8.RuneCountInString(*v) > maxLineLen {
			bad[field] = "Use at most 200 characters."
		}
	}
	a.Postcode, a.District = strings.TrimSpace(a.Postcode), ""
	if a.Postcode != "" {
		if a.Country == "GB" {
			pc, district, ok := geo.NormalizePostcode(a.Postcode)
			if !ok {
				bad["postcode"] = "Enter a UK postcode like E8 1DY."
			} else {
				a.Postcode, a.District = pc, district
			}
		} else if utf8.RuneCountInString(a.Postcode) > 20 {
			bad["postcode"] = "Use at most 20 characters."
		}
	}
	if in.Location != nil && !in.Location.Valid() {
		bad["location"] = "Give a latitude between -90 and 90 and a longitude between -180 and 180."
	}
	in.Language = strings.TrimSpace(in.Language)
	if in.Language == "" {
		in.Language = "en"
	}
	if !languageRE.MatchString(in.Language) {
		bad["language"] = "Use a language code like en or cy."
	}
	in.Source = strings.TrimSpace(in.Source)
	if in.Source == "" {
		in.Source = SourceAdmin
	}
	if !slices.Contains([]string{SourceImport, SourceSignup, SourceEvent, SourceAPI, SourceAdmin}, in.Source) {
		bad["source"] = "Choose import, signup, event, api or admin."
	}
	in.SourceDetail = strings.TrimSpace(in.SourceDetail)
	if utf8.RuneCountInString(in.SourceDetail) > maxDetailLen {
		bad["source_detail"] = "Use at most 500 characters."
	}
	if in.GivenName == "" && in.FamilyName == "" && in.Email == "" && in.Phone == "" && bad["email"] == "" && bad["phone"] == "" {
		bad["given_name"] = "Enter a name, an email address or a phone number."
	}
	return errs.Fields(bad)
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validEmail accepts a bare, normalised address whose domain has a dot.
func validEmail(s string) bool {
	if len(s) > maxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// EmailKey is the canonical form of an address used to spot duplicates:
// lowercased, without a "+tag", and for Gmail without dots in the local
// part (Gmail ignores them). It is "" for "".
func EmailKey(email string) string {
	e := normalizeEmail(email)
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		return e
	}
	local, domain := e[:at], e[at+1:]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// NameKey is the form of a name used to spot duplicates: lowercased
// letters and digits, words separated by one space.
func NameKey(given, family string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(given + " " + family) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
			// O'Brien and OBrien, St. John and St John are the same name.
		default:
			space = true
		}
	}
	return b.String()
}

// splitName turns an account's display name into given and family names:
// the last word is the family name.
func splitName(name string) (given, family string) {
	f := strings.Fields(name)
	switch len(f) {
	case 0:
		return "", ""
	case 1:
		return f[0], ""
	}
	return strings.Join(f[:len(f)-1], " "), f[len(f)-1]
}
