package decisions

import (
	"context"
	"embed"
	"errors"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// The mail the decisions capability sends, one text/template file per mail
// (mail/*.tmpl: a Subject line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", web.FormatFuncs(nil)) // issue 16: times in the zone given, said once

// NoticeReminder is the one kind of notice decisions sends (see package
// notices): the reminder a day before a ballot closes, which a member may
// take at once, in the daily digest, or not at all.
var NoticeReminder = notices.Kind{Name: "decisions.reminder", Label: "Reminders to vote before a ballot closes"}

// NoticeKinds are every kind of notice decisions sends, for notices.Deps.
func NoticeKinds() []notices.Kind { return []notices.Kind{NoticeReminder} }

// MailReminder is the Reminder app gives the service: one notice per
// voter, handed to the notices service in the transaction that marks the
// reminder sent. It goes to members whatever their marketing consent, as
// each chose for NoticeReminder, and says why. It never carries a receipt
// code.
type MailReminder struct {
	notices notices.Sender
	base    string         // public address, for links
	zone    *time.Location // where people read the closing time
}

// NewMailReminder returns the reminder that sends through n, with links to
// the site at baseURL and times in zone.
func NewMailReminder(n notices.Sender, baseURL string, zone *time.Location) (*MailReminder, error) {
	if n == nil || zone == nil {
		return nil, errors.New("decisions.NewMailReminder: missing notices or zone")
	}
	return &MailReminder{notices: n, base: strings.TrimSuffix(baseURL, "/"), zone: zone}, nil
}

var _ Reminder = (*MailReminder)(nil)

// reminderData is what mail/reminder.tmpl reads.
type reminderData struct {
	Decision *Decision
	Base     string
	Zone     *time.Location
}

// ZoneLabel names the zone beside the time: "London time".
func (d reminderData) ZoneLabel() string { return web.ZoneLabel(d.Zone) }

// RemindVoters sends each voter the reminder.
func (n *MailReminder) RemindVoters(ctx context.Context, tx *db.Tx, d *Decision, voters []Voter) error {
	data := reminderData{Decision: d, Base: n.base, Zone: n.zone}
	for _, v := range voters {
		m, err := mailTemplates.Message("reminder.tmpl", v.Email, data)
		if err != nil {
			return err
		}
		if err := n.notices.Send(ctx, tx, v.PersonID, notices.Notice{Kind: NoticeReminder.Name, To: m.To,
			Subject: m.Subject, Text: m.Text, Why: m.Why}); err != nil {
			return err
		}
	}
	return nil
}
