package app

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/site"
)

// This file wires the mobilising half of events: the reminder job, the
// confirmation, change, cancellation and reminder mails, and the
// dashboard's link to the mobilisation figures.

// eventWorkers registers the events reminder worker and returns its
// periodic job; the worker reaches the service through the App when it runs.
func (a *App) eventWorkers(workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &eventRemindWorker{app: a})
	return []*river.PeriodicJob{events.RemindPeriodic()}
}

// eventRemindWorker sends the reminders that are due (events.RemindWorker
// with the service read from the App).
type eventRemindWorker struct {
	river.WorkerDefaults[events.RemindArgs]
	app *App
}

func (w *eventRemindWorker) Work(ctx context.Context, j *river.Job[events.RemindArgs]) error {
	return (&events.RemindWorker{Svc: w.app.Events}).Work(ctx, j)
}

// whyService is the line every service mail about an event ends with:
// people who answered hear of their event whatever their email preferences,
// and are told why.
const whyService = "You receive this service message because you answered this event's invitation; " +
	"we send it whatever your email preferences, and only about this event."

// eventWhen is an event's start in its own zone, for mails.
func eventWhen(e *events.Event) string {
	return e.Start.Format("Monday 2 January 2006 at 15:04") + " (" + e.Start.Format("MST") + ", " + e.TimeZone + ")"
}

// eventWhere is an event's place on one line, or its link.
func eventWhere(e *events.Event) string {
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

// recipient is the person's address and greeting, or "" when there is no
// address to write to.
func (n eventNotifier) recipient(ctx context.Context, personID string) (email, greeting string, err error) {
	p, err := n.a.People.Get(auth.WithSystem(ctx), personID)
	if err != nil {
		return "", "", fmt.Errorf("event mail: %w", err)
	}
	greeting = "Hello"
	if p.GivenName != "" {
		greeting += " " + p.GivenName
	}
	return p.Email, greeting, nil
}

func (n eventNotifier) send(ctx context.Context, tx *db.Tx, personID, subject, related string, body func(greeting string) string) error {
	email, greeting, err := n.recipient(ctx, personID)
	if err != nil || email == "" {
		return err
	}
	_, err = n.a.Mail.Queue(ctx, tx, mail.Message{To: email, Subject: subject, Text: body(greeting), Kind: mail.KindService, Related: related})
	return err
}

// Confirmed tells someone who said yes that they are coming, with the
// calendar file and their "I can't come any more" link.
func (n eventNotifier) Confirmed(ctx context.Context, tx *db.Tx, e *events.Event, sh *events.Shift, personID, token string) error {
	base := n.a.Config.PublicURL()
	what := e.Title
	if sh != nil {
		what = fmt.Sprintf("%s (shift: %s, %s–%s)", e.Title, sh.Title, sh.Start.Format("15:04"), sh.End.Format("15:04"))
	}
	return n.send(ctx, tx, personID, "You're coming to "+e.Title, "events.confirmed", func(greeting string) string {
		return fmt.Sprintf("%s,\n\nYou're coming to %s, on %s.\nWhere: %s\n\n"+
			"The event's page: %s/events/%s\nAdd it to your calendar: %s/events/%s.ics\n\n"+
			"If you can't come any more, tell us here so that someone else can have your place:\n%s/rsvp/%s\n\n%s\n",
			greeting, what, eventWhen(e), eventWhere(e), base, e.ID, base, e.ID, base, token, whyService)
	})
}

// Changed tells people who answered that the event's time or place
// changed.
func (n eventNotifier) Changed(ctx context.Context, tx *db.Tx, e *events.Event, personIDs []string, what string) error {
	base := n.a.Config.PublicURL()
	for _, id := range personIDs {
		err := n.send(ctx, tx, id, "Changed: "+e.Title, "events.changed", func(greeting string) string {
			return fmt.Sprintf("%s,\n\n%s has changed: %s.\n\nIt is now on %s.\nWhere: %s\n\n"+
				"The event's page, where you can change your answer: %s/events/%s\n"+
				"The updated calendar file: %s/events/%s.ics\n\n%s\n",
				greeting, e.Title, what, eventWhen(e), eventWhere(e), base, e.ID, base, e.ID, whyService)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Cancelled tells people who answered that the event is cancelled.
func (n eventNotifier) Cancelled(ctx context.Context, tx *db.Tx, e *events.Event, personIDs []string) error {
	base := n.a.Config.PublicURL()
	for _, id := range personIDs {
		err := n.send(ctx, tx, id, "Cancelled: "+e.Title, "events.cancelled", func(greeting string) string {
			return fmt.Sprintf("%s,\n\n%s, on %s, is cancelled. We're sorry for the trouble.\n\n"+
				"Find other events near you: %s/events\n\n%s\n", greeting, e.Title, eventWhen(e), base, whyService)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Remind reminds people who said yes or maybe that the event is soon.
func (n eventNotifier) Remind(ctx context.Context, tx *db.Tx, e *events.Event, when string, rs []events.Reminder) error {
	base := n.a.Config.PublicURL()
	subject := "Reminder: " + e.Title + ", " + e.Start.Format("Monday 2 January at 15:04")
	soon := "soon"
	if when == events.ReminderHours {
		subject = "Starting soon: " + e.Title + " at " + e.Start.Format("15:04")
		soon = "in about two hours"
	}
	for _, r := range rs {
		err := n.send(ctx, tx, r.PersonID, subject, "events.reminder", func(greeting string) string {
			return fmt.Sprintf("%s,\n\n%s starts %s: %s.\nWhere: %s\n\nThe event's page: %s/events/%s\n\n"+
				"I can't come any more: %s/rsvp/%s\n(One click opens a page where you confirm; your place then goes to someone waiting.)\n\n"+
				"%s We send two reminders, a day before and two hours before.\n",
				greeting, e.Title, soon, eventWhen(e), eventWhere(e), base, e.ID, base, r.CancelToken, whyService)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// HostReport tells each host, once the event is over, who came, who was
// new and who said yes but stayed away: a service message about an event
// they hosted.
func (n eventNotifier) HostReport(ctx context.Context, tx *db.Tx, e *events.Event, hostIDs []string, r events.HostReport) error {
	base := n.a.Config.PublicURL()
	list := func(names []string) string {
		if len(names) == 0 {
			return "  (nobody)\n"
		}
		var b strings.Builder
		for _, nm := range names {
			b.WriteString("  - " + cmp.Or(nm, "(no name)") + "\n")
		}
		return b.String()
	}
	subject := fmt.Sprintf("%s: %d came", e.Title, len(r.Came))
	figures := base + "/events/figures"
	if e.GroupID != "" {
		figures += "?group=" + e.GroupID
	}
	for _, id := range hostIDs {
		err := n.send(ctx, tx, id, subject, "events.host_report", func(greeting string) string {
			return fmt.Sprintf("%s,\n\nHere is how %s on %s went.\n\n%d said yes and %d came (walk-ins included).\n\n"+
				"Came:\n%s\nNew to the network through this event:\n%s\nSaid yes but did not come:\n%s\n"+
				"The check-in list: %s/events/%s/checkin\nThe figures: %s\n\n"+
				"You receive this report because you hosted the event.\n",
				greeting, e.Title, e.Start.Format("Monday 2 January"), r.Accepted, len(r.Came),
				list(r.Came), list(r.New), list(r.NoShows), base, e.ID, figures)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// figuresPanel is the dashboard's "Mobilisation figures": the network's for
// admins, each organised group's for its organisers.
func (a *App) figuresPanel(ctx context.Context) (*site.Panel, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	panel := &site.Panel{Title: "Mobilisation figures"}
	if p.Role == auth.RoleAdmin {
		panel.Items = append(panel.Items, site.PanelItem{Text: "The whole network", URL: "/events/figures", Note: "turnout by group, kind and month"})
	}
	ms, err := a.Groups.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Role == groups.RoleOrganiser && m.Status == groups.MemberActive {
			panel.Items = append(panel.Items, site.PanelItem{Text: m.Group.Name, URL: "/events/figures?group=" + m.Group.ID, Note: "your group's turnout"})
		}
	}
	if len(panel.Items) == 0 {
		return nil, nil
	}
	return panel, nil
}

var _ events.Notifier = eventNotifier{}
