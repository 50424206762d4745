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
// the close; the mail says why it was sent and carries no receipt.
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
		tok, err := a.Decisions.BallotToken(voter, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		receipt, err := a.Decisions.Vote(voter, d.ID, tok, decisions.Choice{Option: 1})
		if err != nil {
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
		for _, want := range []string{"Where shall we meet?", "You get this because you are on the electorate of this ballot", n.URL + "/decisions/" + d.ID, "London time"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("reminder lacks %q:\n%s", want, m.Text)
			}
		}
		if m.Kind != mail.KindService || strings.Contains(m.Text, receipt) {
			t.Errorf("reminder kind %q, or it carries a receipt:\n%s", m.Kind, m.Text)
		}
	})
}

// TestDashboardYourVotes: a member sees the vote open for them on their
// dashboard, with its close, until they vote, and then that they have
// voted; someone outside the electorate sees none. Every signed-in page
// links to decisions and events. On both engines.
func TestDashboardYourVotes(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		g, err := a.Groups.Create(sys, groups.Input{Name: "Leeds Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"LS6"}})
		if err != nil {
			t.Fatal(err)
		}
		const pass = "Password-For-the-dashboard"
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin) // the first account is the admin
		member := n.CreateUser(t, "member@example.org", pass, auth.RoleMember)
		n.CreateUser(t, "outsider@example.org", pass, auth.RoleMember)
		id, err := a.People.Match(sys, "member@example.org", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: id, Role: groups.RoleMember}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		closes := now.Add(50 * time.Hour)
		d, err := a.Decisions.Create(sys, decisions.Input{GroupID: g.ID, Title: "Which campaign first?", Kind: decisions.KindPoll,
			Options: []decisions.OptionInput{{Label: "Rents"}, {Label: "Repairs"}}, OpensAt: now.Add(-time.Hour), ClosesAt: closes})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			t.Fatal(err)
		}
		panel := func(email string) string {
			c := apptest.Client(t)
			n.Login(t, c, email, pass)
			res := apptest.Get(t, c, n.URL+"/dashboard")
			for _, link := range []string{`href="/decisions"`, `href="/events"`} {
				if !strings.Contains(res.Body, link) {
					t.Errorf("%s's dashboard has no %s in the navigation", email, link)
				}
			}
			// issue 16: an empty panel is a line of the dashboard's "Nothing waiting" card.
			_, after, ok := strings.Cut(res.Body, "Your votes</")
			if !ok {
				t.Fatalf("%s's dashboard has no Your votes panel:\n%s", email, res.Body)
			}
			before, _, _ := strings.Cut(after, "</div>")
			return before
		}
		p := panel("member@example.org")
		if !strings.Contains(p, `href="/decisions/`+d.ID+`"`) || !strings.Contains(p, "Which campaign first?") ||
			!strings.Contains(p, "vote by "+closes.In(london).Format("Mon 2 Jan 2006, 15:04")+" London time") {
			t.Errorf("member's panel before voting:\n%s", p)
		}
		if p := panel("outsider@example.org"); strings.Contains(p, d.ID) || !strings.Contains(p, "No vote is open for you now.") {
			t.Errorf("outsider's panel:\n%s", p)
		}
		voter := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: member.ID, Role: auth.RoleMember, Verified: true})
		tok, err := a.Decisions.BallotToken(voter, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.Vote(voter, d.ID, tok, decisions.Choice{Option: 1}); err != nil {
			t.Fatal(err)
		}
		if p := panel("member@example.org"); !strings.Contains(p, "Which campaign first?") || !strings.Contains(p, "you have voted") {
			t.Errorf("member's panel after voting:\n%s", p)
		}
	})
}
