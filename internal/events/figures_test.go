package events

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestFigures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		orgB := e.person(t, "Isla Organiser", auth.RoleMember)
		e.join(t, islington, orgB, "organiser")

		meeting := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		in := e.meeting(hackney, 0)
		in.Kind = KindCanvass
		canvass := e.mustCreate(t, org.ctx, in)
		other := e.mustCreate(t, orgB.ctx, e.meeting(islington, 0))
		future := e.meeting(hackney, 0)
		future.Start, future.End = future.Start.AddDate(0, 2, 0), future.End.AddDate(0, 2, 0)
		e.mustCreate(t, org.ctx, future) // not over by the time of the figures: left out

		// Three say yes to the meeting, two come, and a walk-in who is new.
		var yes []person
		for _, n := range []string{"Ann A", "Ben B", "Cat C"} {
			p := e.person(t, n, auth.RoleSupporter)
			yes = append(yes, p)
			if _, err := e.svc.RSVP(p.ctx, meeting.ID, RSVPInput{Status: Accepted}); err != nil {
				t.Fatal(err)
			}
		}
		walkIn := e.person(t, "Wes Walkin", auth.RoleSupporter)
		if _, err := d.Exec(e.anyone, `UPDATE people SET source = 'event', source_detail = ? WHERE id = ?`, meeting.ID, walkIn.PersonID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{yes[0].PersonID, yes[1].PersonID, walkIn.PersonID} {
			if err := e.svc.CheckIn(org.ctx, meeting.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.RSVP(yes[0].ctx, canvass.ID, RSVPInput{Status: Accepted}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RSVP(yes[2].ctx, other.ID, RSVPInput{Status: Accepted}); err != nil {
			t.Fatal(err)
		}
		e.now = e.now.AddDate(0, 0, 14) // the three events are over

		f, err := e.svc.Figures(org.ctx, FiguresFilter{GroupID: hackney, From: e.now.AddDate(0, -1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		// Meeting: 3 yes + the walk-in checked in = 4 accepted, 3 attended, 1 new.
		// Canvass: 1 accepted, 0 attended.
		want := FigureRow{Key: "total", Label: "All events", Events: 2, Accepted: 5, Attended: 3, New: 1}
		if f.Total != want || f.Total.Turnout() != 60 || f.Total.NewPerEvent() != "0.5" {
			t.Fatalf("total %+v (turnout %d%%), want %+v (60%%)", f.Total, f.Total.Turnout(), want)
		}
		if len(f.ByKind) != 2 || f.ByKind[0].Label != "Meeting" || f.ByKind[0].Attended != 3 || f.ByKind[1].Label != "Canvass" {
			t.Errorf("by kind %+v", f.ByKind)
		}
		if len(f.ByGroup) != 1 || f.ByGroup[0].Key != hackney || f.ByGroup[0].Label != "hackney" {
			t.Errorf("by group %+v", f.ByGroup)
		}
		if len(f.ByMonth) != 1 || f.ByMonth[0].Label != "March 2026" {
			t.Errorf("by month %+v", f.ByMonth)
		}

		network, err := e.svc.Figures(e.admin.ctx, FiguresFilter{From: e.now.AddDate(0, -1, 0)})
		if err != nil || network.Total.Events != 3 || len(network.ByGroup) != 2 {
			t.Fatalf("network figures %+v, %v", network, err)
		}
		_, err = e.svc.Figures(orgB.ctx, FiguresFilter{GroupID: hackney})
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Figures(org.ctx, FiguresFilter{})
		wantCode(t, err, errs.Forbidden)
		_ = time.Now
	})
}
