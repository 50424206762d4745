package peopleio

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
)

// person is someone a batch touches: new, or as the database holds them,
// plus what the batch adds.
type person struct {
	id        string
	isNew     bool
	createdAt time.Time
	// ghost: created by an earlier batch of a dry run, so not in the
	// database; rows merging into it count as nothing.
	ghost    bool
	loaded   bool
	hasEmail bool

	given, family, email, phone                                 string
	addr1, addr2, locality, region, postcode, district, country string
	lat, lng                                                    *float64
	language, membership, ladder, sourceDetail                  string
	memberSince, lapsedAt                                       *time.Time
	customJSON                                                  string
	custom                                                      map[string]string
	tags                                                        map[string]bool // tag ids held
	consents                                                    map[string]string

	// What the batch writes.
	changed, ladderDirty bool // existing: the people row, the rung
	newEmails, newPhones []string
	newTags              []string
	newConsents          []string // channels whose status changed (value in consents)
	donations            []donation
}

type donation struct {
	id, extID, currency string
	pence               int64
	at                  time.Time
}

// touched reports whether an existing person gets any change.
func (p *person) touched() bool {
	return p.changed || len(p.newEmails)+len(p.newPhones)+len(p.newTags)+len(p.newConsents)+len(p.donations) > 0
}

// donationID is the external id of a donation: the row's, or one derived
// from the person, amount and date, so that importing a file without
// donation ids twice records each donation once.
func donationID(personID string, d *peoplecsv.Donation) string {
	if d.ExternalID != "" {
		return d.ExternalID
	}
	date := ""
	if d.Date != nil {
		date = d.Date.Format(time.DateOnly)
	}
	h := sha256.Sum256([]byte(personID + "|" + strconv.FormatInt(d.AmountPence, 10) + "|" + d.Currency + "|" + date))
	return "import:" + hex.EncodeToString(h[:12])
}

func nameKey(given, family string) string { return people.NameKey(given, family) }

func emailKey(email string) string {
	if email == "" {
		return ""
	}
	return people.EmailKey(email)
}

func customJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}
