package people

import (
	"maps"
	"slices"
)

// Access is how much of a person's record a viewer may see.
type Access int

// The levels of access, from none to all.
const (
	// AccessNone: the viewer may not know the person exists.
	AccessNone Access = iota
	// AccessName: another member, and the person chose to show their name.
	AccessName
	// AccessGroup: an organiser of a group the person belongs to: names,
	// postcode district, ladder, tags, membership status, consents, and
	// contact details only on channels with consent granted (email with
	// email consent; phone with phone or SMS consent; the postal address
	// with post consent). Never donations, custom fields or exact location.
	AccessGroup
	// AccessFull: an admin, or the person themself.
	AccessFull
)

// String names the level for logs and tests.
func (a Access) String() string {
	return [...]string{"none", "name", "group", "full"}[a]
}

// AccessFacts are what the service found out about a viewer and a person;
// AccessFor turns them into a level.
type AccessFacts struct {
	Admin bool // admin, system, or a network-wide API token
	Self  bool // the person's own account
	// Organiser: the viewer organises a group the person belongs to.
	Organiser bool
	// Member: a signed-in member of the network (names of people who show them).
	Member bool
}

// AccessFor decides the level of access from the facts and the person's own
// choice to show their name.
func AccessFor(f AccessFacts, p *Person) Access {
	switch {
	case f.Admin || f.Self:
		return AccessFull
	case f.Organiser:
		return AccessGroup
	case f.Member && p.ShowName && !p.Erased():
		return AccessName
	}
	return AccessNone
}

// Project returns the part of p that a viewer with access a may see; ok is
// false for AccessNone. It never changes p: slices and maps are copied.
func Project(p *Person, a Access) (out *Person, ok bool) {
	switch a {
	case AccessFull:
		c := *p
		c.Emails, c.Phones, c.Tags = slices.Clone(p.Emails), slices.Clone(p.Phones), slices.Clone(p.Tags)
		c.CustomFields, c.Consents = maps.Clone(p.CustomFields), maps.Clone(p.Consents)
		if p.Location != nil {
			loc := *p.Location
			c.Location = &loc
		}
		return &c, true
	case AccessGroup:
		c := &Person{
			ID: p.ID, GivenName: p.GivenName, FamilyName: p.FamilyName,
			Address:          Address{District: p.Address.District},
			MembershipStatus: p.MembershipStatus, Ladder: p.Ladder,
			ShowName: p.ShowName, Tags: slices.Clone(p.Tags), ErasedAt: p.ErasedAt,
			Consents: map[string]Consent{},
		}
		for ch, con := range p.Consents {
			// Which channels are open, but not the wording or source.
			c.Consents[ch] = Consent{Channel: con.Channel, Status: con.Status, ChangedAt: con.ChangedAt}
		}
		if p.HasConsent(ChannelEmail) {
			c.Email, c.Emails = p.Email, slices.Clone(p.Emails)
		}
		if p.HasConsent(ChannelPhone) || p.HasConsent(ChannelSMS) {
			c.Phone, c.Phones = p.Phone, slices.Clone(p.Phones)
		}
		if p.HasConsent(ChannelPost) {
			c.Address = p.Address
		}
		return c, true
	case AccessName:
		return &Person{ID: p.ID, GivenName: p.GivenName, FamilyName: p.FamilyName, ShowName: true}, true
	}
	return nil, false
}
