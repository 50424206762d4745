package decisions

import (
	"context"
	"embed"
	"errors"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// The mail the decisions capability sends, one text/template file per mail
// (mail/*.tmpl: a Subject line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", nil)

// MailReminder is the Reminder app gives the service: one mail per
// address, queued in the transaction that marks the reminder sent. It is a
// service message to members (sent whatever their marketing consent) and
// says so. It never carries a receipt code.
type MailReminder struct {
	mail mail.Queuer
	base string         // public address, for links
	zone *time.Location // where people read the closing time
}

// NewMailReminder returns the reminder that writes through m, with links to
// the site at baseURL and times in zone.
func NewMailReminder(m mail.Queuer, baseURL string, zone *time.Location) (*MailReminder, error) {
	if m == nil || zone == nil {
		return nil, errors.New("decisions.NewMailReminder: missing mail or zone")
	}
	return &MailReminder{mail: m, base: strings.TrimSuffix(baseURL, "/"), zone: zone}, nil
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

// RemindVoters mails each address the reminder.
func (n *MailReminder) RemindVoters(ctx context.Context, tx *db.Tx, d *Decision, emails []string) error {
	data := reminderData{Decision: d, Base: n.base, Zone: n.zone}
	for _, to := range emails {
		m, err := mailTemplates.Message("reminder.tmpl", to, data)
		if err != nil {
			return err
		}
		m.Kind, m.Related = mail.KindService, "decisions.reminder"
		if _, err := n.mail.Queue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
