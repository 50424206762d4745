package smsweb

import (
	"context"

	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// PeopleConsents adapts people.Service to sms.PhoneConsents: the inbox
// finds people by number and changes their 'sms' consent through
// SetConsentTx, so the change is in consent history, on the timeline and
// in the audit log like any other.
type PeopleConsents struct{ People *people.Service }

var _ sms.PhoneConsents = PeopleConsents{}

// PersonIDsByPhone is people.Service.PersonIDsByPhone.
func (p PeopleConsents) PersonIDsByPhone(ctx context.Context, tx *db.Tx, e164 string) ([]string, error) {
	return p.People.PersonIDsByPhone(ctx, tx, e164)
}

// SetSMSConsent records the 'sms' consent as granted or withdrawn.
func (p PeopleConsents) SetSMSConsent(ctx context.Context, tx *db.Tx, personID string, granted bool, source, wording string) error {
	status := people.ConsentWithdrawn
	if granted {
		status = people.ConsentGranted
	}
	return p.People.SetConsentTx(ctx, tx, personID, people.Consent{Channel: "sms", Status: status,
		Source: source, Wording: wording})
}
