package decisions

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// reminded lists the addresses the real MailReminder queued a reminder
// for, by decision (from the link in the mail).
func (e *env) reminded(t *testing.T) map[string][]string {
	t.Helper()
	rows, err := e.d.Query(context.Background(), `SELECT to_addr, text_body FROM mail_messages WHERE related = 'decisions.reminder' ORDER BY to_addr`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sent := map[string][]string{}
	for rows.Next() {
		var to, body string
		if err := rows.Scan(&to, &body); err != nil {
			t.Fatal(err)
		}
		_, after, ok := strings.Cut(body, site+"/decisions/")
		if !ok {
			t.Fatalf("reminder to %s has no link to its decision:\n%s", to, body)
		}
		id, _, _ := strings.Cut(after, "\n")
		sent[id] = append(sent[id], to)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sent
}

// TestReminders: a day before the close, everyone in the electorate with
// an account who has not voted is reminded, once; voters, people outside
// the electorate and short ballots are not.
func TestReminders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		voter, idle, outsider := e.member(t, "Vera Voter"), e.member(t, "Ida Idle"), e.member(t, "Otto Outside")
		e.join(t, g, voter, "organiser")
		e.join(t, g, idle, "member")
		in := poll(g)
		in.OpensAt = start.Add(time.Hour)
		in.ClosesAt = in.OpensAt.Add(72 * time.Hour)
		dec := e.open(t, voter, in)
		short := poll(g)
		short.Title = "Quick one"
		short.OpensAt, short.ClosesAt = dec.OpensAt, dec.OpensAt.Add(2*time.Hour)
		quick := e.open(t, voter, short)
		e.vote(t, dec, voter, Choice{Option: 1})

		if n, err := e.svc.SendReminders(e.system); err != nil || n != 0 || len(e.reminded(t)) != 0 {
			t.Fatalf("two days before the close: reminded %d (%v), want none", n, err)
		}
		e.clock.Set(dec.ClosesAt.Add(-RemindBefore + time.Minute))
		n, err := e.svc.SendReminders(e.system)
		if err != nil || n != 1 {
			t.Fatalf("a day before the close: reminded %d (%v), want 1", n, err)
		}
		sent := e.reminded(t)
		got := sent[dec.ID]
		if len(got) != 1 || !strings.HasPrefix(got[0], "ida.idle.") {
			t.Errorf("reminded %v, want only Ida (not the voter, not %s)", got, outsider.Name)
		}
		if _, ok := sent[quick.ID]; ok {
			t.Errorf("a two-hour ballot was reminded")
		}
		if n, _ := e.svc.SendReminders(e.system); n != 0 {
			t.Errorf("second run reminded %d, want 0: reminders go once", n)
		}
		if _, err := e.svc.SendReminders(voter.ctx); err == nil {
			t.Errorf("a member sent reminders")
		}
	})
}

// TestTurnoutLive: a vote publishes the new turnout on the decision's
// topic after it commits, and Turnout reads the same numbers.
func TestTurnoutLive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		b := e.live
		g := e.group(t, "Hackney Momentum")
		a, c := e.member(t, "Ann Able"), e.member(t, "Cal Cole")
		e.join(t, g, a, "organiser")
		e.join(t, g, c, "member")
		dec := e.open(t, a, poll(g))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ch, stop := b.Subscribe(ctx, TurnoutTopic(dec.ID))
		defer stop()
		e.vote(t, dec, c, Choice{Option: 2})
		select {
		case ev := <-ch:
			if ev.Data != "1 of 2 have voted" {
				t.Errorf("live turnout %q, want %q", ev.Data, "1 of 2 have voted")
			}
		case <-ctx.Done():
			t.Fatal("no live turnout after a vote")
		}
		tu, err := e.svc.Turnout(a.ctx, dec.ID)
		if err != nil || tu.String() != "1 of 2 have voted" {
			t.Errorf("Turnout = %v (%v)", tu, err)
		}
	})
}

// TestListMine: a member sees their groups' decisions and the network's,
// not another group's, and drafts only their own.
func TestListMine(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ga, gb := e.group(t, "Group A"), e.group(t, "Group B")
		m, o := e.member(t, "Mo Member"), e.member(t, "Bo Organiser")
		e.join(t, ga, m, "member")
		e.join(t, gb, o, "organiser")
		titled := func(g, title string) Input { in := poll(g); in.Title = title; return in }
		e.open(t, m, titled(ga, "A's open poll"))
		e.create(t, m, titled(ga, "Mo's draft"))
		e.open(t, o, titled(gb, "B's poll"))
		net := poll("")
		net.Title, net.Electorate = "Network poll", Electorate{}
		e.open(t, e.admin, net)
		ds, err := e.svc.List(m.ctx, ListFilter{Mine: true})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, x := range ds {
			titles = append(titles, x.Title)
		}
		slices.Sort(titles)
		if want := []string{"A's open poll", "Mo's draft", "Network poll"}; !slices.Equal(titles, want) {
			t.Errorf("Mine = %q, want %q", titles, want)
		}
	})
}

// TestTurnoutLiveCoalesced: a burst of votes publishes the first turnout at
// once and the last one within turnoutEvery, with fewer publications than
// votes, so a big election does not count its voters after every vote.
func TestTurnoutLiveCoalesced(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		a := e.member(t, "Ann Able")
		e.join(t, g, a, "organiser")
		var voters []person
		for i := range 12 {
			p := e.member(t, fmt.Sprintf("Voter %02d", i))
			e.join(t, g, p, "member")
			voters = append(voters, p)
		}
		dec := e.open(t, a, poll(g))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ch, stop := e.live.Subscribe(ctx, TurnoutTopic(dec.ID))
		defer stop()
		for _, p := range voters {
			e.vote(t, dec, p, Choice{Option: 1})
		}
		want := "12 of 13 have voted"
		var got []string
		quiet := time.NewTimer(3 * turnoutEvery)
		defer quiet.Stop()
	wait:
		for {
			select {
			case ev := <-ch:
				got = append(got, ev.Data)
				quiet.Reset(3 * turnoutEvery)
			case <-quiet.C:
				break wait
			case <-ctx.Done():
				break wait
			}
		}
		if len(got) == 0 || got[len(got)-1] != want {
			t.Fatalf("published %q, want the last to be %q", got, want)
		}
		if got[0] != "1 of 13 have voted" {
			t.Errorf("first publication %q, want the first vote's at once", got[0])
		}
		if len(got) >= len(voters) {
			t.Errorf("%d publications for %d votes in a burst, want fewer", len(got), len(voters))
		}
	})
}
