package peopleio

import (
	"encoding/json"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// merger applies rows to people. The rules:
//   - A new person takes everything the row gives.
//   - A person who exists keeps what they have: the row fills blank fields
//     only (an address line, a postcode, a position, a name), adds email
//     addresses no one else has and numbers they lack, adds tags, and
//     records donations not yet recorded.
//   - Consent per channel is set to what the row says when it differs, with
//     a history entry (source "import: <file>"). A blank cell changes nothing.
//   - Membership moves to member or lapsed when the row says so; a row never
//     demotes anyone to supporter (a list of supporters says nothing about
//     who is a member).
//   - A group's import (Options.GroupID, an organiser's) changes neither
//     consent nor membership of people who already existed: only a
//     network-wide import does. An organiser may add people and details,
//     but not speak for people outside their group.
type merger struct {
	pl         *planner
	ex         *existing
	tagIDs     map[string]string // tag name key → id
	addedEmail map[string]bool
	addedPhone map[string]bool // number + "|" + person id
	addedExt   map[string]bool
}

func (m *merger) merge(p *person, r *peoplecsv.Record) {
	o := m.pl.o
	if p.isNew && p.ladder == "" {
		p.given, p.family = r.GivenName, r.FamilyName
		p.addr1, p.addr2, p.locality, p.region = r.Address1, r.Address2, r.Locality, r.Region
		p.postcode, p.district = r.Postcode, r.District
		p.country, p.language = r.Country, r.Language
		if p.country == "" {
			p.country = "GB"
		}
		if p.language == "" {
			p.language = "en"
		}
		p.lat, p.lng = r.Latitude, r.Longitude
		p.membership, p.ladder = people.StatusSupporter, people.LadderSupporter
		p.sourceDetail = firstNonEmpty(r.Source, o.Source, o.FileName)
		p.custom = map[string]string{}
	}
	fill := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst, p.changed = v, true
		}
	}
	fill(&p.given, r.GivenName)
	fill(&p.family, r.FamilyName)
	fill(&p.addr1, r.Address1)
	fill(&p.addr2, r.Address2)
	fill(&p.locality, r.Locality)
	fill(&p.region, r.Region)
	if p.postcode == "" && r.Postcode != "" {
		p.postcode, p.district, p.changed = r.Postcode, r.District, true
	}
	if p.lat == nil && r.Latitude != nil {
		p.lat, p.lng, p.changed = r.Latitude, r.Longitude, true
	}
	if p.language == "en" && r.Language != "" && r.Language != "en" && !p.isNew {
		p.language, p.changed = r.Language, true // "en" is the default, so as good as blank
	}
	m.contacts(p, r)
	m.custom(p, r)
	m.tags(p, r)
	existed := !p.isNew
	if !(existed && m.pl.limit) {
		m.membership(p, r)
		m.consents(p, r)
	}
	if d := r.Donation; d != nil {
		id := donationID(p.id, d)
		if !m.ex.extIDs[id] && !m.addedExt[id] {
			m.addedExt[id] = true
			at := m.pl.now
			if d.Date != nil {
				at = *d.Date
			}
			p.donations = append(p.donations, donation{id: db.NewID(), extID: id, currency: d.Currency, pence: d.AmountPence, at: at})
			p.ladderDirty = true
		}
	}
}

// contacts adds the row's addresses (those no one holds) and numbers, and
// fills the primary ones when blank.
func (m *merger) contacts(p *person, r *peoplecsv.Record) {
	for _, e := range r.Emails {
		owner := m.ex.emails[e]
		if owner == "" && !m.addedEmail[e] {
			m.addedEmail[e] = true
			p.newEmails = append(p.newEmails, e)
			owner = p.id
		}
		if owner == p.id && p.email == "" {
			p.email, p.changed = e, true
		}
	}
	for _, n := range r.Phones {
		held := false
		for _, o := range m.ex.phones[n] {
			held = held || o.personID == p.id
		}
		if !held && !m.addedPhone[n+"|"+p.id] {
			m.addedPhone[n+"|"+p.id] = true
			p.newPhones = append(p.newPhones, n)
		}
		if p.phone == "" {
			p.phone, p.changed = n, true
		}
	}
}

func (m *merger) custom(p *person, r *peoplecsv.Record) {
	if len(r.Custom) == 0 {
		return
	}
	if p.custom == nil {
		p.custom = map[string]string{}
		_ = json.Unmarshal([]byte(p.customJSON), &p.custom)
	}
	for k, v := range r.Custom {
		if p.custom[k] == "" {
			p.custom[k], p.changed = v, true
		}
	}
}

func (m *merger) tags(p *person, r *peoplecsv.Record) {
	add := func(name string) {
		id := m.tagIDs[tagKey(name)]
		if id != "" && !p.tags[id] {
			p.tags[id] = true
			p.newTags = append(p.newTags, id)
		}
	}
	for _, t := range m.pl.o.Tags {
		add(t)
	}
	for _, t := range r.Tags {
		add(t)
	}
}

func (m *merger) membership(p *person, r *peoplecsv.Record) {
	switch r.Membership {
	case people.StatusMember:
		if p.membership != people.StatusMember {
			p.membership, p.changed, p.ladderDirty = people.StatusMember, true, true
		}
		if p.memberSince == nil {
			since := m.pl.now
			if r.MemberSince != nil {
				since = *r.MemberSince
			}
			p.memberSince, p.changed = &since, true
		}
	case people.StatusLapsed:
		if p.membership != people.StatusLapsed {
			now := m.pl.now
			p.membership, p.lapsedAt, p.changed, p.ladderDirty = people.StatusLapsed, &now, true, true
		}
	}
	if r.MemberSince != nil && p.memberSince == nil {
		p.memberSince, p.changed = r.MemberSince, true
	}
}

func (m *merger) consents(p *person, r *peoplecsv.Record) {
	for _, ch := range people.Channels {
		st, ok := r.Consents[ch]
		if !ok || p.consents[ch] == st {
			continue
		}
		if p.consents == nil {
			p.consents = map[string]string{}
		}
		if !containsStr(p.newConsents, ch) {
			p.newConsents = append(p.newConsents, ch)
		}
		p.consents[ch] = st
	}
}

// tagKey is how tags compare: case-insensitively (tags.name_key).
func tagKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
