package decisions

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestNominations: with a threshold of 2, a nomination by another member
// plus one seconder makes a candidate; a self-nomination with one
// seconder does not; supporters may not nominate; candidates become the
// ballot's options when voting opens.
func TestNominations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org := e.member(t, "Olu Organiser")
		e.join(t, g, org, "organiser")
		ann, bob, cat, dan := e.member(t, "Ann Ash"), e.member(t, "Bob Birch"), e.member(t, "Cat Cedar"), e.member(t, "Dan Doe")
		sup := e.person(t, "Sam Supporter", auth.RoleSupporter, "supporter", time.Time{})
		for _, p := range []person{ann, bob, cat, dan, sup} {
			e.join(t, g, p, "member")
		}
		dec := e.create(t, org, Input{GroupID: g, Title: "Officers", Kind: KindElection, Seats: 1,
			NominationThreshold: 2, Electorate: Electorate{MembersOnly: true}})
		_, err := e.svc.Nominate(ann.ctx, dec.ID, NominationInput{Statement: "Me!"})
		wantCode(t, err, errs.Conflict) // nominations not open yet
		if _, err := e.svc.OpenNominations(org.ctx, dec.ID); err != nil {
			t.Fatal(err)
		}
		annNom, err := e.svc.Nominate(bob.ctx, dec.ID, NominationInput{PersonID: ann.PersonID, Statement: "Ann organises the tenants."})
		wantCode(t, err, "")
		self, err := e.svc.Nominate(cat.ctx, dec.ID, NominationInput{Statement: "I stand."})
		wantCode(t, err, "")
		steps := []struct {
			name string
			do   func() error
			code errs.Code
		}{
			{"SecondAnn", func() error { _, err := e.svc.Second(dan.ctx, dec.ID, annNom.ID); return err }, ""},
			{"SecondAnnAgain", func() error { _, err := e.svc.Second(dan.ctx, dec.ID, annNom.ID); return err }, ""},
			{"SecondOwn", func() error { _, err := e.svc.Second(cat.ctx, dec.ID, self.ID); return err }, errs.Invalid},
			{"SecondCat", func() error { _, err := e.svc.Second(dan.ctx, dec.ID, self.ID); return err }, ""},
			{"NominateTwice", func() error {
				_, err := e.svc.Nominate(dan.ctx, dec.ID, NominationInput{PersonID: ann.PersonID})
				return err
			}, errs.Conflict},
			{"SupporterCannotNominate", func() error { _, err := e.svc.Nominate(sup.ctx, dec.ID, NominationInput{}); return err }, errs.Forbidden},
			{"SupporterCannotStand", func() error {
				_, err := e.svc.Nominate(dan.ctx, dec.ID, NominationInput{PersonID: sup.PersonID})
				return err
			}, errs.Invalid},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) { wantCode(t, s.do(), s.code) })
		}
		noms, err := e.svc.Nominations(org.ctx, dec.ID)
		wantCode(t, err, "")
		if len(noms) != 2 || noms[0].Name != "Ann Ash" || noms[0].Support != 2 || noms[1].Support != 1 {
			t.Fatalf("nominations %+v, want Ann with 2 supporters and Cat with 1", noms)
		}
		e.clock.Set(dec.OpensAt)
		opened, err := e.svc.OpenVoting(e.system, dec.ID)
		wantCode(t, err, "")
		if len(opened.Options) != 1 || opened.Options[0].Label != "Ann Ash" || opened.Options[0].PersonID != ann.PersonID ||
			opened.Options[0].Description != "Ann organises the tenants." {
			t.Fatalf("candidates %+v, want Ann alone, with her statement", opened.Options)
		}
	})
}
