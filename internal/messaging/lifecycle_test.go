package messaging_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestApproval: with ApproveGroups set, an organiser's broadcast waits for
// an admin, who may send it back with a reason or let it go.
func TestApproval(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		org := e.organiser(t, "Olu Organiser", g)
		e.join(t, g, e.person(t, "Ann One", true), "member")
		if err := e.svc.SaveSettings(e.admin.ctx, messaging.Settings{ApproveGroups: true}); err != nil {
			t.Fatal(err)
		}
		if st, err := e.svc.Settings(org.ctx); err != nil || !st.ApproveGroups || st.Track {
			t.Fatalf("settings %+v, %v", st, err)
		}
		b := e.mustCreate(t, org.ctx, mail(g))
		got, err := e.svc.Send(org.ctx, b.ID)
		if err != nil || got.Status != messaging.StatusApproval {
			t.Fatalf("send: %v %+v", err, got)
		}
		if _, err := e.svc.Approve(org.ctx, b.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("organiser approved: %v", err)
		}
		if _, err := e.svc.Reject(e.admin.ctx, b.ID, " "); !errs.Is(err, errs.Invalid) {
			t.Fatalf("reject without reason: %v", err)
		}
		if got, err = e.svc.Reject(e.admin.ctx, b.ID, "Say where the meeting is."); err != nil || got.Status != messaging.StatusDraft {
			t.Fatalf("reject: %v %+v", err, got)
		}
		if got, err = e.svc.Schedule(org.ctx, b.ID, time.Now().Add(time.Hour)); err != nil || got.Status != messaging.StatusApproval {
			t.Fatalf("schedule: %v %+v", err, got)
		}
		if got, err = e.svc.Approve(e.admin.ctx, b.ID); err != nil || got.Status != messaging.StatusScheduled || got.ApprovedBy != e.admin.UserID {
			t.Fatalf("approve a later one: %v %+v", err, got)
		}
		// An admin's own group broadcast does not wait.
		b2 := e.mustCreate(t, e.admin.ctx, mail(g))
		if got, err = e.svc.Send(e.admin.ctx, b2.ID); err != nil || got.Status != messaging.StatusSending || got.Recipients != 2 {
			t.Fatalf("admin send: %v %+v", err, got)
		}
		if _, err := e.svc.Update(e.admin.ctx, b2.ID, mail(g)); !errs.Is(err, errs.Conflict) {
			t.Errorf("update while sending: %v", err)
		}
	})
}

// TestPauseResumeCancel controls a broadcast around its fan-out job.
func TestPauseResumeCancel(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		e := newEnv(t, d, mp.SMTPURL)
		g := e.group(t, "Hackney")
		org := e.organiser(t, "Olu Organiser", g)
		for i := range 5 {
			e.join(t, g, e.person(t, fmt.Sprintf("Member %d", i), true), "member")
		}
		paused := e.mustCreate(t, org.ctx, mail(g))
		cancelled := e.mustCreate(t, org.ctx, mail(g))
		for _, b := range []*messaging.Broadcast{paused, cancelled} {
			if _, err := e.svc.Send(org.ctx, b.ID); err != nil {
				t.Fatal(err)
			}
		}
		// Before any job runs: one paused, one cancelled.
		if got, err := e.svc.Pause(org.ctx, paused.ID); err != nil || got.Status != messaging.StatusPaused {
			t.Fatalf("pause: %v %+v", err, got)
		}
		if got, err := e.svc.Cancel(org.ctx, cancelled.ID); err != nil || got.Status != messaging.StatusCancelled {
			t.Fatalf("cancel: %v %+v", err, got)
		}
		if _, err := e.svc.Resume(org.ctx, cancelled.ID); !errs.Is(err, errs.Conflict) {
			t.Errorf("resume a cancelled one: %v", err)
		}
		e.startJobs(t)
		time.Sleep(1500 * time.Millisecond) // the jobs run and find nothing to send
		if n := len(mp.Messages(t)); n != 0 {
			t.Fatalf("%d mails sent while paused or cancelled", n)
		}
		st, err := e.svc.Stats(org.ctx, cancelled.ID)
		if err != nil || st.Skipped != 6 || st.Queued != 0 || st.Sent != 0 {
			t.Errorf("cancelled stats %+v, %v", st, err)
		}
		if got, err := e.svc.Resume(org.ctx, paused.ID); err != nil || got.Status != messaging.StatusSending {
			t.Fatalf("resume: %v %+v", err, got)
		}
		e.waitStatus(t, paused.ID, messaging.StatusSent, 30*time.Second)
		if n := len(mp.Messages(t)); n != 6 {
			t.Errorf("%d mails after resuming, want 6", n)
		}
	})
}

// TestScheduledStartsWhenDue: the scheduler starts a broadcast whose time
// has come, and not before.
func TestScheduledStartsWhenDue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		e.join(t, g, e.person(t, "Ann One", true), "member")
		b := e.mustCreate(t, e.admin.ctx, mail(g))
		if _, err := e.svc.Schedule(e.admin.ctx, b.ID, time.Now().Add(-time.Minute)); !errs.Is(err, errs.Invalid) {
			t.Fatalf("schedule in the past: %v", err)
		}
		at := time.Now().Add(1200 * time.Millisecond)
		if got, err := e.svc.Schedule(e.admin.ctx, b.ID, at); err != nil || got.Status != messaging.StatusScheduled {
			t.Fatalf("schedule: %v %+v", err, got)
		}
		if n, err := e.svc.StartDue(e.sys); err != nil || n != 0 {
			t.Fatalf("started %d early, %v", n, err)
		}
		if _, err := e.svc.StartDue(e.admin.ctx); err != nil {
			t.Fatalf("admin: %v", err)
		}
		time.Sleep(time.Until(at) + 50*time.Millisecond)
		if n, err := e.svc.StartDue(e.sys); err != nil || n != 1 {
			t.Fatalf("started %d when due, %v", n, err)
		}
		got, _ := e.svc.Get(e.admin.ctx, b.ID)
		if got.Status != messaging.StatusSending || got.Recipients != 1 {
			t.Errorf("after the scheduler: %+v", got)
		}
	})
}
