package messaging_test

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestOrganiserReachesOnlyTheirGroup: an organiser of group A cannot
// write, count, preview or send to people outside A by any target, and
// cannot see or control B's broadcasts; a supporter can do nothing.
func TestOrganiserReachesOnlyTheirGroup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		a, b := e.group(t, "Hackney"), e.group(t, "Bristol")
		orgA := e.organiser(t, "Olu Organiser", a)
		supporter := e.account(t, "Sam Supporter", auth.RoleSupporter)
		e.join(t, a, supporter.PersonID, "member")
		inA := []string{e.person(t, "Ann One", true), e.person(t, "Bob Two", true)}
		for _, id := range inA {
			e.join(t, a, id, "member")
		}
		inB := []string{e.person(t, "Cat Three", true), e.person(t, "Dan Four", true)}
		for _, id := range inB {
			e.join(t, b, id, "member")
		}
		for _, id := range append(append([]string{}, inA...), inB...) {
			e.tag(t, id, "volunteer")
		}
		listB, err := e.s.People.SaveList(e.admin.ctx, "Bristol all", people.Filter{GroupID: b})
		if err != nil {
			t.Fatal(err)
		}
		listNet, err := e.s.People.SaveList(e.admin.ctx, "Everyone", people.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		// An event of B that people of A and B said yes to.
		day := time.Now().AddDate(0, 0, 7)
		ev, err := e.s.Events.Create(e.admin.ctx, events.Input{GroupID: b, Title: "Joint meeting", Kind: events.KindMeeting,
			Start: day, End: day.Add(2 * time.Hour), Place: events.Place{Name: "Hall", Postcode: "BS1 4DJ"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{inA[0], inB[0], inB[1]} {
			if _, err := e.s.Events.RSVP(e.admin.ctx, ev.ID, events.RSVPInput{PersonID: id, Status: "accepted"}); err != nil {
				t.Fatal(err)
			}
		}
		dec, err := e.s.Decisions.Create(e.admin.ctx, decisions.Input{Title: "Network policy", Kind: decisions.KindProposal,
			Electorate: decisions.Electorate{Scope: decisions.ScopeNetwork}})
		if err != nil {
			t.Fatal(err)
		}

		forbidden := map[string]messaging.Input{
			"SendForB":      mail(b),
			"GroupB":        mail(a, messaging.Target{Kind: messaging.TargetGroup, ID: b}),
			"ListOfB":       mail(a, messaging.Target{Kind: messaging.TargetList, ID: listB.ID}),
			"NetworkList":   mail(a, messaging.Target{Kind: messaging.TargetList, ID: listNet.ID}),
			"FilterNoGroup": mail(a, messaging.Target{Kind: messaging.TargetFilter, Query: "tags=volunteer"}),
			"FilterOfB":     mail(a, messaging.Target{Kind: messaging.TargetFilter, Query: "group=" + b}),
			"AlsoGroupB":    mail(a, messaging.Target{Kind: messaging.TargetGroup, ID: a}, messaging.Target{Kind: messaging.TargetGroup, ID: b}),
			"Network":       mail("", messaging.Target{Kind: messaging.TargetTag, Name: "volunteer"}),
		}
		for name, in := range forbidden {
			t.Run(name, func(t *testing.T) {
				_, err := e.svc.Create(orgA.ctx, in)
				wantCode(t, err, errs.Forbidden)
				_, err = e.svc.Count(orgA.ctx, in)
				wantCode(t, err, errs.Forbidden)
				_, err = e.svc.Preview(orgA.ctx, in, "")
				wantCode(t, err, errs.Forbidden)
			})
		}
		// Targets beyond the group reach only its members.
		limited := map[string]struct {
			in   messaging.Input
			want int
		}{
			"Tag":      {mail(a, messaging.Target{Kind: messaging.TargetTag, Name: "volunteer"}), 2},
			"Event":    {mail(a, messaging.Target{Kind: messaging.TargetEvent, ID: ev.ID}), 1},
			"Decision": {mail(a, messaging.Target{Kind: messaging.TargetDecision, ID: dec.ID}), 4}, // Ann, Bob, Sam, Olu
		}
		for name, c := range limited {
			t.Run("Limited"+name, func(t *testing.T) {
				n, err := e.svc.Count(orgA.ctx, c.in)
				if err != nil || n != c.want {
					t.Fatalf("count = %d, %v; want %d", n, err, c.want)
				}
				// The same targets sent by an admin for the network reach B too.
				c.in.GroupID = ""
				all, err := e.svc.Count(e.admin.ctx, c.in)
				if err != nil || all <= n {
					t.Fatalf("admin's count = %d, %v; want more than %d", all, err, n)
				}
			})
		}
		if n, err := e.svc.Count(orgA.ctx, mail(a, messaging.Target{Kind: messaging.TargetFilter, Query: "group=" + a + "&tags=volunteer"})); err != nil || n != 2 {
			t.Errorf("filter of A: %d, %v; want 2", n, err)
		}
		t.Run("SendingFixesOnlyMembers", func(t *testing.T) {
			bc := e.mustCreate(t, orgA.ctx, limited["Tag"].in)
			started, err := e.svc.Send(orgA.ctx, bc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if started.Recipients != 2 {
				t.Errorf("fixed %d recipients, want 2", started.Recipients)
			}
			var outside int
			if err := d.QueryRow(e.sys, `SELECT COUNT(*) FROM broadcast_recipients r WHERE r.broadcast_id = ?
				AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = r.person_id)`, bc.ID, a).Scan(&outside); err != nil {
				t.Fatal(err)
			}
			if outside != 0 {
				t.Errorf("%d recipients outside the group", outside)
			}
		})
		t.Run("BroadcastsOfB", func(t *testing.T) {
			bb := e.mustCreate(t, e.admin.ctx, mail(b))
			if _, err := e.svc.Get(orgA.ctx, bb.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("get: %v", err)
			}
			for name, act := range map[string]func() error{
				"Update":   func() error { _, err := e.svc.Update(orgA.ctx, bb.ID, mail(a)); return err },
				"Send":     func() error { _, err := e.svc.Send(orgA.ctx, bb.ID); return err },
				"Schedule": func() error { _, err := e.svc.Schedule(orgA.ctx, bb.ID, time.Now().Add(time.Hour)); return err },
				"Pause":    func() error { _, err := e.svc.Pause(orgA.ctx, bb.ID); return err },
				"Resume":   func() error { _, err := e.svc.Resume(orgA.ctx, bb.ID); return err },
				"Cancel":   func() error { _, err := e.svc.Cancel(orgA.ctx, bb.ID); return err },
				"Stats":    func() error { _, err := e.svc.Stats(orgA.ctx, bb.ID); return err },
				"TestSend": func() error { return e.svc.TestSend(orgA.ctx, bb.ID) },
				"Approve":  func() error { _, err := e.svc.Approve(orgA.ctx, bb.ID); return err },
			} {
				if err := act(); !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: %v, want not found", name, err)
				}
			}
			list, _, err := e.svc.List(orgA.ctx, messaging.ListFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				if x.GroupID != a {
					t.Errorf("organiser of A lists a broadcast of %q", x.GroupID)
				}
			}
			if _, _, err := e.svc.List(orgA.ctx, messaging.ListFilter{GroupID: b}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("list B: %v", err)
			}
			if err := e.svc.SaveSettings(orgA.ctx, messaging.Settings{}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("save settings: %v", err)
			}
		})
		t.Run("Supporter", func(t *testing.T) {
			own := e.mustCreate(t, orgA.ctx, mail(a))
			for name, act := range map[string]func() error{
				"CreateNetwork": func() error {
					_, err := e.svc.Create(supporter.ctx, mail("", messaging.Target{Kind: messaging.TargetGroup, ID: a}))
					return err
				},
				"CreateGroup":  func() error { _, err := e.svc.Create(supporter.ctx, mail(a)); return err },
				"Count":        func() error { _, err := e.svc.Count(supporter.ctx, mail(a)); return err },
				"Preview":      func() error { _, err := e.svc.Preview(supporter.ctx, mail(a), ""); return err },
				"List":         func() error { _, _, err := e.svc.List(supporter.ctx, messaging.ListFilter{}); return err },
				"Settings":     func() error { _, err := e.svc.Settings(supporter.ctx); return err },
				"SaveSettings": func() error { return e.svc.SaveSettings(supporter.ctx, messaging.Settings{Track: true}) },
			} {
				if err := act(); !errs.Is(err, errs.Forbidden) {
					t.Errorf("%s: %v, want forbidden", name, err)
				}
			}
			for name, act := range map[string]func() error{
				"Get":    func() error { _, err := e.svc.Get(supporter.ctx, own.ID); return err },
				"Send":   func() error { _, err := e.svc.Send(supporter.ctx, own.ID); return err },
				"Cancel": func() error { _, err := e.svc.Cancel(supporter.ctx, own.ID); return err },
			} {
				if err := act(); !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: %v, want not found", name, err)
				}
			}
		})
	})
}
