package eventsapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// SignupPerson is an Action Network person as its signup helpers take it
// (POST /events/{id}/attendances, the "person" object): issue 14.
type SignupPerson struct {
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	EmailAddresses []struct {
		Address string `json:"address"`
		Primary bool   `json:"primary"`
		Status  string `json:"status"`
	} `json:"email_addresses"`
	PhoneNumbers []struct {
		Number  string `json:"number"`
		Primary bool   `json:"primary"`
		Status  string `json:"status"`
	} `json:"phone_numbers"`
	PostalAddresses []struct {
		Primary      bool     `json:"primary"`
		AddressLines []string `json:"address_lines"`
		Locality     string   `json:"locality"`
		Region       string   `json:"region"`
		PostalCode   string   `json:"postal_code"`
		Country      string   `json:"country"`
		Location     *Point   `json:"location"`
	} `json:"postal_addresses"`
	Languages    []string       `json:"languages_spoken"`
	CustomFields map[string]any `json:"custom_fields"`
}

// AN's subscription statuses of an email address or phone number.
const (
	subscribed   = "subscribed"
	unsubscribed = "unsubscribed"
)

// signup turns the helper's person into people.Signup. An email address
// (phone number) sent with status "subscribed" grants email (sms) consent
// with wording, word for word, and source; "unsubscribed" withdraws it;
// no status leaves consent as it is. Granting without wording is refused,
// naming the field.
func (sp *SignupPerson) signup(ctx context.Context, addTags []string, wording, source string) (people.Signup, error) {
	// Custom field keys not yet defined are defined, as Action Network
	// accepts any key, for those who may define fields (network tokens and
	// admins); a group token uses the defined ones (as POST /people).
	p := auth.PrincipalFrom(ctx)
	su := people.Signup{AddTags: addTags, DefineFields: p != nil && (p.Token || p.System || p.Role == auth.RoleAdmin), Overwrite: true}
	in := &su.Person
	in.GivenName, in.FamilyName = strings.TrimSpace(sp.GivenName), strings.TrimSpace(sp.FamilyName)
	bad := map[string]string{}
	consent := func(channel, status, field string) {
		switch strings.ToLower(strings.TrimSpace(status)) {
		case "":
		case subscribed:
			if wording == "" {
				bad["consent.wording"] = `"subscribed" needs the words the person agreed to: send them in consent.wording.`
				return
			}
			su.Consents = append(su.Consents, people.Consent{Channel: channel, Status: people.ConsentGranted, Source: source, Wording: wording})
		case unsubscribed, "bouncing", "spam reports":
			su.Consents = append(su.Consents, people.Consent{Channel: channel, Status: people.ConsentWithdrawn, Source: source})
		default:
			bad[field] = "Say subscribed or unsubscribed."
		}
	}
	for i, e := range sp.EmailAddresses {
		if e.Primary || i == 0 {
			in.Email = e.Address
			su.Consents = slicesDeleteChannel(su.Consents, people.ChannelEmail)
			delete(bad, "person.email_addresses.status")
			consent(people.ChannelEmail, e.Status, "person.email_addresses.status")
		}
		if e.Primary {
			break
		}
	}
	for i, n := range sp.PhoneNumbers {
		if n.Primary || i == 0 {
			in.Phone = n.Number
			if n.Status != "" {
				su.Consents = slicesDeleteChannel(su.Consents, people.ChannelSMS)
				delete(bad, "person.phone_numbers.status")
				consent(people.ChannelSMS, n.Status, "person.phone_numbers.status")
			}
		}
		if n.Primary {
			break
		}
	}
	for i, a := range sp.PostalAddresses {
		if a.Primary || i == 0 {
			lines := nonEmpty(a.AddressLines)
			if len(lines) > 0 {
				in.Address.Line1 = lines[0]
			}
			if len(lines) > 1 {
				in.Address.Line2 = strings.Join(lines[1:], ", ")
			}
			in.Address.Locality, in.Address.Region = a.Locality, a.Region
			in.Address.Postcode, in.Address.Country = a.PostalCode, a.Country
			if a.Location != nil {
				in.Location = &geo.Point{Lat: a.Location.Latitude, Lng: a.Location.Longitude}
			}
		}
		if a.Primary {
			break
		}
	}
	if len(sp.Languages) > 0 {
		in.Language = sp.Languages[0]
	}
	if len(sp.CustomFields) > 0 {
		in.CustomFields = map[string]string{}
		for k, v := range sp.CustomFields {
			switch v := v.(type) {
			case string:
				in.CustomFields[k] = v
			case nil:
				in.CustomFields[k] = ""
			case float64, bool:
				in.CustomFields[k] = fmt.Sprint(v)
			default:
				bad["person.custom_fields."+k] = "Give a string, a number or true/false."
			}
		}
	}
	return su, errs.Fields(bad)
}

// slicesDeleteChannel drops the consents on channel (a later phone number
// replaces an earlier one's).
func slicesDeleteChannel(cs []people.Consent, channel string) []people.Consent {
	out := cs[:0]
	for _, c := range cs {
		if c.Channel != channel {
			out = append(out, c)
		}
	}
	return out
}

// signupFields maps people.SignupTx's field names to the helper's.
var signupFields = map[string]string{
	"given_name":               "person.given_name",
	"family_name":              "person.family_name",
	"email":                    "person.email_addresses.address",
	"phone":                    "person.phone_numbers.number",
	"postcode":                 "person.postal_addresses.postal_code",
	"country":                  "person.postal_addresses.country",
	"location":                 "person.postal_addresses.location",
	"language":                 "person.languages_spoken",
	"consent.email.wording":    "consent.wording",
	"consent.sms.wording":      "consent.wording",
	"consent.email.source":     "person.email_addresses.status",
	"consent.sms.source":       "person.phone_numbers.status",
	"consent.email.status":     "person.email_addresses.status",
	"consent.sms.status":       "person.phone_numbers.status",
	"consent.email.channel":    "person.email_addresses.status",
	"consent.sms.channel":      "person.phone_numbers.status",
	"consent.email.changed_at": "person.email_addresses.status",
}

// renameSignupFields names a signup error's fields as the client sent
// them: custom.<key> becomes person.custom_fields.<key>.
func renameSignupFields(err error) error {
	m := map[string]string{}
	for k := range errs.FieldsOf(err) {
		if key, ok := strings.CutPrefix(k, "custom."); ok {
			m[k] = "person.custom_fields." + key
		}
	}
	for k, v := range signupFields {
		m[k] = v
	}
	return renameFields(err, m)
}
