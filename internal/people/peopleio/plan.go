package peopleio

import (
	"context"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// plan is what one batch will write.
type plan struct {
	persons          []*person // new and changed, first seen first
	all              []*person // everyone the batch's rows name
	created, updated int
}

// planner resolves a batch's records to people: matching by email, then
// phone, then (for rows with neither) name and postcode; merging rows that
// are the same person; and working out what changes.
type planner struct {
	o      *Options
	now    time.Time
	limit  bool      // an organiser's import: no consent or membership changes to people who existed
	since  time.Time // when the run started: people created since are the run's own
	tagIDs func(names []string) (map[string]string, error)
	// dry-run memory of people "created" by earlier batches: key → id.
	seen map[string]string
}

func (pl *planner) plan(ctx context.Context, q db.Querier, recs []peoplecsv.Record) (*plan, error) {
	var emails, phones, extIDs []string
	var names []nameKeyPair
	for i := range recs {
		r := &recs[i]
		emails = append(emails, r.Emails...)
		phones = append(phones, r.Phones...)
		if len(r.Emails) == 0 && len(r.Phones) == 0 {
			names = append(names, nameKeyPair{r.Postcode, nameKey(r.GivenName, r.FamilyName)})
		}
		if r.Donation != nil && r.Donation.ExternalID != "" {
			extIDs = append(extIDs, r.Donation.ExternalID)
		}
	}
	ex, err := lookup(ctx, q, emails, phones, extIDs)
	if err == nil {
		ex.names, err = lookupNames(ctx, q, names)
	}
	if err != nil {
		return nil, err
	}
	// Pass 1: who is each row?
	var order []*person
	stubs := map[string]*person{}
	existingPerson := func(id string) *person {
		if p := stubs[id]; p != nil {
			return p
		}
		p := &person{id: id, ghost: pl.seen != nil && pl.seen["id:"+id] != ""}
		stubs[id] = p
		order = append(order, p)
		return p
	}
	byEmail, byPhone, byName := map[string]*person{}, map[string]*person{}, map[string]*person{}
	target := make([]*person, len(recs))
	for i := range recs {
		r := &recs[i]
		var p *person
		for _, e := range r.Emails {
			if p = byEmail[e]; p != nil {
				break
			}
			if id := pl.known(ex.emails, "e:", e); id != "" {
				p = existingPerson(id)
				p.hasEmail = true
				break
			}
		}
		for _, ph := range r.Phones {
			if p != nil {
				break
			}
			// A number shared by a household: a row with its own email
			// address is not the person who has another.
			if b := byPhone[ph]; b != nil && !(b.hasEmail && len(r.Emails) > 0) {
				p = b
				break
			}
			for _, o := range ex.phones[ph] {
				if !(o.hasEmail && len(r.Emails) > 0) {
					p = existingPerson(o.personID)
					p.hasEmail = p.hasEmail || o.hasEmail
					break
				}
			}
			if p == nil && pl.seen != nil && len(r.Emails) == 0 {
				if id := pl.seen["p:"+ph]; id != "" {
					p = existingPerson(id)
				}
			}
		}
		nk := r.Postcode + "|" + nameKey(r.GivenName, r.FamilyName)
		if p == nil && len(r.Emails) == 0 && len(r.Phones) == 0 {
			if p = byName[nk]; p == nil {
				if id := pl.known(ex.names, "n:", nk); id != "" {
					p = existingPerson(id)
				}
			}
		}
		if p == nil {
			p = &person{id: db.NewID(), isNew: true, loaded: true, tags: map[string]bool{}}
			order = append(order, p)
		}
		if len(r.Emails) > 0 {
			p.hasEmail = true
		}
		for _, e := range r.Emails {
			if byEmail[e] == nil {
				byEmail[e] = p
			}
		}
		for _, ph := range r.Phones {
			if byPhone[ph] == nil {
				byPhone[ph] = p
			}
		}
		if len(r.Emails) == 0 && len(r.Phones) == 0 && byName[nk] == nil {
			byName[nk] = p
		}
		target[i] = p
	}
	// Pass 2: load the people who exist.
	var ids []string
	for id, p := range stubs {
		if !p.ghost {
			ids = append(ids, id)
		}
	}
	if err := pl.load(ctx, q, stubs, ids, recs); err != nil {
		return nil, err
	}
	// Donations without an id of their own get one derived from the person:
	// look those up too, now that the people are known.
	var derived []string
	for i := range recs {
		if d := recs[i].Donation; d != nil && d.ExternalID == "" && !target[i].isNew && !target[i].ghost {
			derived = append(derived, donationID(target[i].id, d))
		}
	}
	if err := lookupDonations(ctx, q, derived, ex.extIDs); err != nil {
		return nil, err
	}
	// Pass 3: merge each row into its person.
	tagIDs, err := pl.tagIDs(pl.tagNames(recs))
	if err != nil {
		return nil, err
	}
	m := merger{pl: pl, ex: ex, tagIDs: tagIDs, addedEmail: map[string]bool{}, addedPhone: map[string]bool{}, addedExt: map[string]bool{}}
	for i := range recs {
		if p := target[i]; !p.ghost {
			m.merge(p, &recs[i])
		}
	}
	out := &plan{}
	for _, p := range order {
		if !p.ghost {
			out.all = append(out.all, p)
		}
		switch {
		case p.ghost:
		case p.isNew:
			out.created++
			out.persons = append(out.persons, p)
		case p.touched():
			out.persons = append(out.persons, p)
			if p.createdAt.Before(pl.since) { // not someone an earlier batch of this run created
				out.updated++
			}
		}
	}
	if pl.seen != nil {
		pl.remember(out, byEmail, byPhone, byName)
	}
	return out, nil
}

// known returns the id the database (or, in a dry run, an earlier batch)
// holds for a key, or "".
func (pl *planner) known(db map[string]string, prefix, key string) string {
	if id := db[key]; id != "" {
		return id
	}
	if pl.seen != nil {
		return pl.seen[prefix+key]
	}
	return ""
}

// remember keeps, in a dry run, the keys of the people this batch would
// create, so later batches match them as a real run would.
func (pl *planner) remember(out *plan, byEmail, byPhone, byName map[string]*person) {
	for _, p := range out.persons {
		if p.isNew {
			pl.seen["id:"+p.id] = p.id
		}
	}
	for k, p := range byEmail {
		if p.isNew {
			pl.seen["e:"+k] = p.id
		}
	}
	for k, p := range byPhone {
		if p.isNew {
			pl.seen["p:"+k] = p.id
		}
	}
	for k, p := range byName {
		if p.isNew {
			pl.seen["n:"+k] = p.id
		}
	}
}

// load fills the stubs of existing people from the database.
func (pl *planner) load(ctx context.Context, q db.Querier, stubs map[string]*person, ids []string, recs []peoplecsv.Record) error {
	if len(ids) == 0 {
		return nil
	}
	consents := false
	for i := range recs {
		consents = consents || len(recs[i].Consents) > 0
	}
	loaded, err := loadPeople(ctx, q, ids, len(pl.o.Tags) > 0 || len(pl.tagNames(recs)) > 0, consents)
	if err != nil {
		return err
	}
	for id, l := range loaded {
		p := stubs[id]
		hasEmail := p.hasEmail
		*p = *l
		p.loaded, p.hasEmail = true, hasEmail || l.email != ""
	}
	for _, p := range stubs {
		if !p.loaded && !p.ghost { // gone since the lookup: should not happen inside one transaction
			p.ghost = true
		}
	}
	return nil
}

// tagNames are the tags of the options and of every row of the batch.
func (pl *planner) tagNames(recs []peoplecsv.Record) []string {
	names := append([]string(nil), pl.o.Tags...)
	for i := range recs {
		names = append(names, recs[i].Tags...)
	}
	return names
}
