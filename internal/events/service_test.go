package events

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		member := e.person(t, "Mo Member", auth.RoleMember)
		e.join(t, hackney, member, "member")

		t.Run("OrganiserCreatesInOwnGroup", func(t *testing.T) {
			in := e.meeting(hackney, 10)
			in.TimeZone = "Europe/London"
			ev := e.mustCreate(t, org.ctx, in)
			// 19:00 on 9 March 2026 in London is 19:00 UTC (winter time).
			if ev.Start.Location().String() != "Europe/London" || ev.Start.Hour() != 19 || !ev.Start.Equal(time.Date(2026, 3, 9, 19, 0, 0, 0, time.UTC)) {
				t.Fatalf("start %v", ev.Start)
			}
			got, err := e.svc.Get(e.anyone, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Place.Postcode != "E5 0LY" || got.Capacity != 10 || got.Title != "Branch meeting" || got.Start.Hour() != 19 {
				t.Fatalf("stored event %+v", got)
			}
			rs, err := e.svc.RSVPs(org.ctx, ev.ID)
			if err != nil || len(rs) != 0 {
				t.Fatalf("hosting organiser's RSVP list: %v %v", rs, err)
			}
		})
		t.Run("SummerTime", func(t *testing.T) {
			in := e.meeting(hackney, 0)
			in.Start = time.Date(2026, 7, 1, 19, 0, 0, 0, time.UTC) // read as 19:00 London time
			in.End = time.Date(2026, 7, 1, 21, 0, 0, 0, time.UTC)
			ev := e.mustCreate(t, org.ctx, in)
			if !ev.Start.Equal(time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC)) {
				t.Fatalf("19:00 BST should be 18:00 UTC, got %v", ev.Start.UTC())
			}
		})
		t.Run("ErrOrganiserOfAnotherGroup", func(t *testing.T) {
			_, err := e.svc.Create(org.ctx, e.meeting(islington, 0))
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrMember", func(t *testing.T) {
			_, err := e.svc.Create(member.ctx, e.meeting(hackney, 0))
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrNetworkEventByOrganiser", func(t *testing.T) {
			_, err := e.svc.Create(org.ctx, e.meeting("", 0))
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("AdminNetworkEvent", func(t *testing.T) {
			e.mustCreate(t, e.admin.ctx, e.meeting("", 0))
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			in := e.meeting(hackney, -1)
			in.Title, in.Kind, in.TimeZone, in.OnlineURL, in.RRule = " ", "party", "Mars/Olympus", "zoom", "FREQ=SOMETIMES"
			in.End = in.Start.Add(-time.Hour)
			in.Place.Postcode = "XYZ"
			_, err := e.svc.Create(org.ctx, in)
			fields := errs.FieldsOf(err)
			for _, f := range []string{"title", "kind", "time_zone", "online_url", "rrule", "capacity", "postcode", "end"} {
				if fields[f] == "" {
					t.Errorf("no message for %s: %v", f, fields)
				}
			}
			in = e.meeting(hackney, 0)
			in.Place = Place{}
			_, err = e.svc.Create(org.ctx, in)
			if errs.FieldsOf(err)["address"] == "" {
				t.Errorf("an event with no place or link: %v", err)
			}
		})
	})
}

func TestVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		insider := e.person(t, "Ina Insider", auth.RoleSupporter)
		e.join(t, hackney, insider, "member")
		member := e.person(t, "Mo Member", auth.RoleMember)
		supporter := e.person(t, "Sue Supporter", auth.RoleSupporter)

		ids := map[string]string{}
		for _, v := range []string{Public, Members, Group} {
			in := e.meeting(hackney, 0)
			in.Visibility = v
			ids[v] = e.mustCreate(t, org.ctx, in).ID
		}
		tests := []struct {
			who  string
			ctx  context.Context
			sees []string
		}{
			{"anonymous", e.anyone, []string{Public}},
			{"supporter", supporter.ctx, []string{Public}},
			{"member of the network", member.ctx, []string{Public, Members}},
			{"supporter in the group", insider.ctx, []string{Public, Group}},
			{"organiser", org.ctx, []string{Public, Members, Group}},
		}
		for _, tt := range tests {
			t.Run(tt.who, func(t *testing.T) {
				for _, v := range []string{Public, Members, Group} {
					_, err := e.svc.Get(tt.ctx, ids[v])
					want := slices.Contains(tt.sees, v)
					if (err == nil) != want {
						t.Errorf("%s event: error %v, want seen=%v", v, err, want)
					}
					if err != nil && errs.CodeOf(err) != errs.NotFound {
						t.Errorf("%s event: refused with %v, want not found", v, err)
					}
				}
			})
		}
	})
}
