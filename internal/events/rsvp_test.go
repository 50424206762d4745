package events

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestWaitlist: ten places, fifty people saying yes at once: exactly ten
// get a place and forty wait, in the order they asked; when one of the ten
// drops out, the first waiting gets the place and is told.
func TestWaitlist(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 10))

		people := make([]person, 50)
		for i := range people {
			people[i] = e.person(t, fmt.Sprintf("Person %02d", i), auth.RoleSupporter)
		}
		var wg sync.WaitGroup
		results := make([]*RSVP, len(people))
		errors := make([]error, len(people))
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errors[i] = e.svc.RSVP(p.ctx, ev.ID, RSVPInput{Status: Accepted, Source: "event page"})
			}()
		}
		wg.Wait()
		accepted, waiting := 0, 0
		for i, r := range results {
			if errors[i] != nil {
				t.Fatalf("RSVP %d: %v", i, errors[i])
			}
			switch r.Status {
			case Accepted:
				accepted++
			case Waitlisted:
				waiting++
			}
		}
		if accepted != 10 || waiting != 40 {
			t.Fatalf("answers said %d accepted and %d waitlisted, want 10 and 40", accepted, waiting)
		}
		got, err := e.svc.Get(e.anyone, ev.ID)
		if err != nil || got.Accepted != 10 || got.Waitlisted != 40 || !got.Full() {
			t.Fatalf("stored: %d accepted, %d waiting (%v)", got.Accepted, got.Waitlisted, err)
		}

		list, err := e.svc.RSVPs(org.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		var firstWaiting, secondWaiting, someAccepted string
		for _, r := range list {
			switch {
			case r.Status == Accepted && someAccepted == "":
				someAccepted = r.PersonID
			case r.Status == Waitlisted && firstWaiting == "":
				firstWaiting = r.PersonID
			case r.Status == Waitlisted && secondWaiting == "":
				secondWaiting = r.PersonID
			}
		}
		var leaver person
		for _, p := range people {
			if p.PersonID == someAccepted {
				leaver = p
			}
		}
		// Saying yes again keeps a waiting person's place in the queue.
		for _, p := range people {
			if p.PersonID == secondWaiting {
				if r, err := e.svc.RSVP(p.ctx, ev.ID, RSVPInput{Status: Accepted}); err != nil || r.Status != Waitlisted {
					t.Fatalf("second in the queue says yes again: %+v %v", r, err)
				}
			}
		}
		if _, err := e.svc.RSVP(leaver.ctx, ev.ID, RSVPInput{Status: Declined}); err != nil {
			t.Fatal(err)
		}
		list, err = e.svc.RSVPs(org.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]string{}
		for _, r := range list {
			status[r.PersonID] = r.Status
		}
		if status[firstWaiting] != Accepted || status[someAccepted] != Declined || status[secondWaiting] != Waitlisted {
			t.Fatalf("after one dropped out: first waiting %s, leaver %s, second waiting %s",
				status[firstWaiting], status[someAccepted], status[secondWaiting])
		}
		if len(e.told.told) != 1 || e.told.told[0] != firstWaiting {
			t.Fatalf("told %v, want only the first waiting (%s)", e.told.told, firstWaiting)
		}
		if got, _ := e.svc.Get(e.anyone, ev.ID); got.Accepted != 10 || got.Waitlisted != 39 {
			t.Fatalf("after the promotion: %d accepted, %d waiting", got.Accepted, got.Waitlisted)
		}

		// The order people asked in, not the order of their ids: four people
		// ask for a one-place event a minute apart, the last-created first,
		// and each time the place frees the next in asking order gets it.
		small := e.mustCreate(t, org.ctx, e.meeting(hackney, 1))
		holder := e.person(t, "Hana Holder", auth.RoleSupporter)
		late := make([]person, 4)
		for i := range late {
			late[len(late)-1-i] = e.person(t, fmt.Sprintf("Late %d", len(late)-1-i), auth.RoleSupporter)
		}
		start := e.now
		defer func() { e.now = start }()
		for _, p := range append([]person{holder}, late...) {
			e.now = e.now.Add(time.Minute)
			if _, err := e.svc.RSVP(p.ctx, small.ID, RSVPInput{Status: Accepted}); err != nil {
				t.Fatal(err)
			}
		}
		e.told.reset()
		for _, p := range append([]person{holder}, late[:len(late)-1]...) {
			e.now = e.now.Add(time.Minute)
			if _, err := e.svc.RSVP(p.ctx, small.ID, RSVPInput{Status: Declined}); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		for _, p := range late {
			want = append(want, p.PersonID)
		}
		if !slices.Equal(e.told.told, want) {
			t.Fatalf("places went to %v, want the order they asked in %v", e.told.told, want)
		}
	})
}

func TestRSVPRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		orgB := e.person(t, "Isla Organiser", auth.RoleMember)
		e.join(t, islington, orgB, "organiser")
		sam := e.person(t, "Sam Supporter", auth.RoleSupporter)
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))

		t.Run("ErrAnonymous", func(t *testing.T) {
			_, err := e.svc.RSVP(e.anyone, ev.ID, RSVPInput{Status: Accepted})
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("ErrBadStatus", func(t *testing.T) {
			_, err := e.svc.RSVP(sam.ctx, ev.ID, RSVPInput{Status: "perhaps"})
			if errs.FieldsOf(err)["status"] == "" {
				t.Fatalf("error %v", err)
			}
		})
		t.Run("ErrForSomeoneElse", func(t *testing.T) {
			_, err := e.svc.RSVP(sam.ctx, ev.ID, RSVPInput{Status: Accepted, PersonID: org.PersonID})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrOtherGroupsOrganiser", func(t *testing.T) {
			_, err := e.svc.RSVP(orgB.ctx, ev.ID, RSVPInput{Status: Accepted, PersonID: sam.PersonID})
			wantCode(t, err, errs.Forbidden)
			wantCode(t, e.svc.CheckIn(orgB.ctx, ev.ID, sam.PersonID), errs.Forbidden)
			_, err = e.svc.RSVPs(orgB.ctx, ev.ID)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.RSVPs(sam.ctx, ev.ID)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("CheckInRecordsAttendance", func(t *testing.T) {
			if _, err := e.svc.RSVP(sam.ctx, ev.ID, RSVPInput{Status: Tentative}); err != nil {
				t.Fatal(err)
			}
			for range 2 { // twice: checked in once
				if err := e.svc.CheckIn(org.ctx, ev.ID, sam.PersonID); err != nil {
					t.Fatal(err)
				}
			}
			var n int
			if err := d.QueryRow(e.anyone, `SELECT COUNT(*) FROM person_actions WHERE person_id = ? AND kind = 'event.attended' AND participation`,
				sam.PersonID).Scan(&n); err != nil || n != 1 {
				t.Fatalf("%d attendance actions (%v), want 1", n, err)
			}
			rs, _ := e.svc.RSVPs(org.ctx, ev.ID)
			if len(rs) != 1 || rs[0].Status != Accepted || rs[0].AttendedAt == nil {
				t.Fatalf("after check-in: %+v", rs)
			}
		})
		t.Run("ErrCancelled", func(t *testing.T) {
			if err := e.svc.Cancel(org.ctx, ev.ID); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.RSVP(sam.ctx, ev.ID, RSVPInput{Status: Accepted})
			wantCode(t, err, errs.Conflict)
			wantCode(t, e.svc.Cancel(org.ctx, ev.ID), errs.Conflict)
		})
	})
}
