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

// told lists the people of notices, sorted.
func told(ns []notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.PersonID)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func (e *env) answer(t *testing.T, p person, eventID, shiftID, status string) *RSVP {
	t.Helper()
	r, err := e.svc.RSVP(p.ctx, eventID, RSVPInput{ShiftID: shiftID, Status: status})
	if err != nil {
		t.Fatalf("%s answers %s: %v", p.Email, status, err)
	}
	return r
}

// TestUpdate: organisers change an event; a change of time or place bumps
// the sequence and tells those who said yes, maybe or wait (not those who
// said no); other changes tell nobody; more places go to those waiting;
// cancelling tells them too.
func TestUpdate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney, islington := e.group(t, "hackney"), e.group(t, "islington")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		orgB := e.person(t, "Isla Organiser", auth.RoleMember)
		e.join(t, islington, orgB, "organiser")
		sam, nia := e.person(t, "Sam Yes", auth.RoleSupporter), e.person(t, "Nia Waits", auth.RoleSupporter)
		tom, dee := e.person(t, "Tom Maybe", auth.RoleSupporter), e.person(t, "Dee No", auth.RoleSupporter)
		in := e.meeting(hackney, 1)
		ev := e.mustCreate(t, org.ctx, in)
		e.answer(t, sam, ev.ID, "", Accepted)
		if r := e.answer(t, nia, ev.ID, "", Accepted); r.Status != Waitlisted {
			t.Fatalf("Nia: %s", r.Status)
		}
		e.answer(t, tom, ev.ID, "", Tentative)
		e.answer(t, dee, ev.ID, "", Declined)
		e.told.reset()

		t.Run("ErrNotOrganiser", func(t *testing.T) {
			_, err := e.svc.Update(orgB.ctx, ev.ID, in)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Update(sam.ctx, ev.ID, in)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Update(e.anyone, ev.ID, in)
			wantCode(t, err, errs.Unauthorized)
			_, err = e.svc.Edit(orgB.ctx, ev.ID)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			bad := in
			bad.Title, bad.End = "", bad.Start.Add(-time.Hour)
			_, err := e.svc.Update(org.ctx, ev.ID, bad)
			if f := errs.FieldsOf(err); f["title"] == "" || f["end"] == "" {
				t.Fatalf("error %v", err)
			}
		})
		t.Run("TitleTellsNobody", func(t *testing.T) {
			ch := in
			ch.Title = "Branch meeting (agenda inside)"
			got, err := e.svc.Update(org.ctx, ev.ID, ch)
			if err != nil || got.Title != ch.Title || got.Sequence != 0 || len(e.told.changed) != 0 {
				t.Fatalf("%+v %v, told %v", got, err, e.told.changed)
			}
		})
		t.Run("TimeTellsThoseComing", func(t *testing.T) {
			ch := in
			ch.Start, ch.End = in.Start.Add(time.Hour), in.End.Add(time.Hour)
			got, err := e.svc.Update(org.ctx, ev.ID, ch)
			if err != nil || got.Sequence != 1 || got.Start.Hour() != 20 {
				t.Fatalf("%+v %v", got, err)
			}
			if want := sorted(sam.PersonID, nia.PersonID, tom.PersonID); !slices.Equal(told(e.told.changed), want) || e.told.changed[0].What != "time" {
				t.Fatalf("told %+v, want %v about the time", e.told.changed, want)
			}
			in = ch
		})
		t.Run("PlaceTellsThoseComing", func(t *testing.T) {
			e.told.reset()
			ch := in
			ch.Place = Place{Name: "Town Hall", Postcode: "E8 1EA"}
			got, err := e.svc.Update(org.ctx, ev.ID, ch)
			if err != nil || got.Sequence != 2 || got.Place.Name != "Town Hall" || len(e.told.changed) != 3 || e.told.changed[0].What != "place" {
				t.Fatalf("%+v %v, told %+v", got, err, e.told.changed)
			}
			in = ch
		})
		t.Run("MorePlacesGoToThoseWaiting", func(t *testing.T) {
			e.told.reset()
			ch := in
			ch.Capacity = 2
			got, err := e.svc.Update(org.ctx, ev.ID, ch)
			if err != nil || got.Accepted != 2 || got.Waitlisted != 0 || !slices.Equal(e.told.told, []string{nia.PersonID}) || got.Sequence != 2 {
				t.Fatalf("%+v %v, told %v", got, err, e.told.told)
			}
			v, err := e.svc.Edit(org.ctx, ev.ID)
			if err != nil || v.GroupName != "hackney" || v.Event.Capacity != 2 {
				t.Fatalf("edit view %+v %v", v, err)
			}
		})
		t.Run("CancelTellsThoseComing", func(t *testing.T) {
			e.told.reset()
			if err := e.svc.Cancel(org.ctx, ev.ID); err != nil {
				t.Fatal(err)
			}
			if want := sorted(sam.PersonID, nia.PersonID, tom.PersonID); !slices.Equal(told(e.told.cancelled), want) {
				t.Fatalf("told of the cancellation %v, want %v", told(e.told.cancelled), want)
			}
			_, err := e.svc.Update(org.ctx, ev.ID, in)
			wantCode(t, err, errs.Conflict)
		})
	})
}

// TestShifts: organisers add shifts within the event; each shift has its
// own places and waitlist; the event page lists them with the viewer's
// answers; removing one tells those who had said yes.
func TestShifts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		a, b, c := e.person(t, "Ann One", auth.RoleSupporter), e.person(t, "Bea Two", auth.RoleSupporter), e.person(t, "Cal Three", auth.RoleSupporter)
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 0)) // 19:00–21:00
		at := func(h, m int) time.Time {
			return time.Date(ev.Start.Year(), ev.Start.Month(), ev.Start.Day(), h, m, 0, 0, time.UTC)
		}

		t.Run("Errors", func(t *testing.T) {
			_, err := e.svc.AddShift(a.ctx, ev.ID, ShiftInput{Title: "Setting up", Start: at(19, 0), End: at(19, 30)})
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: " ", Start: at(18, 0), End: at(19, 30), Capacity: -1})
			f := errs.FieldsOf(err)
			if f["shift_title"] == "" || f["shift_start"] == "" || f["shift_capacity"] == "" {
				t.Fatalf("error %v", err)
			}
			_, err = e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "Backwards", Start: at(20, 0), End: at(19, 30)})
			if errs.FieldsOf(err)["shift_end"] == "" {
				t.Fatalf("error %v", err)
			}
			_, err = e.svc.RSVP(a.ctx, ev.ID, RSVPInput{ShiftID: "no-such-shift", Status: Accepted})
			if errs.FieldsOf(err)["shift_id"] == "" {
				t.Fatalf("error %v", err)
			}
		})
		setup, err := e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "Setting up", Start: at(19, 0), End: at(19, 30), Capacity: 2})
		if err != nil {
			t.Fatal(err)
		}
		door, err := e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "On the door", Start: at(19, 0), End: at(21, 0)})
		if err != nil {
			t.Fatal(err)
		}
		e.told.reset()
		for _, p := range []person{a, b, c} {
			e.answer(t, p, ev.ID, setup.ID, Accepted)
		}
		e.answer(t, c, ev.ID, door.ID, Accepted)
		if got := told(e.told.confirmed); len(got) != 3 { // A, B for setting up; C for the door (C waits for setting up)
			t.Fatalf("confirmations %+v", e.told.confirmed)
		}
		v, err := e.svc.View(c.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Shifts) != 2 || v.Shifts[0].ID != setup.ID || v.Shifts[0].Accepted != 2 || v.Shifts[0].Waitlisted != 1 || !v.Shifts[0].Full() ||
			v.Shifts[0].Left() != 0 || v.Shifts[1].Left() != -1 || v.Shifts[1].Accepted != 1 {
			t.Fatalf("shifts %+v", v.Shifts)
		}
		if v.MyShifts[setup.ID] != Waitlisted || v.MyShifts[door.ID] != Accepted || v.Event.Accepted != 0 {
			t.Fatalf("C's answers %v; the event's own yeses %d", v.MyShifts, v.Event.Accepted)
		}
		e.told.reset()
		e.answer(t, a, ev.ID, setup.ID, Declined)
		if !slices.Equal(e.told.told, []string{c.PersonID}) {
			t.Fatalf("promoted %v, want C", e.told.told)
		}
		if err := e.svc.RemoveShift(a.ctx, ev.ID, door.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a supporter removed a shift: %v", err)
		}
		if err := e.svc.RemoveShift(org.ctx, ev.ID, door.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.svc.RemoveShift(org.ctx, ev.ID, door.ID), errs.NotFound)
		if len(e.told.changed) != 1 || e.told.changed[0].PersonID != c.PersonID || e.told.changed[0].What != `the shift "On the door" was removed` {
			t.Fatalf("told %+v", e.told.changed)
		}
		if v, _ := e.svc.View(c.ctx, ev.ID); len(v.Shifts) != 1 || v.MyShifts[setup.ID] != Accepted {
			t.Fatalf("after removing: %+v %v", v.Shifts, v.MyShifts)
		}
	})
}

// TestReminders: a day before and two hours before, those who said yes
// or maybe (to the event or a shift) are reminded, once each, whichever
// node runs the job how often; not those who said no or wait, nor anyone
// for a cancelled event. A yes given within the two hours gets only the
// second reminder.
func TestReminders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		sam, tom := e.person(t, "Sam Yes", auth.RoleSupporter), e.person(t, "Tom Maybe", auth.RoleSupporter)
		dee, wai := e.person(t, "Dee No", auth.RoleSupporter), e.person(t, "Wai Waits", auth.RoleSupporter)
		vol, late := e.person(t, "Val Volunteer", auth.RoleSupporter), e.person(t, "Lee Late", auth.RoleSupporter)
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 2))
		doomed := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		shift, err := e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "Tea", Start: ev.Start, End: ev.End})
		if err != nil {
			t.Fatal(err)
		}
		e.answer(t, sam, ev.ID, "", Accepted)
		e.answer(t, tom, ev.ID, "", Tentative)
		e.answer(t, dee, ev.ID, "", Declined)
		e.answer(t, org, ev.ID, "", Accepted) // the event is now full
		e.answer(t, wai, ev.ID, "", Accepted)
		e.answer(t, vol, ev.ID, shift.ID, Accepted)
		e.answer(t, sam, doomed.ID, "", Accepted)
		if err := e.svc.Cancel(org.ctx, doomed.ID); err != nil {
			t.Fatal(err)
		}
		e.told.reset()
		sys := auth.WithSystem(e.anyone)
		run := func(at time.Time) int {
			t.Helper()
			e.now = at
			n, err := e.svc.SendReminders(sys)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if _, err := e.svc.SendReminders(org.ctx); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an organiser sent reminders: %v", err)
		}
		start := ev.Start
		if n := run(start.Add(-25 * time.Hour)); n != 0 {
			t.Fatalf("25 hours before: %d reminded", n)
		}
		coming := sorted(sam.PersonID, tom.PersonID, org.PersonID, vol.PersonID)
		if n := run(start.Add(-23 * time.Hour)); n != 4 || !slices.Equal(told(e.told.reminded), coming) || e.told.reminded[0].What != ReminderDay {
			t.Fatalf("a day before: %d reminded: %+v, want %v", n, e.told.reminded, coming)
		}
		for _, at := range []time.Duration{-22 * time.Hour, -3 * time.Hour} {
			if n := run(start.Add(at)); n != 0 {
				t.Fatalf("%v: %d reminded again", at, n)
			}
		}
		e.answer(t, late, ev.ID, shift.ID, Tentative)
		e.told.reset()
		if n := run(start.Add(-119 * time.Minute)); n != 5 || !slices.Equal(told(e.told.reminded), sorted(append(coming, late.PersonID)...)) ||
			e.told.reminded[0].What != ReminderHours {
			t.Fatalf("two hours before: %d reminded: %+v", n, e.told.reminded)
		}
		for _, at := range []time.Duration{-time.Hour, time.Minute} {
			if n := run(start.Add(at)); n != 0 {
				t.Fatalf("%v: %d reminded again", at, n)
			}
		}
		for _, r := range e.told.reminded {
			if r.Token == "" || r.EventID != ev.ID {
				t.Fatalf("reminder without its link: %+v", r)
			}
		}
	})
}

// TestCancelLink: the link in a reminder or confirmation shows what it
// cancels without changing anything; confirming says no to the event and
// its shifts and gives the place to the first waiting; a used, unknown or
// expired link is refused.
func TestCancelLink(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		sam, wai := e.person(t, "Sam Yes", auth.RoleSupporter), e.person(t, "Wai Waits", auth.RoleSupporter)
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 1))
		shift, err := e.svc.AddShift(org.ctx, ev.ID, ShiftInput{Title: "Tea", Start: ev.Start, End: ev.End})
		if err != nil {
			t.Fatal(err)
		}
		e.told.reset()
		e.answer(t, sam, ev.ID, "", Accepted)
		e.answer(t, sam, ev.ID, "", Accepted) // again: one confirmation
		e.answer(t, sam, ev.ID, shift.ID, Accepted)
		e.answer(t, wai, ev.ID, "", Accepted)
		if len(e.told.confirmed) != 2 || e.told.confirmed[0].PersonID != sam.PersonID || e.told.confirmed[1].What != "Tea" {
			t.Fatalf("confirmations %+v: want Sam's for the event and for the shift (not Wai, who waits)", e.told.confirmed)
		}
		fromConfirmation := e.told.confirmed[0].Token
		e.now = ev.Start.Add(-23 * time.Hour)
		if _, err := e.svc.SendReminders(auth.WithSystem(e.anyone)); err != nil {
			t.Fatal(err)
		}
		tok := e.told.reminded[0].Token

		t.Run("ErrBadToken", func(t *testing.T) {
			for _, bad := range []string{"", "nonsense", tok + "x"} {
				_, err := e.svc.CancelLink(e.anyone, bad)
				wantCode(t, err, errs.NotFound)
				_, err = e.svc.CancelByLink(e.anyone, bad)
				wantCode(t, err, errs.NotFound)
			}
		})
		t.Run("ShowChangesNothing", func(t *testing.T) {
			v, err := e.svc.CancelLink(e.anyone, tok)
			if err != nil || v.Event.ID != ev.ID || v.Name != "Sam" {
				t.Fatalf("%+v %v", v, err)
			}
			if got, _ := e.svc.Get(e.anyone, ev.ID); got.Accepted != 1 || got.Waitlisted != 1 {
				t.Fatalf("opening the link changed the answers: %+v", got)
			}
		})
		t.Run("Cancel", func(t *testing.T) {
			e.told.reset()
			got, err := e.svc.CancelByLink(e.anyone, tok)
			if err != nil || got.ID != ev.ID {
				t.Fatalf("%+v %v", got, err)
			}
			rs, _ := e.svc.RSVPs(org.ctx, ev.ID)
			status := map[string]string{}
			for _, r := range rs {
				status[r.ShiftID+"/"+r.PersonID] = r.Status
			}
			if status["/"+sam.PersonID] != Declined || status[shift.ID+"/"+sam.PersonID] != Declined || status["/"+wai.PersonID] != Accepted {
				t.Fatalf("after the cancel: %v", status)
			}
			if !slices.Equal(e.told.told, []string{wai.PersonID}) {
				t.Fatalf("promoted %v, want Wai", e.told.told)
			}
		})
		t.Run("ErrUsedUp", func(t *testing.T) {
			_, err := e.svc.CancelByLink(e.anyone, tok)
			wantCode(t, err, errs.NotFound)
			_, err = e.svc.CancelLink(e.anyone, fromConfirmation) // the confirmation's link went with it
			wantCode(t, err, errs.NotFound)
		})
		t.Run("ErrExpired", func(t *testing.T) {
			e.now = ev.Start.Add(-24 * time.Hour)
			e.told.reset()
			e.answer(t, sam, ev.ID, "", Accepted) // waits: Wai has the place
			e.answer(t, org, ev.ID, "", Tentative)
			e.now = ev.Start.Add(-time.Hour)
			if _, err := e.svc.SendReminders(auth.WithSystem(e.anyone)); err != nil {
				t.Fatal(err)
			}
			var orgTok string
			for _, r := range e.told.reminded {
				if r.PersonID == org.PersonID {
					orgTok = r.Token
				}
			}
			e.now = ev.End.Add(time.Minute)
			_, err := e.svc.CancelLink(e.anyone, orgTok)
			wantCode(t, err, errs.NotFound)
			_, err = e.svc.CancelByLink(e.anyone, orgTok)
			wantCode(t, err, errs.NotFound)
		})
	})
}
