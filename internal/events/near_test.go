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
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

func TestNear(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		insider := e.person(t, "Ina Insider", auth.RoleSupporter)
		e.join(t, hackney, insider, "member")
		member := e.person(t, "Mo Member", auth.RoleMember)

		at := func(title string, p geo.Point, mod func(*Input)) string {
			in := e.meeting(hackney, 0)
			in.Title, in.Place = title, Place{Name: title, Location: &p}
			if mod != nil {
				mod(&in)
			}
			return e.mustCreate(t, org.ctx, in).ID
		}
		hackneyPt, islingtonPt := geo.Point{Lat: 51.545, Lng: -0.055}, geo.Point{Lat: 51.546, Lng: -0.105}
		at("Hackney canvass", hackneyPt, func(in *Input) { in.Kind = KindCanvass })
		at("Islington meeting", islingtonPt, nil)
		at("Leeds rally", geo.Point{Lat: 53.8, Lng: -1.549}, nil)
		at("Hackney members' evening", hackneyPt, func(in *Input) {
			in.Visibility = Members
			in.Start = in.Start.Add(time.Hour)
			in.End = in.End.Add(time.Hour)
		})
		at("Hackney branch only", hackneyPt, func(in *Input) {
			in.Visibility = Group
			in.Start = in.Start.Add(2 * time.Hour)
			in.End = in.End.Add(2 * time.Hour)
		})
		cancelled := at("Hackney cancelled", hackneyPt, nil)
		if err := e.svc.Cancel(org.ctx, cancelled); err != nil {
			t.Fatal(err)
		}
		// A postcode alone places an event at its district's centre, once the
		// district's position is known.
		if err := geo.SetDistrict(context.Background(), d.Q(), "E5", geo.Point{Lat: 51.558, Lng: -0.055}, "test"); err != nil {
			t.Fatal(err)
		}
		at("Clapton by postcode", geo.Point{}, func(in *Input) { in.Place = Place{Postcode: "E5 0LY"} })
		past := e.meeting(hackney, 0)
		past.Title, past.Place = "Hackney last month", Place{Location: &hackneyPt}
		past.Start, past.End = e.now.AddDate(0, -1, 0), e.now.AddDate(0, -1, 0).Add(time.Hour)
		e.mustCreate(t, org.ctx, past)

		titles := func(ctx context.Context, f NearFilter) []string {
			t.Helper()
			f.Point = hackneyPt
			got, _, err := e.svc.Near(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, g := range got {
				out = append(out, g.Title)
			}
			return out
		}
		tests := []struct {
			name string
			ctx  context.Context
			f    NearFilter
			want []string
		}{
			{"Anonymous", e.anyone, NearFilter{WithinKm: 10}, []string{"Hackney canvass", "Clapton by postcode", "Islington meeting"}},
			{"Member", member.ctx, NearFilter{WithinKm: 10}, []string{"Hackney canvass", "Hackney members' evening", "Clapton by postcode", "Islington meeting"}},
			{"GroupMember", insider.ctx, NearFilter{WithinKm: 10}, []string{"Hackney canvass", "Hackney branch only", "Clapton by postcode", "Islington meeting"}},
			{"Kinds", e.anyone, NearFilter{WithinKm: 10, Kinds: []string{KindCanvass}}, []string{"Hackney canvass"}},
			{"Radius", e.anyone, NearFilter{WithinKm: 2}, []string{"Hackney canvass", "Clapton by postcode"}},
			{"Far", e.anyone, NearFilter{WithinKm: 200}, []string{"Hackney canvass", "Clapton by postcode", "Islington meeting"}},
			{"Paging", e.anyone, NearFilter{WithinKm: 10, Offset: 1, Limit: 1}, []string{"Clapton by postcode"}},
			{"Until", e.anyone, NearFilter{WithinKm: 10, To: e.now.AddDate(0, 0, 1)}, nil},
			{"Since", e.anyone, NearFilter{WithinKm: 10, From: e.now.AddDate(0, -2, 0), To: e.now}, []string{"Hackney last month"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := titles(tt.ctx, tt.f); !slices.Equal(got, tt.want) {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			})
		}
		t.Run("Leeds from 300 km is out of range", func(t *testing.T) {
			_, _, err := e.svc.Near(e.anyone, NearFilter{Point: hackneyPt, WithinKm: 300})
			if errs.FieldsOf(err)["within_km"] == "" {
				t.Fatalf("error %v", err)
			}
		})
		t.Run("ErrNoPlace", func(t *testing.T) {
			_, _, err := e.svc.Near(e.anyone, NearFilter{})
			if errs.FieldsOf(err)["postcode"] == "" {
				t.Fatalf("error %v", err)
			}
		})
	})
}
