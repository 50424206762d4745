package events

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// TestSoonest: what is coming up, soonest first, as the viewer may see it;
// over, cancelled and hidden events left out; paged, with the total.
func TestSoonest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		at := func(days int, vis string) *Event {
			in := e.meeting(hackney, 0)
			in.Start, in.End, in.Visibility = in.Start.AddDate(0, 0, days), in.End.AddDate(0, 0, days), vis
			return e.mustCreate(t, org.ctx, in)
		}
		third, first, second := at(3, Public), at(1, Public), at(2, Public)
		group, members := at(1, Group), at(1, Members)
		called := at(4, Public)
		if err := e.svc.Cancel(org.ctx, called.ID); err != nil {
			t.Fatal(err)
		}
		over := at(-10, Public) // e.meeting is a week on: three days ago
		ids := func(es []Event) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out
		}

		got, total, err := e.svc.Soonest(context.Background(), SoonestFilter{})
		if err != nil || total != 3 || len(got) != 3 || got[0].ID != first.ID || got[1].ID != second.ID || got[2].ID != third.ID {
			t.Fatalf("visitor: %v of %d, %v; want first, second, third (not %s, %s, %s, %s)", ids(got), total, err,
				group.ID, members.ID, called.ID, over.ID)
		}
		got, total, err = e.svc.Soonest(context.Background(), SoonestFilter{Offset: 1, Limit: 1})
		if err != nil || total != 3 || len(got) != 1 || got[0].ID != second.ID {
			t.Errorf("second page of one: %v of %d, %v", ids(got), total, err)
		}
		got, total, err = e.svc.Soonest(org.ctx, SoonestFilter{})
		if err != nil || total != 5 {
			t.Errorf("the group's organiser: %v of %d, %v; want the group's and members' events too", ids(got), total, err)
		}
		_, _, err = e.svc.Soonest(org.ctx, SoonestFilter{Kinds: []string{"picnic"}})
		wantCode(t, err, errs.Invalid)
	})
}

// TestViewerHome: the viewer's point, or their district's centre; nobody,
// or no postcode, or a district the network cannot place: no home.
func TestViewerHome(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if err := geo.SetDistrict(e.anyone, d.Q(), "E8", geo.Point{Lat: 51.545, Lng: -0.056}, "outcode file"); err != nil {
			t.Fatal(err)
		}
		set := func(p person, postcode, district string, lat, lng any) {
			t.Helper()
			if _, err := d.Exec(e.anyone, `UPDATE people SET postcode = ?, postcode_district = ?, latitude = ?, longitude = ? WHERE id = ?`,
				postcode, district, lat, lng, p.PersonID); err != nil {
				t.Fatal(err)
			}
		}
		ann, ben, cat, dee := e.person(t, "Ann A", auth.RoleMember), e.person(t, "Ben B", auth.RoleMember),
			e.person(t, "Cat C", auth.RoleMember), e.person(t, "Dee D", auth.RoleMember)
		set(ann, "E8 1DY", "E8", 51.55, -0.06)
		set(ben, "E8 3QQ", "E8", nil, nil)
		set(dee, "ZZ9 9ZZ", "ZZ9", nil, nil)

		for _, c := range []struct {
			name     string
			ctx      context.Context
			postcode string
			point    geo.Point
		}{
			{"OwnPoint", ann.ctx, "E8 1DY", geo.Point{Lat: 51.55, Lng: -0.06}},
			{"DistrictCentre", ben.ctx, "E8 3QQ", geo.Point{Lat: 51.545, Lng: -0.056}},
			{"NoPostcode", cat.ctx, "", geo.Point{}},
			{"UnknownDistrict", dee.ctx, "", geo.Point{}},
			{"Visitor", context.Background(), "", geo.Point{}},
		} {
			t.Run(c.name, func(t *testing.T) {
				h, err := e.svc.ViewerHome(c.ctx)
				if err != nil {
					t.Fatal(err)
				}
				if c.postcode == "" {
					if h != nil {
						t.Fatalf("home %+v, want none", h)
					}
					return
				}
				if h == nil || h.Postcode != c.postcode || h.Point != c.point {
					t.Fatalf("home %+v, want %s at %+v", h, c.postcode, c.point)
				}
			})
		}
	})
}

// TestTurnout: an event's answers for its hosts, walk-ins apart; nobody
// else may see them.
func TestTurnout(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		orgB := e.person(t, "Isla Organiser", auth.RoleMember)
		e.join(t, islington, orgB, "organiser")
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		answer := func(name, status string) person {
			p := e.person(t, name, auth.RoleSupporter)
			if _, err := e.svc.RSVP(p.ctx, ev.ID, RSVPInput{Status: status}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		ann := answer("Ann Yes", Accepted)
		answer("Ben Yes", Accepted)
		answer("Cat Maybe", Tentative)
		answer("Dan No", Declined)
		if err := e.svc.CheckIn(org.ctx, ev.ID, ann.PersonID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddWalkIn(org.ctx, ev.ID, Guest{Name: "Wes Walkin", Email: "wes@example.org"}); err != nil {
			t.Fatal(err)
		}

		f, list, err := e.svc.Turnout(org.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := RSVPFigures{Going: 2, Maybe: 1, NotGoing: 1, CheckedIn: 2, WalkIns: 1}
		if *f != want {
			t.Errorf("figures %+v, want %+v", *f, want)
		}
		walkIns := map[string]bool{}
		for _, a := range list {
			walkIns[a.Name] = a.WalkIn
		}
		if len(list) != 4 || !walkIns["Wes Walkin"] || walkIns["Ann Yes"] {
			t.Errorf("list %+v: want four (not Dan, who said no), Wes the walk-in", list)
		}
		_, door, err := e.svc.Attendees(org.ctx, ev.ID, "wes")
		if err != nil || len(door) != 1 || !door[0].WalkIn {
			t.Errorf("at the door: %+v, %v", door, err)
		}
		for _, who := range []person{orgB, ann} {
			_, _, err := e.svc.Turnout(who.ctx, ev.ID)
			wantCode(t, err, errs.Forbidden)
		}
	})
}

// TestCreatableFor: admins may create network events, organisers their
// groups' (not archived ones); members nowhere.
func TestCreatableFor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, old := e.group(t, "hackney"), e.group(t, "old-town")
		if _, err := d.Exec(e.anyone, `UPDATE groups SET status = 'archived', archived_at = ? WHERE id = ?`, e.now, old); err != nil {
			t.Fatal(err)
		}
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		e.join(t, old, org, "organiser")
		member := e.person(t, "Mo Member", auth.RoleMember)
		e.join(t, hackney, member, "member")

		got, err := e.svc.CreatableFor(org.ctx)
		if err != nil || len(got) != 1 || got[0].GroupID != hackney || got[0].NewEventURL() != "/events/new?group="+hackney {
			t.Errorf("organiser: %+v, %v", got, err)
		}
		got, err = e.svc.CreatableFor(e.admin.ctx)
		if err != nil || len(got) != 1 || got[0].GroupID != "" || got[0].NewEventURL() != "/events/new" {
			t.Errorf("admin: %+v, %v", got, err)
		}
		for _, ctx := range []context.Context{member.ctx, context.Background()} {
			if got, err := e.svc.CreatableFor(ctx); err != nil || len(got) != 0 {
				t.Errorf("member or visitor: %+v, %v", got, err)
			}
		}
	})
}
