package peoplecsv

import (
	"strings"
	"unicode"
)

// Field is what a column holds: one of the known fields, or "custom:<key>"
// for an admin-defined custom field. The empty Field means "ignore this
// column".
type Field string

// The known fields. Their values are stable: they are stored in import runs
// and used in --map.
const (
	Ignore         Field = ""
	GivenName      Field = "given_name"
	FamilyName     Field = "family_name"
	FullName       Field = "name"
	Email          Field = "email"
	Phone          Field = "phone"
	Address1       Field = "address_line1"
	Address2       Field = "address_line2"
	Locality       Field = "locality"
	Region         Field = "region"
	Postcode       Field = "postcode"
	Country        Field = "country"
	Latitude       Field = "latitude"
	Longitude      Field = "longitude"
	Language       Field = "language"
	Membership     Field = "membership_status"
	MemberSince    Field = "member_since"
	Tags           Field = "tags"
	ConsentEmail   Field = "consent_email"
	ConsentSMS     Field = "consent_sms"
	ConsentPhone   Field = "consent_phone"
	ConsentPost    Field = "consent_post"
	DonationAmount Field = "donation_amount"
	DonationDate   Field = "donation_date"
	DonationID     Field = "donation_id"
	Source         Field = "source"
	customPrefix         = "custom:"
)

// FieldInfo describes a known field for the mapping screen. Label is the
// header an export writes, and one the reader detects.
type FieldInfo struct {
	Field Field
	Label string
	// Aliases are other headers detected as this field (besides Label).
	Aliases []string
}

// known lists the fields in export column order. Aliases are compared as
// header keys (lowercase letters and digits only).
var known = []FieldInfo{
	{GivenName, "First name", []string{"given name", "forename", "forenames", "first"}},
	{FamilyName, "Last name", []string{"surname", "family name", "last"}},
	{FullName, "Name", []string{"full name"}},
	{Email, "Email", []string{"email address", "e-mail", "e-mail address", "emails"}},
	{Phone, "Phone", []string{"mobile", "mobile number", "telephone", "phone number", "tel", "mobile phone", "telephone number"}},
	{Address1, "Address 1", []string{"address line 1", "street", "address", "street address"}},
	{Address2, "Address 2", []string{"address line 2"}},
	{Locality, "Town", []string{"city", "town or city", "town/city"}},
	{Region, "County", []string{"region"}},
	{Postcode, "Postcode", []string{"post code", "zip", "zip code", "postal code"}},
	{Country, "Country", []string{"country code"}},
	{Latitude, "Latitude", []string{"lat"}},
	{Longitude, "Longitude", []string{"lng", "lon", "long"}},
	{Language, "Language", nil},
	{Membership, "Membership status", []string{"member", "membership"}},
	{MemberSince, "Member since", []string{"joined", "join date"}},
	{Tags, "Tags", []string{"tag"}},
	{ConsentEmail, "Email opt-in", []string{"email consent", "can email"}},
	{ConsentSMS, "SMS opt-in", []string{"sms consent", "can sms", "can text", "text opt-in"}},
	{ConsentPhone, "Phone opt-in", []string{"phone consent", "can phone", "can call"}},
	{ConsentPost, "Post opt-in", []string{"post consent", "can post", "can mail"}},
	{DonationAmount, "Donation amount", []string{"amount"}},
	{DonationDate, "Donation date", nil},
	{DonationID, "Donation id", []string{"transaction id", "donation reference"}},
	{Source, "Source", nil},
}

// byKey maps a header key to its field.
var byKey = func() map[string]Field {
	m := map[string]Field{}
	for _, f := range known {
		m[headerKey(f.Label)] = f.Field
		for _, a := range f.Aliases {
			m[headerKey(a)] = f.Field
		}
	}
	return m
}()

// KnownFields lists the fields a column can hold, in export order (custom
// fields aside).
func KnownFields() []FieldInfo { return append([]FieldInfo(nil), known...) }

// CustomField is the field of the custom field key.
func CustomField(key string) Field { return Field(customPrefix + key) }

// CustomKey returns the key of a custom field ("shoe_size" for
// "custom:shoe_size").
func (f Field) CustomKey() (string, bool) {
	k, ok := strings.CutPrefix(string(f), customPrefix)
	return k, ok
}

// Label is the header an export writes for f.
func (f Field) Label() string {
	if k, ok := f.CustomKey(); ok {
		return customPrefix + k
	}
	for _, k := range known {
		if k.Field == f {
			return k.Label
		}
	}
	return string(f)
}

// Valid reports whether f is a known field, a well-formed custom field, or
// Ignore.
func (f Field) Valid() bool {
	if f == Ignore {
		return true
	}
	if k, ok := f.CustomKey(); ok {
		return validCustomKey(k)
	}
	for _, k := range known {
		if k.Field == f {
			return true
		}
	}
	return false
}

// validCustomKey matches custom_field_defs.key: [a-z0-9_]+, at most 64.
func validCustomKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// headerKey folds a header for comparison: letters and digits only,
// lowercased, so "E-mail Address" and "email_address" match.
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range h {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// detectField returns the field a header names, or Ignore.
func detectField(h string) Field {
	t := strings.TrimSpace(h)
	if k, ok := cutPrefixFold(t, customPrefix); ok {
		k = strings.ToLower(strings.TrimSpace(k))
		if validCustomKey(k) {
			return CustomField(k)
		}
		return Ignore
	}
	return byKey[headerKey(t)]
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
