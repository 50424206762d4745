package peopleio

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// write stores a batch's plan in tx: new people and everything attached to
// them table by table through the bulk path, then the changes to people who
// existed.
func (im *Importer) write(ctx context.Context, tx *db.Tx, o *Options, run *Run, pl *plan, now time.Time) error {
	bulks := map[*table]*bulk{}
	add := func(t *table, vals ...any) error {
		b := bulks[t]
		if b == nil {
			b = newBulk(tx, t)
			bulks[t] = b
		}
		return b.add(vals...)
	}
	// Tables in an order the foreign keys allow.
	order := []*table{peopleTable, emailsTable, phonesTable, tagsTable, consentsTable, historyTable, donationsTable, actionsTable}
	source := "import: " + o.FileName
	actor := reqctx.ActorFrom(ctx).Label
	groupID := o.GroupID
	var ladders []string
	err := func() error {
		for _, p := range pl.persons {
			if p.isNew {
				if err := add(peopleTable, p.id, p.given, p.family, p.email, p.phone, emailKey(p.email), nameKey(p.given, p.family),
					p.addr1, p.addr2, p.locality, p.region, p.postcode, p.district, p.country,
					p.lat, p.lng, p.language, p.membership, p.memberSince, p.lapsedAt, newLadder(p),
					people.SourceImport, p.sourceDetail, customJSON(p.custom), now, now); err != nil {
					return err
				}
			}
			for _, e := range p.newEmails {
				if err := add(emailsTable, e, p.id, now); err != nil {
					return err
				}
			}
			for _, n := range p.newPhones {
				if err := add(phonesTable, n, p.id, now); err != nil {
					return err
				}
			}
			for _, t := range p.newTags {
				if err := add(tagsTable, t, p.id, now); err != nil {
					return err
				}
			}
			for _, ch := range p.newConsents {
				st := p.consents[ch]
				if err := add(consentsTable, p.id, ch, st, now, source, o.ConsentWording); err != nil {
					return err
				}
				if err := add(historyTable, db.NewID(), p.id, ch, st, now, source, o.ConsentWording, actor); err != nil {
					return err
				}
			}
			for _, d := range p.donations {
				if err := add(donationsTable, d.id, p.id, d.pence, d.currency, d.at, source, d.extID, now); err != nil {
					return err
				}
				if err := add(actionsTable, db.NewID(), p.id, d.at, "donation", formatAmount(d.pence, d.currency),
					"donation", d.id, "", false); err != nil {
					return err
				}
			}
			if !p.isNew && p.ladderDirty {
				ladders = append(ladders, p.id)
			}
		}
		return nil
	}()
	if err != nil {
		return err
	}
	for _, t := range order { // in an order the foreign keys allow
		if b := bulks[t]; b != nil {
			if err := b.flush(ctx); err != nil {
				return err
			}
		}
	}
	for _, p := range pl.persons {
		if !p.isNew && p.changed {
			if p.custom != nil {
				p.customJSON = customJSON(p.custom)
			}
			if err := updatePerson(ctx, tx, p, now); err != nil {
				return err
			}
		}
	}
	if err := refreshLadders(ctx, tx, ladders, now); err != nil {
		return err
	}
	if groupID != "" {
		for _, p := range pl.all {
			if err := im.groups.AddMember(ctx, tx, groupID, p.id); err != nil {
				return fmt.Errorf("add %s to group: %w", p.id, err)
			}
		}
	}
	return nil
}

// newLadder is the rung of a new person: what an import can tell (a new
// person has no activity and organises no group yet).
func newLadder(p *person) string {
	switch {
	case p.membership == people.StatusMember:
		return people.LadderMember
	case len(p.donations) > 0:
		return people.LadderDonor
	}
	return people.LadderSupporter
}

// formatAmount is how a donation shows on the timeline: "£12.50".
func formatAmount(pence int64, currency string) string {
	sym := map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}[currency]
	if sym == "" {
		sym = currency + " "
	}
	return sym + strconv.FormatInt(pence/100, 10) + "." + strconv.FormatInt(pence%100+100, 10)[1:]
}
