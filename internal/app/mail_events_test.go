package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestReminderMail, through a real SMTP server: a guest who said yes
// without ticking the consent box gets the confirmation (a service
// message, with the calendar file), then the reminder job's mail a day
// before; its "I can't come any more" link opens a page that changes
// nothing, and the button on it cancels the answer. On both engines.
func TestReminderMail(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		mp := mailtest.Start(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		london, _ := time.LoadLocation("Europe/London")
		start := time.Now().Add(23 * time.Hour).In(london).Truncate(time.Minute)
		ev, err := a.Events.Create(sys, events.Input{GroupID: g.ID, Title: "Hackney branch meeting", Place: events.Place{Name: "Round Chapel"},
			Start: start, End: start.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		const gil = "gil@example.org"
		if _, err := a.Events.RSVPAsGuest(context.Background(), ev.ID, events.Guest{Name: "Gil Guest", Email: gil, Status: events.Accepted}); err != nil {
			t.Fatal(err)
		}
		personID, err := a.People.Match(sys, gil, "")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := a.People.Get(sys, personID); err != nil || p.HasConsent(people.ChannelEmail) {
			t.Fatalf("the guest should have no email consent: %+v %v", p, err)
		}
		conf := waitSubject(t, mp, "You're coming to Hackney branch meeting", nil)
		if conf.To[0] != gil || !strings.Contains(conf.Text, n.URL+"/events/"+ev.ID+".ics") || !strings.Contains(conf.Text, "service message") {
			t.Fatalf("confirmation to %v:\n%s", conf.To, conf.Text)
		}
		// The job runs when a node starts and every five minutes; run it now.
		if _, err := a.Jobs.Insert(sys, events.RemindArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		// Mail committed while a send job runs may wait for the one-minute
		// sweep (mail.send is unique while running); the test nudges the
		// sender instead of waiting.
		rem := waitSubject(t, mp, "Reminder: Hackney branch meeting", func() {
			if _, err := a.Jobs.Insert(sys, mail.SendArgs{}, nil); err != nil {
				t.Fatal(err)
			}
		})
		if rem.To[0] != gil || !strings.Contains(rem.Text, "because you said you'd come") || !strings.Contains(rem.Text, "I can't come any more") {
			t.Fatalf("reminder to %v:\n%s", rem.To, rem.Text)
		}
		link := mailtest.FindLink(t, rem.Text, n.URL+"/rsvp/")
		c := apptest.Client(t)
		page := apptest.Get(t, c, link)
		if page.Status != 200 || !strings.Contains(page.Body, "Yes, I can't come any more") {
			t.Fatalf("the link's page: %d\n%s", page.Status, page.Body)
		}
		if got := rsvpStatus(t, a.Events, ev.ID, personID); got != events.Accepted {
			t.Fatalf("opening the link changed the answer to %q", got)
		}
		done := apptest.PostForm(t, c, link, nil)
		if done.Status != 200 || !strings.Contains(done.Body, "Thank you for telling us") {
			t.Fatalf("confirming: %d\n%s", done.Status, done.Body)
		}
		if got := rsvpStatus(t, a.Events, ev.ID, personID); got != events.Declined {
			t.Fatalf("after confirming: %q", got)
		}
		if again := apptest.PostForm(t, c, link, nil); again.Status != 404 {
			t.Fatalf("a used link: %d", again.Status)
		}
	})
}

// waitSubject waits for a message whose subject starts with prefix,
// calling nudge (when not nil) every half second meanwhile.
func waitSubject(t *testing.T, mp *mailtest.Mailpit, prefix string, nudge func()) *mailtest.Received {
	t.Helper()
	for i, deadline := 0, time.Now().Add(20*time.Second); ; i++ {
		if nudge != nil && i%10 == 0 {
			nudge()
		}
		for _, m := range mp.Messages(t) {
			if strings.HasPrefix(m.Subject, prefix) {
				return &m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail %q arrived", prefix)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitMail waits for a message to the address with the subject.
func waitMail(t *testing.T, mp *mailtest.Mailpit, to, subject string) *mailtest.Received {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		for _, m := range mp.Messages(t) {
			if m.Subject == subject && len(m.To) > 0 && strings.EqualFold(m.To[0], to) {
				return &m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail %q to %s arrived", subject, to)
		}
	}
}

func rsvpStatus(t *testing.T, svc *events.Service, eventID, personID string) string {
	t.Helper()
	rs, err := svc.RSVPs(auth.WithSystem(context.Background()), eventID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.PersonID == personID && r.ShiftID == "" {
			return r.Status
		}
	}
	return ""
}
