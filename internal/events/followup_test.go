package events

import (
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestFollowUps: after an event ends, the people checked in are thanked,
// once; no-shows and those at events still running or cancelled are not.
func TestFollowUps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		sam := e.person(t, "Sam Supporter", auth.RoleSupporter)
		nia := e.person(t, "Nia Noshow", auth.RoleSupporter)
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		later := e.meeting(hackney, 0)
		later.Start, later.End = later.Start.AddDate(0, 0, 7), later.End.AddDate(0, 0, 7)
		next := e.mustCreate(t, org.ctx, later)
		for _, id := range []string{ev.ID, next.ID} {
			for _, p := range []person{sam, nia} {
				if _, err := e.svc.RSVP(p.ctx, id, RSVPInput{Status: Accepted}); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.svc.CheckIn(org.ctx, id, sam.PersonID); err != nil {
				t.Fatal(err)
			}
		}
		walkIn, err := e.svc.AddWalkIn(org.ctx, ev.ID, Guest{Name: "Wally Walkin", Email: "wally@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.WithSystem(e.anyone)

		_, err = e.svc.SendFollowUps(org.ctx)
		wantCode(t, err, errs.Forbidden)
		if n, err := e.svc.SendFollowUps(sys); err != nil || n != 0 || len(e.told.thanked) != 0 {
			t.Fatalf("before the event ends: %d followed up, thanked %v (%v)", n, e.told.thanked, err)
		}
		e.now = ev.End.Add(time.Minute)
		if n, err := e.svc.SendFollowUps(sys); err != nil || n != 1 {
			t.Fatalf("after it ends: %d followed up (%v)", n, err)
		}
		got := slices.Clone(e.told.thanked)
		slices.Sort(got)
		want := []string{sam.PersonID, walkIn}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("thanked %v, want Sam and the walk-in %v (not the no-show %s)", got, want, nia.PersonID)
		}
		// The host (the organiser who made it) hears who came, who was new
		// and who said yes but stayed away.
		report, ok := e.told.reports[org.PersonID]
		wantReport := HostReport{Accepted: 3, Came: []string{"Sam Supporter", "Wally Walkin"}, New: []string{"Wally Walkin"},
			NoShows: []string{"Nia Noshow"}}
		if !ok || report.Accepted != wantReport.Accepted || !slices.Equal(report.Came, wantReport.Came) ||
			!slices.Equal(report.New, wantReport.New) || !slices.Equal(report.NoShows, wantReport.NoShows) || len(e.told.reports) != 1 {
			t.Fatalf("host reports %+v, want %+v for the host only", e.told.reports, wantReport)
		}
		if n, err := e.svc.SendFollowUps(sys); err != nil || n != 0 || len(e.told.thanked) != 2 {
			t.Fatalf("a second run: %d followed up, thanked %v (%v)", n, e.told.thanked, err)
		}
		if err := e.svc.Cancel(org.ctx, next.ID); err != nil {
			t.Fatal(err)
		}
		e.now = next.End.Add(time.Minute)
		if n, err := e.svc.SendFollowUps(sys); err != nil || n != 0 {
			t.Fatalf("a cancelled event was followed up: %d (%v)", n, err)
		}
	})
}
