package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// TestDecisionReminders: the reminder job, run through River, mails each
// electorate member with an account who has not voted, once, a day before
// the close; the mail says it is a service message and carries no receipt.
// On both engines.
func TestDecisionReminders(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		var users []*auth.User
		var ms []groups.NewMember
		for _, email := range []string{"voted@example.org", "idle@example.org"} {
			u := n.CreateUser(t, email, "Password-For-reminders", auth.RoleMember)
			id, err := a.People.Match(sys, email, "")
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
			ms = append(ms, groups.NewMember{GroupID: g.ID, PersonID: id, Role: groups.RoleMember})
		}
		if _, err := a.Groups.ImportMembers(sys, ms); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		d, err := a.Decisions.Create(sys, decisions.Input{GroupID: g.ID, Title: "Where shall we meet?", Kind: decisions.KindPoll,
			Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}, OpensAt: now.Add(-48 * time.Hour), ClosesAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		voter := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: users[0].ID, Role: auth.RoleMember, Verified: true})
		receipt := decisions.NewReceipt()
		if err := a.Decisions.Vote(voter, d.ID, receipt, decisions.Choice{Option: 1}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second run finds nothing left to send
			if _, err := a.Jobs.Insert(sys, decisions.RemindArgs{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		var sent []mail.Stored
		deadline := time.Now().Add(15 * time.Second)
		for len(sent) == 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			if sent, err = a.Mail.Outbox(sys, mail.OutboxFilter{Related: "decisions.reminder"}); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(500 * time.Millisecond) // let the second job run
		if sent, err = a.Mail.Outbox(sys, mail.OutboxFilter{Related: "decisions.reminder"}); err != nil {
			t.Fatal(err)
		}
		if len(sent) != 1 || sent[0].To != "idle@example.org" {
			t.Fatalf("reminders %+v, want one, to idle@example.org", sent)
		}
		m := sent[0]
		for _, want := range []string{"Where shall we meet?", "This is a service message to members", n.URL + "/decisions/" + d.ID, "London time"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("reminder lacks %q:\n%s", want, m.Text)
			}
		}
		if m.Kind != mail.KindService || strings.Contains(m.Text, receipt) {
			t.Errorf("reminder kind %q, or it carries a receipt:\n%s", m.Kind, m.Text)
		}
	})
}
