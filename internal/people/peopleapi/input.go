package peopleapi

import (
	"errors"
	"maps"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// PersonInput is an OSDI person as a client sends it. A field left out
// (nil) keeps its stored value on update; an empty array clears it. Of
// several addresses or numbers, the primary one (else the first) is kept:
// Momentum holds one primary email, phone and postal address per person,
// and keeps earlier ones among the person's addresses.
type PersonInput struct {
	GivenName       *string         `json:"given_name"`
	FamilyName      *string         `json:"family_name"`
	EmailAddresses  []EmailAddress  `json:"email_addresses"`
	PhoneNumbers    []PhoneNumber   `json:"phone_numbers"`
	PostalAddresses []PostalAddress `json:"postal_addresses"`
	LanguagesSpoken []string        `json:"languages_spoken"`
	// CustomFields takes strings, numbers and booleans; null or "" removes
	// a field.
	CustomFields map[string]any `json:"custom_fields"`
}

// input turns the request into a people.Input on top of base (the stored
// person for an update, nil to create). prefix names the object in field
// errors ("person." in the signup helper).
func (pi *PersonInput) input(base *people.Person, prefix string) (people.Input, error) {
	var in people.Input
	if base != nil {
		in = people.Input{GivenName: base.GivenName, FamilyName: base.FamilyName, Email: base.Email,
			Phone: base.Phone, Address: base.Address, Location: base.Location, Language: base.Language}
	}
	if pi.GivenName != nil {
		in.GivenName = *pi.GivenName
	}
	if pi.FamilyName != nil {
		in.FamilyName = *pi.FamilyName
	}
	if pi.EmailAddresses != nil {
		in.Email = ""
		if e := primaryEmail(pi.EmailAddresses); e != nil {
			in.Email = e.Address
		}
	}
	if pi.PhoneNumbers != nil {
		in.Phone = ""
		if n := primaryPhone(pi.PhoneNumbers); n != nil {
			in.Phone = n.Number
		}
	}
	if pi.PostalAddresses != nil {
		in.Address, in.Location = people.Address{}, nil
		if a := primaryPostal(pi.PostalAddresses); a != nil {
			in.Address = people.Address{Locality: a.Locality, Region: a.Region, Postcode: a.PostalCode, Country: a.Country}
			if len(a.AddressLines) > 0 {
				in.Address.Line1 = a.AddressLines[0]
				in.Address.Line2 = strings.Join(a.AddressLines[1:], ", ")
			}
			if a.Location != nil {
				in.Location = &geo.Point{Lat: a.Location.Latitude, Lng: a.Location.Longitude}
			}
		}
	}
	if pi.LanguagesSpoken != nil {
		in.Language = ""
		if len(pi.LanguagesSpoken) > 0 {
			in.Language = pi.LanguagesSpoken[0]
		}
	}
	if pi.CustomFields != nil {
		in.CustomFields = map[string]string{}
		if base != nil {
			maps.Copy(in.CustomFields, base.CustomFields)
		}
		bad := map[string]string{}
		for name, v := range pi.CustomFields {
			// Action Network's keys may hold spaces and capitals:
			// "Favourite Colour" is Momentum's favourite_colour.
			k := people.FieldKey(name)
			if k == "" {
				bad[prefix+"custom_fields."+name] = "Name the field with at least one letter or digit."
				continue
			}
			switch v := v.(type) {
			case nil:
				in.CustomFields[k] = ""
			case string:
				in.CustomFields[k] = v
			case float64:
				in.CustomFields[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				in.CustomFields[k] = strconv.FormatBool(v)
			default:
				bad[prefix+"custom_fields."+name] = "Use a string, a number or true/false."
			}
		}
		if err := errs.Fields(bad); err != nil {
			return in, err
		}
	}
	return in, nil
}

func primaryEmail(es []EmailAddress) *EmailAddress {
	for i := range es {
		if es[i].Primary {
			return &es[i]
		}
	}
	if len(es) > 0 {
		return &es[0]
	}
	return nil
}

func primaryPhone(ns []PhoneNumber) *PhoneNumber {
	for i := range ns {
		if ns[i].Primary {
			return &ns[i]
		}
	}
	if len(ns) > 0 {
		return &ns[0]
	}
	return nil
}

func primaryPostal(as []PostalAddress) *PostalAddress {
	for i := range as {
		if as[i].Primary {
			return &as[i]
		}
	}
	if len(as) > 0 {
		return &as[0]
	}
	return nil
}

// osdiFields maps the people service's field names to the OSDI names a
// client sent.
var osdiFields = map[string]string{
	"email":         "email_addresses.address",
	"phone":         "phone_numbers.number",
	"address_line1": "postal_addresses.address_lines",
	"address_line2": "postal_addresses.address_lines",
	"locality":      "postal_addresses.locality",
	"region":        "postal_addresses.region",
	"postcode":      "postal_addresses.postal_code",
	"country":       "postal_addresses.country",
	"location":      "postal_addresses.location",
	"language":      "languages_spoken",
}

// renameFields rewrites the field names of a service error in OSDI's terms,
// under prefix; other errors pass through unchanged.
func renameFields(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Err: e.Err, Fields: map[string]string{}}
	for f, msg := range e.Fields {
		name := f
		if n, ok := osdiFields[f]; ok {
			name = n
		} else if k, ok := strings.CutPrefix(f, "custom."); ok {
			name = "custom_fields." + k
		}
		out.Fields[prefix+name] = msg
	}
	return out
}
