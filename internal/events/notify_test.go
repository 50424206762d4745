package events

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestMailTemplates renders each events mail and checks the words and
// links people receive; the app's mail tests send them through SMTP.
func TestMailTemplates(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 6, 9, 19, 0, 0, 0, london)
	e := &Event{ID: "ev1", Title: "Branch meeting", GroupID: "g1", TimeZone: "Europe/London", Start: start,
		End: start.Add(2 * time.Hour), Place: Place{Name: "Round Chapel", Postcode: "E5 0LY"}}
	base := mailData{Base: "https://act.example.org", Greeting: "Hello Ada", Event: e, Token: "tok"}
	// Each mail's why-line is its last line, after the "-- " separator.
	why := func(line string) string { return "\n\n-- \n" + line + "\n" }
	with := func(f func(*mailData)) mailData { d := base; f(&d); return d }
	for _, tc := range []struct {
		tmpl    string
		data    mailData
		subject string
		body    []string
	}{
		{"place_freed.tmpl", base, "A place has come free at Branch meeting", []string{
			"a place has come free at Branch meeting, on Tue 9 Jun 2026, 19:00 London time, and it is yours.",
			"https://act.example.org/events/ev1\n",
			why("You get this service message because you were on the waitlist for Branch meeting.")}},
		{"follow_up.tmpl", base, "Thank you for coming to Branch meeting", []string{
			"Hello Ada,\n\nThank you for coming to Branch meeting on 9 Jun 2026.", "https://act.example.org/events\n",
			why("You get this because you came to Branch meeting; you can turn these thanks off at https://act.example.org/account/notifications.")}},
		{"confirmed.tmpl", with(func(d *mailData) {
			d.Shift = &Shift{Title: "Door", Start: start, End: start.Add(time.Hour)}
		}), "You're coming to Branch meeting", []string{
			"You're coming to Branch meeting (shift: Door, 19:00–20:00), on Tue 9 Jun 2026, 19:00 London time.",
			"Where: Round Chapel, E5 0LY", "https://act.example.org/events/ev1.ics", "https://act.example.org/rsvp/tok",
			why("You get this service message because you said you're coming to Branch meeting.")}},
		{"changed.tmpl", with(func(d *mailData) { d.What = "time" }), "Changed: Branch meeting", []string{
			"Branch meeting has changed: time.", "It is now on Tue 9 Jun 2026, 19:00 London time",
			why("You get this because you answered the invitation to Branch meeting; you can choose how you hear of changes at https://act.example.org/account/notifications.")}},
		{"cancelled.tmpl", base, "Cancelled: Branch meeting", []string{
			"Branch meeting, on Tue 9 Jun 2026, 19:00 London time, is cancelled.",
			why("You get this because you answered the invitation to Branch meeting; we send news of an event you answered whatever your email preferences.")}},
		{"reminder.tmpl", base, "Reminder: Branch meeting, Tue 9 Jun 2026, 19:00 London time", []string{
			"Branch meeting starts soon:", "I can't come any more: https://act.example.org/rsvp/tok",
			why("You get this because you said you'd come to Branch meeting. We send two reminders, a day before and two hours before; choose how you get them at https://act.example.org/account/notifications.")}},
		{"reminder.tmpl", with(func(d *mailData) { d.Soon = true }), "Starting soon: Branch meeting at 19:00", []string{
			"Branch meeting starts in about two hours:"}},
		{"host_report.tmpl", with(func(d *mailData) {
			d.Report = HostReport{Accepted: 3, Came: []string{"Ann", ""}, New: nil, NoShows: []string{"Bo"}}
		}), "Branch meeting: 2 came", []string{
			"3 said yes and 2 came (walk-ins included).", "Came:\n  - Ann\n  - (no name)\n\n",
			"New to the network through this event:\n  (nobody)\n\n", "Said yes but did not come:\n  - Bo\n\n",
			"https://act.example.org/events/ev1/checkin", "https://act.example.org/events/figures?group=g1", why("You receive this report because you hosted Branch meeting.")}},
	} {
		t.Run(tc.tmpl, func(t *testing.T) {
			mailtest.Rendered(t, mailTemplates, tc.tmpl, tc.data, tc.subject, tc.body...)
		})
	}
}

// TestNewNeedsEveryCollaborator: the events service cannot be built
// half-wired; the error names what is missing.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	d := dbtest.NewSQLite(t)
	_, err := New(Deps{DB: d, Policy: auth.NewPolicy()})
	if err == nil || !strings.Contains(err.Error(), "missing People, Recorder, Notifier, Guests") {
		t.Fatalf("New without collaborators: %v", err)
	}
	_, err = New(Deps{DB: d, Policy: auth.NewPolicy(), People: PeopleGuests{}.People, Notifier: &MailNotifier{}})
	if err == nil || !strings.Contains(err.Error(), "People") {
		t.Fatalf("New with a nil *people.Service: %v", err)
	}
}
