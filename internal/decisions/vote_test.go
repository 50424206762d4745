package decisions

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestVoteChange: a double submission counts once and shows the same
// receipt, a second ballot form is refused, a change replaces the ballot
// (only the last counts and the old receipt finds nothing), and a wrong
// receipt or a token that is not the voter's is refused.
func TestVoteChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		v, other := e.member(t, "Vera Voter"), e.member(t, "Olly Other")
		e.join(t, g, v, "member")
		dec := e.open(t, v, poll(g))
		tok1, tok2, tok3 := e.token(v.ctx, dec.ID), e.token(v.ctx, dec.ID), e.token(v.ctx, dec.ID)
		first, err := e.svc.Vote(v.ctx, dec.ID, tok1, Choice{Option: 1})
		wantCode(t, err, "")
		var second string
		sameAs := func(want *string, got string, err error) error {
			if err == nil && got != *want {
				return fmt.Errorf("receipt %s, want %s", got, *want)
			}
			return err
		}
		stranger := GroupReceipt(e.svc.key.receiptFor(dec.ID, other.UserID, "nonce", ""))
		steps := []struct {
			name string
			do   func() error
			code errs.Code
			msg  string
		}{
			{"SameTokenAgain", func() error {
				r, err := e.svc.Vote(v.ctx, dec.ID, tok1, Choice{Option: 1})
				return sameAs(&first, r, err)
			}, "", ""},
			{"AnotherToken", func() error { _, err := e.svc.Vote(v.ctx, dec.ID, tok2, Choice{Option: 2}); return err }, errs.Conflict, "You have already voted"},
			{"NotAToken", func() error { _, err := e.svc.Vote(v.ctx, dec.ID, "12345", Choice{Option: 2}); return err }, errs.Invalid, "Please correct"},
			{"SomeoneElsesToken", func() error {
				_, err := e.svc.ChangeVote(v.ctx, dec.ID, first, e.token(other.ctx, dec.ID), Choice{Option: 2})
				return err
			}, errs.Invalid, ""},
			{"WrongOldReceipt", func() error { _, err := e.svc.ChangeVote(v.ctx, dec.ID, stranger, tok2, Choice{Option: 2}); return err }, errs.Invalid, ""},
			{"InvalidChoice", func() error { _, err := e.svc.ChangeVote(v.ctx, dec.ID, first, tok2, Choice{Option: 9}); return err }, errs.Invalid, ""},
			{"Change", func() error {
				var err error
				second, err = e.svc.ChangeVote(v.ctx, dec.ID, first, tok2, Choice{Option: 2})
				return err
			}, "", ""},
			{"ChangeRetried", func() error {
				r, err := e.svc.ChangeVote(v.ctx, dec.ID, first, tok2, Choice{Option: 2})
				return sameAs(&second, r, err)
			}, "", ""},
			{"OldReceiptSpent", func() error { _, err := e.svc.ChangeVote(v.ctx, dec.ID, first, tok3, Choice{Option: 1}); return err }, errs.Invalid, ""},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				err := s.do()
				wantCode(t, err, s.code)
				if s.msg != "" {
					wantMessage(t, err, s.msg)
				}
			})
		}
		if second == "" || second == first {
			t.Fatalf("the change gave receipt %q after %q", second, first)
		}
		e.close(t, dec)
		if n := e.count(t, `SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?`, dec.ID); n != 1 {
			t.Fatalf("%d ballots, want 1", n)
		}
		res, err := e.svc.Results(v.ctx, dec.ID)
		wantCode(t, err, "")
		if len(res.Winners) != 1 || res.Winners[0] != "Pub" {
			t.Fatalf("winners %v, want [Pub] (the changed vote)", res.Winners)
		}
		_, err = e.svc.FindBallot(v.ctx, dec.ID, first)
		wantCode(t, err, errs.NotFound)
		b, err := e.svc.FindBallot(v.ctx, dec.ID, strings.ToLower(strings.ReplaceAll(second, "-", " ")))
		wantCode(t, err, "")
		if b.Choice.Option != 2 || b.Fingerprint != Fingerprint(e.hash(t, dec.ID, second)) || b.Voter != "" {
			t.Fatalf("found %+v, want option 2 with the receipt's fingerprint and no voter", b)
		}
	})
}

// TestChangeVoteNeedsOwnReceipt: a voter who learns another voter's
// receipt code can neither replace that ballot with a second of their own
// nor pass it off as a ballot token; both ballots stay as cast.
func TestChangeVoteNeedsOwnReceipt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		ann, bob := e.member(t, "Ann Voter"), e.member(t, "Bob Voter")
		e.join(t, g, ann, "member")
		e.join(t, g, bob, "member")
		dec := e.open(t, ann, poll(g))
		e.vote(t, dec, ann, Choice{Option: 1})
		bobs := e.vote(t, dec, bob, Choice{Option: 2})

		_, err := e.svc.ChangeVote(ann.ctx, dec.ID, bobs, e.token(ann.ctx, dec.ID), Choice{Option: 1})
		wantCode(t, err, errs.Invalid)
		if errs.FieldsOf(err)["old_receipt"] == "" {
			t.Fatalf("refusal %v does not name old_receipt", err)
		}
		_, err = e.svc.Vote(ann.ctx, dec.ID, bobs, Choice{Option: 1})
		wantCode(t, err, errs.Invalid)
		if n := e.cast(t, dec.ID); n != 2 {
			t.Fatalf("%d ballots, want Ann's and Bob's", n)
		}
		e.moveAll(t, dec.ID)
		if n := e.count(t, `SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ? AND receipt_hash = ?`,
			dec.ID, e.hash(t, dec.ID, bobs)); n != 1 {
			t.Fatal("Bob's ballot is gone")
		}
		// Bob can still change his own.
		if _, err := e.svc.ChangeVote(bob.ctx, dec.ID, bobs, e.token(bob.ctx, dec.ID), Choice{Option: 1}); err != nil {
			t.Fatal(err)
		}
	})
}

func mustNormalise(t *testing.T, code string) string {
	t.Helper()
	c, err := normaliseReceipt(code, "receipt")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCrashMidVote: a failure after the voter row is written and before
// the ballot is leaves neither; the voter can then vote normally.
func TestCrashMidVote(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		v := e.member(t, "Vera Voter")
		e.join(t, g, v, "member")
		dec := e.open(t, v, poll(g))
		crash := errors.New("power cut")
		e.svc.afterVoter = func() error { return crash }
		_, err := e.svc.Vote(v.ctx, dec.ID, e.token(v.ctx, dec.ID), Choice{Option: 1})
		if !errors.Is(err, crash) {
			t.Fatalf("vote: %v, want the injected failure", err)
		}
		voters := e.count(t, `SELECT COUNT(*) FROM decision_voters WHERE decision_id = ?`, dec.ID)
		ballots := e.cast(t, dec.ID)
		if voters != 0 || ballots != 0 {
			t.Fatalf("after the failure: %d voters, %d ballots; want neither", voters, ballots)
		}
		e.svc.afterVoter = nil
		e.vote(t, dec, v, Choice{Option: 1})
		if n := e.cast(t, dec.ID); n != 1 {
			t.Fatalf("%d ballots, want 1", n)
		}
	})
}

// TestNamedVote: an open vote puts the voter on the ballot and the
// results say who voted what.
func TestNamedVote(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		a, b := e.member(t, "Amy Able"), e.member(t, "Ben Baker")
		e.join(t, g, a, "member")
		e.join(t, g, b, "member")
		in := poll(g)
		in.Named = true
		dec := e.open(t, a, in)
		e.vote(t, dec, a, Choice{Option: 1})
		e.vote(t, dec, b, Choice{Option: 2})
		e.close(t, dec)
		res, err := e.svc.Results(b.ctx, dec.ID)
		wantCode(t, err, "")
		if len(res.Named) != 2 || res.Named[0].Name != "Amy Able" || res.Named[0].Choice.Option != 1 ||
			res.Named[1].Name != "Ben Baker" || res.Named[1].Choice.Option != 2 {
			t.Fatalf("named votes %+v, want Amy 1 and Ben 2", res.Named)
		}
	})
}

// TestBallotsMoveInBatches: secret ballots wait sealed until BatchMin of
// them can move together; then one move puts them all in the box and
// records one audit row for the batch; the close moves the rest, however
// few, and counts them all.
func TestBallotsMoveInBatches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		var voters []person
		for i := range BatchMin + 3 {
			v := e.member(t, fmt.Sprintf("Voter %02d", i))
			e.join(t, g, v, "member")
			voters = append(voters, v)
		}
		dec := e.open(t, voters[0], poll(g))
		box := func() int { return e.count(t, `SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?`, dec.ID) }
		sealed := func() int { return e.count(t, `SELECT COUNT(*) FROM decision_sealed WHERE decision_id = ?`, dec.ID) }
		batches := func() int {
			return e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'decision.ballots_cast' AND target_id = ?`, dec.ID)
		}
		for i, v := range voters[:BatchMin-1] {
			e.vote(t, dec, v, Choice{Option: 1 + i%2})
		}
		if n, err := e.svc.MoveBallots(e.system); err != nil || n != 0 || box() != 0 || sealed() != BatchMin-1 {
			t.Fatalf("with %d waiting: moved %d (%v), box %d, sealed %d; want none moved", BatchMin-1, n, err, box(), sealed())
		}
		e.vote(t, dec, voters[BatchMin-1], Choice{Option: 1})
		if n, err := e.svc.MoveBallots(e.system); err != nil || n != BatchMin || box() != BatchMin || sealed() != 0 || batches() != 1 {
			t.Fatalf("with %d waiting: moved %d (%v), box %d, sealed %d, %d audit rows; want one batch of all",
				BatchMin, n, err, box(), sealed(), batches())
		}
		for _, v := range voters[BatchMin:] {
			e.vote(t, dec, v, Choice{Option: 2})
		}
		closed := e.close(t, dec)
		if box() != len(voters) || sealed() != 0 || batches() != 2 || closed.Turnout != len(voters) {
			t.Fatalf("after the close: box %d, sealed %d, %d audit rows, turnout %d; want all %d counted in two batches",
				box(), sealed(), batches(), closed.Turnout, len(voters))
		}
		if d.Dialect == db.SQLite { // SQLite: the moves' freed pages are zeroed
			var on int
			if err := d.InTx(t.Context(), func(tx *db.Tx) error { return tx.QueryRow(t.Context(), `PRAGMA secure_delete`).Scan(&on) }); err != nil || on != 1 {
				t.Errorf("secure_delete on the writer is %d (%v), want 1", on, err)
			}
		}
		if strings.Contains(e.logs.String(), "vacuum of ballots failed") { // PostgreSQL: dead rows are reclaimed at once
			t.Errorf("VACUUM failed:\n%s", e.logs.String())
		}
		res, err := e.svc.Results(voters[0].ctx, dec.ID)
		wantCode(t, err, "")
		if len(res.Winners) != 1 || res.Winners[0] != "Pub" { // 4 + 3 for the pub, 6 for the library
			t.Fatalf("winners %v, want [Pub]", res.Winners)
		}
	})
}

// TestSealedBallotsHideTheirLength: a sealed row sits beside its voter row
// (on PostgreSQL they share an xmin), so its length must not tell the
// vote: agree, disagree, block with a short reason, a first vote or a
// change, all seal to the same length.
func TestSealedBallotsHideTheirLength(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		var voters []person
		for _, name := range []string{"Ann Agree", "Dan Disagree", "Bea Block", "Abe Abstain"} {
			v := e.member(t, name)
			e.join(t, g, v, "member")
			voters = append(voters, v)
		}
		dec := e.open(t, voters[0], Input{GroupID: g, Title: "Rent a stall", Kind: KindProposal, Electorate: Electorate{MembersOnly: true}})
		e.vote(t, dec, voters[0], Choice{Position: "agree"})
		e.vote(t, dec, voters[1], Choice{Position: "disagree"})
		e.vote(t, dec, voters[2], Choice{Position: "block", Reason: "We cannot staff it."})
		r := e.vote(t, dec, voters[3], Choice{Position: "abstain"})
		if _, err := e.svc.ChangeVote(voters[3].ctx, dec.ID, r, e.token(voters[3].ctx, dec.ID), Choice{Position: "agree"}); err != nil {
			t.Fatal(err)
		}
		lengths := map[int]int{}
		for _, row := range tableRows(t, d, "decision_sealed") {
			lengths[len(row["sealed"])]++
		}
		if len(lengths) != 1 {
			t.Fatalf("sealed ballots of %v lengths (length: count), want one length", lengths)
		}
	})
}
