package events

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"maps"
	"strings"
	"text/template"

	msgnotices "github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// The mail the events capability sends, one text/template file per mail
// (mail/*.tmpl: a Subject line, a Why line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", mailFuncs())

// mailFuncs are the mails' helpers and the formatting layer (date,
// datetime, time… in each event's own zone). issue 16.
func mailFuncs() template.FuncMap {
	f := template.FuncMap{
		"when":  eventWhen,
		"where": eventWhere,
		"names": nameList,
	}
	maps.Copy(f, web.FormatFuncs(nil))
	return f
}

// eventWhen is an event's start in its own zone, for mails.
func eventWhen(e *Event) string {
	return web.DateTime(e.Start, nil) // issue 16: "Mon 7 Dec 2026, 19:00 London time"
}

// eventWhere is an event's place on one line, or its link.
func eventWhere(e *Event) string {
	var parts []string
	for _, p := range []string{e.Place.Name, e.Place.Address, e.Place.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if e.OnlineURL != "" {
		parts = append(parts, "online: "+e.OnlineURL)
	}
	return strings.Join(parts, ", ")
}

// nameList is a list of names for the host report, one a line.
func nameList(names []string) string {
	if len(names) == 0 {
		return "  (nobody)\n"
	}
	var b strings.Builder
	for _, nm := range names {
		b.WriteString("  - " + cmp.Or(nm, "(no name)") + "\n")
	}
	return b.String()
}

// PersonReader reads whom to write to (the people service): the mail goes
// to their address and greets them by name. It reads in the caller's
// transaction, which holds a connection already.
type PersonReader interface {
	ContactTx(ctx context.Context, tx *db.Tx, personID string) (email, givenName string, err error)
}

// The kinds of notice events sends (see package notices). Those about the
// person's own answer or place always go; reminders, changes, thanks and
// host reports each person may take at once, in a daily digest, or not.
var (
	NoticeConfirmed  = msgnotices.Kind{Name: "events.confirmed", Label: "Confirmation that you're coming to an event", Service: true}
	NoticePlaceFreed = msgnotices.Kind{Name: "events.place_freed", Label: "A place from the waitlist is yours", Service: true}
	NoticeCancelled  = msgnotices.Kind{Name: "events.cancelled", Label: "An event you answered is cancelled", Service: true}
	NoticeReminder   = msgnotices.Kind{Name: "events.reminder", Label: "Reminders before events you're going to"}
	NoticeChanged    = msgnotices.Kind{Name: "events.changed", Label: "Changes of time or place of events you answered"}
	NoticeFollowUp   = msgnotices.Kind{Name: "events.follow_up", Label: "Thanks after an event you came to"}
	NoticeHostReport = msgnotices.Kind{Name: "events.host_report", Label: "Who came, after an event you hosted"}
)

// NoticeKinds are every kind of notice events sends, for notices.Deps.
func NoticeKinds() []msgnotices.Kind {
	return []msgnotices.Kind{NoticeConfirmed, NoticePlaceFreed, NoticeCancelled, NoticeReminder, NoticeChanged,
		NoticeFollowUp, NoticeHostReport}
}

// MailNotifier is the Notifier app gives the service: it hands each mail
// to the notices service in the transaction given, so a notice is sent
// (or kept for the person's digest) exactly when the change is committed.
// Its mails go to the people concerned whatever their marketing consent,
// as each chose for its kind, and say why.
type MailNotifier struct {
	notices msgnotices.Sender
	people  PersonReader
	base    string // public address, for links
}

// NewMailNotifier returns the notifier that sends through n to the people
// read from p, with links to the site at baseURL.
func NewMailNotifier(n msgnotices.Sender, p PersonReader, baseURL string) *MailNotifier {
	return &MailNotifier{notices: n, people: p, base: strings.TrimSuffix(baseURL, "/")}
}

var _ Notifier = (*MailNotifier)(nil)

// mailData is what every events mail template reads.
type mailData struct {
	Base     string
	Greeting string // "Hello Ada"
	Event    *Event
	Shift    *Shift // Confirmed: the shift, or nil
	Token    string // the "I can't come any more" link's token
	What     string // Changed: what changed
	Soon     bool   // Remind: the two-hour reminder
	Report   HostReport
}

// send mails the person, if they have an address: a person without one
// keeps their place (or news) all the same.
func (n *MailNotifier) send(ctx context.Context, tx *db.Tx, personID, tmpl string, kind msgnotices.Kind, data mailData) error {
	email, given, err := n.people.ContactTx(ctx, tx, personID)
	if err != nil {
		return fmt.Errorf("event mail: %w", err)
	}
	if email == "" {
		return nil
	}
	data.Base = n.base
	data.Greeting = "Hello"
	if given != "" {
		data.Greeting += " " + given
	}
	m, err := mailTemplates.Message(tmpl, email, data)
	if err != nil {
		return err
	}
	return n.notices.Send(ctx, tx, personID, msgnotices.Notice{Kind: kind.Name, To: m.To, Subject: m.Subject, Text: m.Text, Why: m.Why})
}

func (n *MailNotifier) sendAll(ctx context.Context, tx *db.Tx, personIDs []string, tmpl string, kind msgnotices.Kind, data mailData) error {
	for _, id := range personIDs {
		if err := n.send(ctx, tx, id, tmpl, kind, data); err != nil {
			return err
		}
	}
	return nil
}

// PlaceFreed tells someone on the waitlist that a place is now theirs.
func (n *MailNotifier) PlaceFreed(ctx context.Context, tx *db.Tx, e *Event, personID string) error {
	return n.send(ctx, tx, personID, "place_freed.tmpl", NoticePlaceFreed, mailData{Event: e})
}

// FollowUp thanks each person who came: a service message about an event
// they attended, so it needs no marketing consent.
func (n *MailNotifier) FollowUp(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error {
	return n.sendAll(ctx, tx, personIDs, "follow_up.tmpl", NoticeFollowUp, mailData{Event: e})
}

// Confirmed tells someone who said yes that they are coming, with the
// calendar file and their "I can't come any more" link.
func (n *MailNotifier) Confirmed(ctx context.Context, tx *db.Tx, e *Event, sh *Shift, personID, token string) error {
	return n.send(ctx, tx, personID, "confirmed.tmpl", NoticeConfirmed, mailData{Event: e, Shift: sh, Token: token})
}

// Changed tells people who answered that the event's time or place
// changed.
func (n *MailNotifier) Changed(ctx context.Context, tx *db.Tx, e *Event, personIDs []string, what string) error {
	return n.sendAll(ctx, tx, personIDs, "changed.tmpl", NoticeChanged, mailData{Event: e, What: what})
}

// Cancelled tells people who answered that the event is cancelled.
func (n *MailNotifier) Cancelled(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error {
	return n.sendAll(ctx, tx, personIDs, "cancelled.tmpl", NoticeCancelled, mailData{Event: e})
}

// Remind reminds people who said yes or maybe that the event is soon.
func (n *MailNotifier) Remind(ctx context.Context, tx *db.Tx, e *Event, when string, rs []Reminder) error {
	for _, r := range rs {
		data := mailData{Event: e, Token: r.CancelToken, Soon: when == ReminderHours}
		if err := n.send(ctx, tx, r.PersonID, "reminder.tmpl", NoticeReminder, data); err != nil {
			return err
		}
	}
	return nil
}

// HostReport tells each host, once the event is over, who came, who was
// new and who said yes but stayed away: a service message about an event
// they hosted.
func (n *MailNotifier) HostReport(ctx context.Context, tx *db.Tx, e *Event, hostIDs []string, r HostReport) error {
	return n.sendAll(ctx, tx, hostIDs, "host_report.tmpl", NoticeHostReport, mailData{Event: e, Report: r})
}
