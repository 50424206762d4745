package peopleapi

import (
	"context"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// OSDI's subscription statuses, which Momentum keeps as consent per channel.
const (
	subscribed   = "subscribed"
	unsubscribed = "unsubscribed"
)

// Person is an OSDI person as Momentum writes it. Fields the viewer may not
// see (a group token sees only what the person consented to share) are
// left out; Momentum's own fields carry the momentum: prefix.
type Person struct {
	Identifiers      []string          `json:"identifiers"`
	OriginSystem     string            `json:"origin_system"`
	CreatedDate      string            `json:"created_date,omitempty"`
	ModifiedDate     string            `json:"modified_date,omitempty"`
	GivenName        string            `json:"given_name"`
	FamilyName       string            `json:"family_name"`
	EmailAddresses   []EmailAddress    `json:"email_addresses"`
	PhoneNumbers     []PhoneNumber     `json:"phone_numbers"`
	PostalAddresses  []PostalAddress   `json:"postal_addresses"`
	LanguagesSpoken  []string          `json:"languages_spoken,omitempty"`
	CustomFields     map[string]string `json:"custom_fields"`
	MembershipStatus string            `json:"momentum:membership_status,omitempty"`
	Ladder           string            `json:"momentum:ladder,omitempty"`
	Links            map[string]any    `json:"_links"`
}

// EmailAddress is one of a person's addresses. Status is the person's
// email consent (the same for each address).
type EmailAddress struct {
	Address string `json:"address"`
	Primary bool   `json:"primary"`
	Status  string `json:"status"`
}

// PhoneNumber is one of a person's numbers. Status is their SMS consent.
type PhoneNumber struct {
	Number     string `json:"number"`
	Primary    bool   `json:"primary"`
	NumberType string `json:"number_type"`
	Status     string `json:"status"`
}

// PostalAddress is a person's address.
type PostalAddress struct {
	Primary      bool      `json:"primary"`
	AddressLines []string  `json:"address_lines,omitempty"`
	Locality     string    `json:"locality,omitempty"`
	Region       string    `json:"region,omitempty"`
	PostalCode   string    `json:"postal_code,omitempty"`
	Country      string    `json:"country,omitempty"`
	Location     *Location `json:"location,omitempty"`
}

// Location is a point on the map.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// date writes a time as OSDI does (RFC 3339, UTC), or "" for none.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// status turns a person's consent on a channel into OSDI's status.
func status(p *people.Person, channel string) string {
	if p.HasConsent(channel) {
		return subscribed
	}
	return unsubscribed
}

// personJSON writes p as an OSDI person.
func (h *Handler) personJSON(p *people.Person) Person {
	out := Person{
		Identifiers:  []string{"momentum:" + p.ID},
		OriginSystem: originSystem,
		CreatedDate:  date(p.CreatedAt),
		ModifiedDate: date(p.UpdatedAt),
		GivenName:    p.GivenName, FamilyName: p.FamilyName,
		EmailAddresses: []EmailAddress{}, PhoneNumbers: []PhoneNumber{}, PostalAddresses: []PostalAddress{},
		CustomFields:     map[string]string{},
		MembershipStatus: p.MembershipStatus, Ladder: p.Ladder,
		Links: map[string]any{
			"self":          h.link("/people/" + p.ID),
			"osdi:taggings": h.link("/people/" + p.ID + "/taggings"),
			// The person's actions, as Action Network links them (issue 14).
			"osdi:attendances": h.link("/people/" + p.ID + "/attendances"),
			"osdi:signatures":  h.link("/people/" + p.ID + "/signatures"),
			"osdi:submissions": h.link("/people/" + p.ID + "/submissions"),
			"curies":           h.curies,
		},
	}
	emails := p.Emails
	if len(emails) == 0 && p.Email != "" {
		emails = []string{p.Email}
	}
	for _, e := range emails {
		out.EmailAddresses = append(out.EmailAddresses, EmailAddress{Address: e, Primary: e == p.Email, Status: status(p, people.ChannelEmail)})
	}
	phones := p.Phones
	if len(phones) == 0 && p.Phone != "" {
		phones = []string{p.Phone}
	}
	for _, n := range phones {
		out.PhoneNumbers = append(out.PhoneNumbers, PhoneNumber{Number: n, Primary: n == p.Phone,
			NumberType: numberType(n), Status: status(p, people.ChannelSMS)})
	}
	if a := postal(p); a != nil {
		out.PostalAddresses = append(out.PostalAddresses, *a)
	}
	if p.Language != "" {
		out.LanguagesSpoken = []string{p.Language}
	}
	for k, v := range p.CustomFields {
		out.CustomFields[k] = v
	}
	return out
}

// numberType guesses OSDI's number_type: UK mobiles start +447.
func numberType(n string) string {
	if strings.HasPrefix(n, "+447") {
		return "mobile"
	}
	return "other"
}

// postal is p's address, or nil when nothing of it is known to the viewer.
func postal(p *people.Person) *PostalAddress {
	a := p.Address
	out := &PostalAddress{Primary: true, Locality: a.Locality, Region: a.Region, PostalCode: a.Postcode, Country: a.Country}
	for _, l := range []string{a.Line1, a.Line2} {
		if l != "" {
			out.AddressLines = append(out.AddressLines, l)
		}
	}
	if p.Location != nil {
		out.Location = &Location{Latitude: p.Location.Lat, Longitude: p.Location.Lng}
	}
	if len(out.AddressLines) == 0 && out.Locality == "" && out.Region == "" && out.PostalCode == "" && out.Location == nil {
		return nil
	}
	return out
}

// peopleJSON writes a page of people.
func (h *Handler) peopleJSON(ps []people.Person) []Person {
	out := make([]Person, 0, len(ps))
	for i := range ps {
		out = append(out, h.personJSON(&ps[i]))
	}
	return out
}

// personLink is the link to a person.
func (h *Handler) personLink(id string) hal.Link { return h.link("/people/" + id) }

// PersonResource is the osdi:person the API would answer for id, read as
// the system: what webhook deliveries carry (issue 14). The caller has
// checked that the receiver may be told of the person.
func (h *Handler) PersonResource(ctx context.Context, id string) (any, error) {
	p, err := h.svc.Get(auth.WithSystem(ctx), id)
	if err != nil {
		return nil, err
	}
	return h.personJSON(p), nil
}
