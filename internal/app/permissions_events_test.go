package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// eventFixtures adds what the matrix's mobilising rows act on: a shift
// {SHIFT} of {EV}, and {RSVPTOK}, the "I can't come any more" token of the
// member's confirmation mail for another event of group A.
func eventFixtures(t *testing.T, a *app.App, vals map[string]string, member string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	ev, err := a.Events.Get(sys, vals["{EV}"])
	if err != nil {
		t.Fatal(err)
	}
	sh, err := a.Events.AddShift(sys, ev.ID, events.ShiftInput{Title: "Matrix shift", Start: ev.Start, End: ev.End})
	if err != nil {
		t.Fatal(err)
	}
	vals["{SHIFT}"] = sh.ID
	in := events.Input{GroupID: ev.GroupID, Title: "Matrix cancel link", Place: events.Place{Name: "Round Chapel"},
		Start: ev.Start.Add(time.Hour), End: ev.End.Add(time.Hour)}
	in.Start = time.Date(in.Start.Year(), in.Start.Month(), in.Start.Day(), in.Start.Hour(), 0, 0, 0, time.UTC)
	in.End = in.Start.Add(2 * time.Hour)
	rev, err := a.Events.Create(sys, in)
	if err != nil {
		t.Fatal(err)
	}
	as := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: member, Role: auth.RoleMember, Verified: true})
	if _, err := a.Events.RSVP(as, rev.ID, events.RSVPInput{Status: events.Accepted}); err != nil {
		t.Fatal(err)
	}
	ms, err := a.Mail.Outbox(sys, mail.OutboxFilter{Related: "events.confirmed", Limit: 1})
	if err != nil || len(ms) != 1 {
		t.Fatalf("the confirmation: %v %v", ms, err)
	}
	_, tok, ok := strings.Cut(ms[0].Text, "/rsvp/")
	if !ok {
		t.Fatalf("no cancel link in the confirmation:\n%s", ms[0].Text)
	}
	vals["{RSVPTOK}"] = strings.Fields(tok)[0]
}
