package events

import (
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestRSVPAsGuest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 1))
		in := e.meeting(hackney, 0)
		in.Visibility = Members
		members := e.mustCreate(t, org.ctx, in)

		t.Run("ErrFieldsNamed", func(t *testing.T) {
			_, err := e.svc.RSVPAsGuest(e.anyone, ev.ID, Guest{Name: "  ", Email: "not an address", Postcode: "nowhere", Status: "perhaps"})
			f := errs.FieldsOf(err)
			for _, name := range []string{"name", "email", "postcode", "status"} {
				if f[name] == "" {
					t.Errorf("no error for %s: %v", name, f)
				}
			}
			if len(e.guests.seen) != 0 {
				t.Fatalf("a guest with bad details reached the signup: %+v", e.guests.seen)
			}
		})
		t.Run("ErrNotPublic", func(t *testing.T) {
			_, err := e.svc.RSVPAsGuest(e.anyone, members.ID, Guest{Name: "Gil Guest", Email: "gil@example.org", Status: Accepted})
			wantCode(t, err, errs.NotFound)
		})
		var gil string
		t.Run("GuestGetsThePlace", func(t *testing.T) {
			r, err := e.svc.RSVPAsGuest(e.anyone, ev.ID, Guest{Name: " Gil  Guest ", Email: "Gil@Example.org", Postcode: "e8 1dy",
				Status: Accepted, EmailConsent: true, ConsentWording: "Email me about events."})
			if err != nil {
				t.Fatal(err)
			}
			g := e.guests.last()
			if r.Status != Accepted || r.Source != "event page" || g.Name != "Gil Guest" || g.Email != "gil@example.org" ||
				g.Postcode != "E8 1DY" || !g.EmailConsent || g.ConsentWording != "Email me about events." || g.EventID != ev.ID || g.Source != "event page" {
				t.Fatalf("rsvp %+v, guest %+v", r, g)
			}
			gil = r.PersonID
		})
		t.Run("SecondGuestWaits", func(t *testing.T) {
			r, err := e.svc.RSVPAsGuest(e.anyone, ev.ID, Guest{Name: "Hana Guest", Email: "hana@example.org", Status: Accepted})
			if err != nil || r.Status != Waitlisted {
				t.Fatalf("%+v %v", r, err)
			}
			if g := e.guests.last(); g.EmailConsent {
				t.Fatalf("consent passed on without the box ticked: %+v", g)
			}
		})
		t.Run("SameEmailSamePerson", func(t *testing.T) {
			r, err := e.svc.RSVPAsGuest(e.anyone, ev.ID, Guest{Name: "Gil Guest", Email: "gil@example.org", Status: Tentative})
			if err != nil || r.PersonID != gil {
				t.Fatalf("%+v %v, want person %s", r, err, gil)
			}
			// Gil's place freed up: Hana, waiting, has it and is told.
			if got, _ := e.svc.Get(e.anyone, ev.ID); got.Accepted != 1 || got.Waitlisted != 0 || len(e.told.told) != 1 {
				t.Fatalf("after Gil's maybe: %d accepted, %d waiting, told %v", got.Accepted, got.Waitlisted, e.told.told)
			}
		})
		t.Run("ErrCancelled", func(t *testing.T) {
			if err := e.svc.Cancel(org.ctx, ev.ID); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.RSVPAsGuest(e.anyone, ev.ID, Guest{Name: "Ivo Guest", Email: "ivo@example.org", Status: Accepted})
			wantCode(t, err, errs.Conflict)
		})
	})
}

func TestWalkInAndAttendees(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		orgB := e.person(t, "Isla Organiser", auth.RoleMember)
		e.join(t, islington, orgB, "organiser")
		member := e.person(t, "Mo Member", auth.RoleMember)
		e.join(t, hackney, member, "member")
		sam := e.person(t, "Sam Supporter", auth.RoleSupporter)
		dee := e.person(t, "Dee Decliner", auth.RoleSupporter)
		in := e.meeting(hackney, 0)
		in.Hosts = []string{member.PersonID}
		ev := e.mustCreate(t, org.ctx, in)
		for p, status := range map[*person]string{&sam: Accepted, &dee: Declined} {
			if _, err := e.svc.RSVP(p.ctx, ev.ID, RSVPInput{Status: status}); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("ErrRefused", func(t *testing.T) {
			g := Guest{Name: "Wally Walkin", Email: "wally@example.org"}
			_, err := e.svc.AddWalkIn(orgB.ctx, ev.ID, g)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.AddWalkIn(sam.ctx, ev.ID, g)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.AddWalkIn(e.anyone, ev.ID, g)
			wantCode(t, err, errs.Unauthorized)
			_, _, err = e.svc.Attendees(orgB.ctx, ev.ID, "")
			wantCode(t, err, errs.Forbidden)
			_, _, err = e.svc.Attendees(sam.ctx, ev.ID, "")
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrFields", func(t *testing.T) {
			_, err := e.svc.AddWalkIn(org.ctx, ev.ID, Guest{Name: "", Email: "wally"})
			if f := errs.FieldsOf(err); f["name"] == "" || f["email"] == "" {
				t.Fatalf("error %v", err)
			}
		})
		t.Run("HostAddsWalkIn", func(t *testing.T) {
			id, err := e.svc.AddWalkIn(member.ctx, ev.ID, Guest{Name: "Wally Walkin", Email: "wally@example.org", EmailConsent: true, ConsentWording: "Yes"})
			if err != nil {
				t.Fatal(err)
			}
			if g := e.guests.last(); g.Source != "walk-in" || g.EventID != ev.ID || !g.EmailConsent {
				t.Fatalf("guest %+v", g)
			}
			var n int
			if err := d.QueryRow(e.anyone, `SELECT COUNT(*) FROM person_actions WHERE person_id = ? AND kind = 'event.attended'`, id).Scan(&n); err != nil || n != 1 {
				t.Fatalf("%d attendance actions (%v)", n, err)
			}
		})
		t.Run("AttendeesByName", func(t *testing.T) {
			_, all, err := e.svc.Attendees(org.ctx, ev.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 2 || all[0].Name != "Sam Supporter" || all[0].AttendedAt != nil || all[1].Name != "Wally Walkin" || all[1].AttendedAt == nil {
				t.Fatalf("attendees %+v (the decliner should not be listed)", all)
			}
			_, some, err := e.svc.Attendees(member.ctx, ev.ID, " WALL ")
			if err != nil || len(some) != 1 || some[0].Name != "Wally Walkin" {
				t.Fatalf("search: %+v %v", some, err)
			}
			_, none, err := e.svc.Attendees(org.ctx, ev.ID, "100%")
			if err != nil || len(none) != 0 {
				t.Fatalf("a search for a wildcard found %+v %v", none, err)
			}
		})
	})
}

func TestViewAndLists(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		sam := e.person(t, "Sam Supporter", auth.RoleSupporter)
		later := e.meeting(hackney, 0)
		later.Start, later.End = later.Start.AddDate(0, 0, 7), later.End.AddDate(0, 0, 7)
		late := e.mustCreate(t, org.ctx, later)
		soon := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		secret := e.meeting(hackney, 0)
		secret.Visibility = Group
		hidden := e.mustCreate(t, org.ctx, secret)
		for _, id := range []string{late.ID, soon.ID} {
			if _, err := e.svc.RSVP(sam.ctx, id, RSVPInput{Status: Tentative}); err != nil {
				t.Fatal(err)
			}
		}

		v, err := e.svc.View(sam.ctx, soon.ID)
		if err != nil || v.Mine == nil || v.Mine.Status != Tentative || v.CanManage || v.CanHost || v.GroupSlug != "hackney" {
			t.Fatalf("Sam's view: %+v %v", v, err)
		}
		if v, err := e.svc.View(org.ctx, soon.ID); err != nil || v.Mine != nil || !v.CanManage || !v.CanHost {
			t.Fatalf("organiser's view: %+v %v", v, err)
		}
		if v, err := e.svc.View(e.anyone, soon.ID); err != nil || v.Mine != nil || v.CanHost {
			t.Fatalf("anonymous view: %+v %v", v, err)
		}
		mine, err := e.svc.MyEvents(sam.ctx, 10)
		if err != nil || len(mine) != 2 || mine[0].ID != soon.ID || mine[1].ID != late.ID || mine[0].Answer != Tentative {
			t.Fatalf("Sam's events: %+v %v", mine, err)
		}
		if mine, err := e.svc.MyEvents(e.anyone, 10); err != nil || len(mine) != 0 {
			t.Fatalf("anonymous: %+v %v", mine, err)
		}
		up, err := e.svc.Upcoming(sam.ctx, hackney, 10)
		if err != nil || len(up) != 2 || up[0].ID != soon.ID {
			t.Fatalf("upcoming for Sam: %+v %v", up, err)
		}
		up, err = e.svc.Upcoming(org.ctx, hackney, 10)
		if err != nil || len(up) != 3 || (up[0].ID != hidden.ID && up[1].ID != hidden.ID) {
			t.Fatalf("upcoming for the organiser: %+v %v", up, err)
		}
		if name, err := e.svc.CreateForm(org.ctx, hackney); err != nil || name != "hackney" {
			t.Fatalf("create form: %q %v", name, err)
		}
		_, err = e.svc.CreateForm(sam.ctx, hackney)
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.CreateForm(org.ctx, "")
		wantCode(t, err, errs.Forbidden)
	})
}
