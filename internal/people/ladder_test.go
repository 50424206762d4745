package people

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func (e *env) ladder(t *testing.T, id string) string {
	t.Helper()
	p, err := e.svc.Get(e.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Ladder
}

func (e *env) participate(t *testing.T, id string, at time.Time) {
	t.Helper()
	err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		return e.svc.RecordAction(context.Background(), tx, Action{PersonID: id, Kind: "event.attended",
			Summary: "Attended the Hackney meeting", RefType: "event", RefID: "ev1", At: at, Participation: true})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLadder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		t.Run("Supporter", func(t *testing.T) {
			p := e.named(t, "Sam", "Supporter")
			if got := e.ladder(t, p.ID); got != LadderSupporter {
				t.Fatalf("ladder = %s", got)
			}
		})
		t.Run("DonorViaDonation", func(t *testing.T) {
			p := e.named(t, "Dee", "Donor")
			d := Donation{AmountPence: 2500, DonatedAt: e.clock.Now().AddDate(0, -2, 0), Source: "stripe", ExternalID: "ch_1"}
			if err := e.svc.AddDonation(e.admin, p.ID, d); err != nil {
				t.Fatal(err)
			}
			if got := e.ladder(t, p.ID); got != LadderDonor {
				t.Fatalf("ladder = %s", got)
			}
			// The same external id again records nothing.
			if err := e.svc.AddDonation(e.admin, p.ID, d); err != nil {
				t.Fatal(err)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM donations WHERE person_id = ?`, p.ID); n != 1 {
				t.Fatalf("%d donations", n)
			}
			wantField(t, e.svc.AddDonation(e.admin, p.ID, Donation{AmountPence: 0}), "amount_pence", "above zero")
			wantCode(t, e.svc.AddDonation(as("x", auth.RoleMember), p.ID, Donation{AmountPence: 1}), errs.Forbidden)
		})
		t.Run("MemberViaMembership", func(t *testing.T) {
			p := e.named(t, "Mo", "Member")
			if err := e.svc.SetMembership(e.admin, p.ID, StatusMember); err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Get(e.admin, p.ID)
			if got.Ladder != LadderMember || got.MemberSince == nil || !got.MemberSince.Equal(e.clock.Now()) {
				t.Fatalf("ladder %s since %v", got.Ladder, got.MemberSince)
			}
			e.clock.Advance(24 * time.Hour)
			if err := e.svc.SetMembership(e.admin, p.ID, StatusLapsed); err != nil {
				t.Fatal(err)
			}
			got, _ = e.svc.Get(e.admin, p.ID)
			if got.Ladder != LadderSupporter || got.LapsedAt == nil || got.MemberSince == nil {
				t.Fatalf("lapsed: ladder %s lapsed %v since %v", got.Ladder, got.LapsedAt, got.MemberSince)
			}
			acts, _ := e.svc.Timeline(e.admin, p.ID, "", 10)
			if n := countKind(acts, "membership.changed"); n != 2 {
				t.Fatalf("%d membership changes on the timeline", n)
			}
			wantField(t, e.svc.SetMembership(e.admin, p.ID, "honorary"), "status", "supporter, member or lapsed")
		})
		t.Run("ActiveViaParticipationThenLapses", func(t *testing.T) {
			p := e.named(t, "Ari", "Active")
			if err := e.svc.SetMembership(e.admin, p.ID, StatusMember); err != nil {
				t.Fatal(err)
			}
			e.participate(t, p.ID, e.clock.Now().Add(-time.Hour))
			got, _ := e.svc.Get(e.admin, p.ID)
			if got.Ladder != LadderActive || got.LastActiveAt == nil {
				t.Fatalf("ladder %s last active %v", got.Ladder, got.LastActiveAt)
			}
			e.clock.Advance(89 * 24 * time.Hour)
			if _, err := e.svc.RecomputeLadders(e.admin); err != nil {
				t.Fatal(err)
			}
			if got := e.ladder(t, p.ID); got != LadderActive {
				t.Fatalf("after 89 days ladder = %s, want active", got)
			}
			e.clock.Advance(2 * 24 * time.Hour)
			n, err := e.svc.RecomputeLadders(e.admin)
			if err != nil || n < 1 {
				t.Fatalf("recompute moved %d, %v", n, err)
			}
			if got := e.ladder(t, p.ID); got != LadderMember {
				t.Fatalf("after 91 days ladder = %s, want member", got)
			}
			acts, _ := e.svc.Timeline(e.admin, p.ID, "", 50)
			if acts[0].Kind != "ladder.changed" || acts[0].Summary != "active → member" {
				t.Fatalf("latest action %+v", acts[0])
			}
			_, err = e.svc.RecomputeLadders(as("x", auth.RoleMember))
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("OldParticipationIsNotActive", func(t *testing.T) {
			p := e.named(t, "Old", "Timer")
			e.participate(t, p.ID, e.clock.Now().AddDate(-1, 0, 0))
			if got := e.ladder(t, p.ID); got != LadderSupporter {
				t.Fatalf("ladder = %s", got)
			}
		})
		t.Run("OrganiserViaRefreshLaddersTx", func(t *testing.T) {
			p := e.named(t, "Ora", "Organiser")
			e.join(t, e.group(t, "refresh-group"), p.ID, "organiser", "active")
			if got := e.ladder(t, p.ID); got != LadderSupporter {
				t.Fatalf("before refresh ladder = %s", got)
			}
			err := d.InTx(context.Background(), func(tx *db.Tx) error { return e.svc.RefreshLaddersTx(context.Background(), tx, p.ID) })
			if err != nil {
				t.Fatal(err)
			}
			if got := e.ladder(t, p.ID); got != LadderOrganiser {
				t.Fatalf("ladder = %s", got)
			}
		})
		t.Run("OrganiserViaGroupMembers", func(t *testing.T) {
			p := e.named(t, "Ola", "Organiser")
			e.join(t, e.group(t, "ladder-group"), p.ID, "organiser", "active")
			if _, err := e.svc.RecomputeLadders(e.admin); err != nil {
				t.Fatal(err)
			}
			if got := e.ladder(t, p.ID); got != LadderOrganiser {
				t.Fatalf("ladder = %s", got)
			}
		})
	})
}

func countKind(as []Action, kind string) int {
	n := 0
	for _, a := range as {
		if a.Kind == kind {
			n++
		}
	}
	return n
}

func TestTimeline(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.named(t, "Tim", "Line")
		base := e.clock.Now().Add(-10 * 24 * time.Hour)
		for i := range 7 {
			err := d.InTx(context.Background(), func(tx *db.Tx) error {
				return e.svc.RecordAction(context.Background(), tx, Action{PersonID: p.ID, Kind: "decision.voted",
					Summary: "Voted", At: base.Add(time.Duration(i) * time.Hour)})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// One action at the very time the person was added: it sorts above
		// the entry of how they came, which sorts below every action of its time.
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return e.svc.RecordAction(context.Background(), tx, Action{PersonID: p.ID, Kind: "decision.voted",
				Summary: "Voted", At: p.CreatedAt})
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("PagesNewestFirst", func(t *testing.T) {
			for _, size := range []int{1, 2, 3, 8, 9, 10} {
				var all []Action
				before := ""
				for range 20 {
					page, err := e.svc.Timeline(e.admin, p.ID, before, size)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, page...)
					if len(page) < size {
						break
					}
					before = page[len(page)-1].ID
				}
				// 7 votes in the past, the vote at the time they were added,
				// then how they came: 9 entries, each once.
				if len(all) != 9 {
					t.Fatalf("pages of %d: %d entries, want 9", size, len(all))
				}
				if all[0].At != p.CreatedAt || all[0].Kind != "decision.voted" {
					t.Errorf("pages of %d: first entry %+v, want the vote at the time they were added", size, all[0])
				}
				if a := all[1]; a.Kind != KindAdded || a.ID != p.ID || a.At != p.CreatedAt || a.Summary != "Added by hand" {
					t.Errorf("pages of %d: second entry %+v, want how they came (%s, Added by hand)", size, a, KindAdded)
				}
				for i := 2; i < len(all); i++ {
					if !all[i].At.Before(all[i-1].At) || all[i].Kind == KindAdded {
						t.Fatalf("pages of %d: not newest first at %d", size, i)
					}
				}
			}
		})
		t.Run("ImportedSaysFromWhere", func(t *testing.T) {
			if got := addedEntry(&Person{Source: SourceImport, SourceDetail: "petition.csv"}).Summary; got != "Imported from petition.csv" {
				t.Errorf("summary %q", got)
			}
			now := time.Now()
			if got := addedEntry(&Person{Source: SourceImport, SourceDetail: "petition.csv", ErasedAt: &now}).Summary; got != "" {
				t.Errorf("an erased person's entry keeps %q", got)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			err := d.InTx(context.Background(), func(tx *db.Tx) error {
				return e.svc.RecordAction(context.Background(), tx, Action{PersonID: p.ID})
			})
			wantField(t, err, "kind", "kind of action")
			err = d.InTx(context.Background(), func(tx *db.Tx) error {
				return e.svc.RecordAction(context.Background(), tx, Action{PersonID: "nobody", Kind: "x"})
			})
			wantCode(t, err, errs.NotFound)
		})
		t.Run("ErrMemberCannotRead", func(t *testing.T) {
			_, err := e.svc.Timeline(as("x", auth.RoleMember), p.ID, "", 10)
			wantCode(t, err, errs.NotFound)
		})
	})
}
