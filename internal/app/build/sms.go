package build

import (
	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/messaging/sms/smsweb"
)

// buildSMS makes the SMS provider from the configuration (Disabled when
// MOMENTUM_SMS_* are not set, so that no service holds a nil provider),
// the sender broadcasts go through at MOMENTUM_SMS_RATE, and the inbox the
// inbound webhook hands replies to.
func (s *Services) buildSMS(o Options) (err error) {
	c := o.Config
	s.SMS = sms.New(sms.Config{ProviderURL: c.SMSProviderURL, AccountSID: c.SMSAccountSID,
		AuthToken: c.SMSAuthToken, From: c.SMSFrom})
	s.SMSSender = sms.NewSender(s.SMS, c.SMSRate, sms.DefaultWorkers)
	s.SMSInbox, err = sms.NewInbox(sms.InboxDeps{DB: s.DB, People: smsweb.PeopleConsents{People: s.People},
		SiteName: c.SiteName, Log: s.Log, Now: o.Now})
	return err
}
