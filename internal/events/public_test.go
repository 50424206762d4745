package events

import (
	"context"
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestPublicEvents: the open data and feeds read public events only,
// whoever asks.
func TestPublicEvents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g, other := e.group(t, "hackney"), e.group(t, "leeds")
		pub := e.mustCreate(t, e.admin.ctx, e.meeting(g, 0))
		in := e.meeting(g, 0)
		in.Visibility, in.Title = Members, "Members' meeting"
		e.mustCreate(t, e.admin.ctx, in)
		in.Visibility, in.Title = Group, "Group meeting"
		e.mustCreate(t, e.admin.ctx, in)
		elsewhere := e.mustCreate(t, e.admin.ctx, e.meeting(other, 0))
		for _, c := range []struct {
			name  string
			ctx   context.Context
			f     PublicFilter
			wants []string
		}{
			{"Everyone", context.Background(), PublicFilter{}, []string{pub.ID, elsewhere.ID}},
			{"AdminAsksToo", e.admin.ctx, PublicFilter{}, []string{pub.ID, elsewhere.ID}},
			{"OneGroup", context.Background(), PublicFilter{GroupID: g, Recent: true}, []string{pub.ID}},
		} {
			t.Run(c.name, func(t *testing.T) {
				evs, err := e.svc.PublicEvents(c.ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, ev := range evs {
					got = append(got, ev.ID)
				}
				slices.Sort(got)
				slices.Sort(c.wants)
				if !slices.Equal(got, c.wants) {
					t.Errorf("public events %v, want %v", got, c.wants)
				}
			})
		}
	})
}

// TestArchivedGroupEvents: an archived group's events stay readable and
// refuse every change.
func TestArchivedGroupEvents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		org := e.person(t, "Olive Organiser", auth.RoleMember)
		mem := e.person(t, "Max Member", auth.RoleMember)
		e.join(t, g, org, "organiser")
		e.join(t, g, mem, "member")
		ev := e.mustCreate(t, org.ctx, e.meeting(g, 0))
		if _, err := d.Exec(context.Background(), `UPDATE groups SET status = 'archived', archived_at = ? WHERE id = ?`, e.now, g); err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.View(mem.ctx, ev.ID)
		if err != nil || !v.Event.GroupArchived || v.GroupArchivedAt.IsZero() {
			t.Fatalf("archived group's event %+v, %v", v, err)
		}
		if v, err = e.svc.View(org.ctx, ev.ID); err != nil || v.CanManage || v.CanHost {
			t.Errorf("archived event offers management: %+v, %v", v, err)
		}
		for _, c := range []struct {
			name string
			do   func() error
		}{
			{"Create", func() error { _, err := e.svc.Create(org.ctx, e.meeting(g, 0)); return err }},
			{"CreateForm", func() error { _, err := e.svc.CreateForm(org.ctx, g); return err }},
			{"Edit", func() error { _, err := e.svc.Edit(org.ctx, ev.ID); return err }},
			{"Update", func() error { _, err := e.svc.Update(org.ctx, ev.ID, e.meeting(g, 0)); return err }},
			{"Cancel", func() error { return e.svc.Cancel(org.ctx, ev.ID) }},
			{"AddShift", func() error { _, err := e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "Door"}); return err }},
			{"RSVP", func() error { _, err := e.svc.RSVP(mem.ctx, ev.ID, RSVPInput{Status: Accepted}); return err }},
			{"CheckIn", func() error { return e.svc.CheckIn(org.ctx, ev.ID, mem.PersonID) }},
		} {
			t.Run(c.name, func(t *testing.T) {
				if err := c.do(); !errs.Is(err, errs.Conflict) {
					t.Fatalf("error %v, want a conflict (archived)", err)
				}
			})
		}
	})
}
