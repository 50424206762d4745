package decisions

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestLifecycle walks one poll from draft to published, trying at each
// stage what must be refused, at the second, with an injected clock.
func TestLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org, voter := e.member(t, "Olu Organiser"), e.member(t, "Vera Voter")
		e.join(t, g, org, "organiser")
		e.join(t, g, voter, "member")
		opens := start.Add(time.Hour)
		dec := e.create(t, org, Input{GroupID: g, Title: "Where shall we meet?", Kind: KindPoll,
			Options:    []OptionInput{{Label: "Library"}, {Label: "Pub"}},
			Electorate: Electorate{MembersOnly: true}, OpensAt: opens, ClosesAt: opens.Add(2 * time.Hour)})
		closes := dec.ClosesAt
		choice := Choice{Option: 1}
		vote := func(ctx context.Context) error {
			_, err := e.svc.Vote(ctx, dec.ID, e.token(ctx, dec.ID), choice)
			return err
		}
		steps := []struct {
			name string
			at   time.Time
			do   func() error
			code errs.Code
			msg  string
		}{
			{"VoteInDraft", start, func() error { return vote(voter.ctx) }, errs.NotFound, "could not find"},
			{"OpenDraft", opens, func() error { _, err := e.svc.OpenVoting(e.system, dec.ID); return err }, errs.Conflict, "after discussion"},
			{"StartDiscussion", start, func() error { _, err := e.svc.StartDiscussion(org.ctx, dec.ID); return err }, "", ""},
			{"StartDiscussionTwice", start, func() error { _, err := e.svc.StartDiscussion(org.ctx, dec.ID); return err }, errs.Conflict, "Only a draft"},
			{"VoteBeforeOpen", start, func() error { return vote(voter.ctx) }, errs.Conflict, "Voting opens at Tue 10 Mar 2026, 11:00 UTC"},
			{"OpenOneSecondEarly", opens.Add(-time.Second), func() error { _, err := e.svc.OpenVoting(e.system, dec.ID); return err }, errs.Conflict, "Voting opens at"},
			{"OrganiserCannotOpen", opens, func() error { _, err := e.svc.OpenVoting(org.ctx, dec.ID); return err }, errs.Forbidden, "opens and closes on time"},
			{"Open", opens, func() error { _, err := e.svc.OpenVoting(e.system, dec.ID); return err }, "", ""},
			{"OpenAgainIsHarmless", opens, func() error { _, err := e.svc.OpenVoting(e.system, dec.ID); return err }, "", ""},
			{"UpdateWhileVoting", opens, func() error { _, err := e.svc.Update(org.ctx, dec.ID, poll(g)); return err }, errs.Conflict, "only while"},
			{"VoteOneSecondBeforeClose", closes.Add(-time.Second), func() error { return vote(voter.ctx) }, "", ""},
			{"VoteAtCloseJobLate", closes, func() error { return vote(voter.ctx) }, errs.Conflict, "Voting closed at Tue 10 Mar 2026, 13:00 UTC"},
			{"CloseOneSecondEarly", closes.Add(-time.Second), func() error { _, err := e.svc.Close(e.system, dec.ID); return err }, errs.Conflict, "Voting closes at"},
			{"OrganiserCannotClose", closes, func() error { _, err := e.svc.Close(org.ctx, dec.ID); return err }, errs.Forbidden, ""},
			{"Close", closes, func() error { _, err := e.svc.Close(e.system, dec.ID); return err }, "", ""},
			{"CloseAgainIsIdempotent", closes.Add(time.Minute), func() error { _, err := e.svc.Close(e.system, dec.ID); return err }, "", ""},
			{"VoteAfterClose", closes.Add(time.Minute), func() error { return vote(voter.ctx) }, errs.Conflict, "Voting closed at"},
			{"WithdrawAfterClose", closes.Add(time.Minute), func() error { _, err := e.svc.Withdraw(org.ctx, dec.ID); return err }, errs.Conflict, "no longer be withdrawn"},
			{"PublishWithoutStatement", closes.Add(time.Minute), func() error { _, err := e.svc.Publish(org.ctx, dec.ID, " "); return err }, errs.Invalid, "Please correct"},
			{"MemberCannotPublish", closes.Add(time.Minute), func() error { _, err := e.svc.Publish(voter.ctx, dec.ID, "We meet at the library."); return err }, errs.Forbidden, ""},
			{"Publish", closes.Add(time.Minute), func() error { _, err := e.svc.Publish(org.ctx, dec.ID, "We meet at the library."); return err }, "", ""},
			{"PublishTwice", closes.Add(time.Minute), func() error { _, err := e.svc.Publish(org.ctx, dec.ID, "Again."); return err }, errs.Conflict, "Only a closed"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				e.clock.Set(st.at)
				err := st.do()
				wantCode(t, err, st.code)
				if st.msg != "" {
					wantMessage(t, err, st.msg)
				}
			})
		}
		got, err := e.svc.Get(voter.ctx, dec.ID)
		wantCode(t, err, "")
		if got.Status != StatusPublished || got.Outcome != "We meet at the library." || got.Turnout != 1 || got.ElectorateSize != 2 {
			t.Fatalf("published decision: status %s, outcome %q, turnout %d of %d; want published, the statement, 1 of 2",
				got.Status, got.Outcome, got.Turnout, got.ElectorateSize)
		}
	})
}

// TestAdvanceDue proves the job's work: nothing happens before the times,
// voting opens at opens_at and closes at closes_at.
func TestAdvanceDue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org := e.member(t, "Olu Organiser")
		e.join(t, g, org, "organiser")
		dec := e.create(t, org, poll(g))
		if _, err := e.svc.StartDiscussion(org.ctx, dec.ID); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name           string
			at             time.Time
			opened, closed int
			status         Status
		}{
			{"BeforeOpening", dec.OpensAt.Add(-time.Second), 0, 0, StatusDiscussion},
			{"AtOpening", dec.OpensAt, 1, 0, StatusVoting},
			{"BeforeClosing", dec.ClosesAt.Add(-time.Second), 0, 0, StatusVoting},
			{"AtClosing", dec.ClosesAt, 0, 1, StatusClosed},
			{"Later", dec.ClosesAt.Add(time.Hour), 0, 0, StatusClosed},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.clock.Set(c.at)
				o, cl, err := e.svc.AdvanceDue(e.system)
				wantCode(t, err, "")
				got, _ := e.svc.Get(org.ctx, dec.ID)
				if o != c.opened || cl != c.closed || got.Status != c.status {
					t.Fatalf("opened %d, closed %d, status %s; want %d, %d, %s", o, cl, got.Status, c.opened, c.closed, c.status)
				}
			})
		}
		_, _, err := e.svc.AdvanceDue(org.ctx)
		wantCode(t, err, errs.Forbidden)
	})
}

// TestWithdraw: the author may withdraw while voting is open; the ballots
// waiting sealed are dropped; nobody may vote in a withdrawn decision.
func TestWithdraw(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		author, other := e.member(t, "Ann Author"), e.member(t, "Otto Other")
		e.join(t, g, author, "member")
		e.join(t, g, other, "member")
		dec := e.open(t, author, poll(g))
		e.vote(t, dec, author, Choice{Option: 2})
		_, err := e.svc.Withdraw(other.ctx, dec.ID)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Withdraw(author.ctx, dec.ID)
		wantCode(t, err, "")
		if n := e.cast(t, dec.ID); n != 0 {
			t.Errorf("%d ballots kept after the withdrawal, want none", n)
		}
		_, err = e.svc.Vote(other.ctx, dec.ID, e.token(other.ctx, dec.ID), Choice{Option: 1})
		wantCode(t, err, errs.Conflict)
		wantMessage(t, err, "withdrawn")
	})
}
