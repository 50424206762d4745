package events

import (
	"context"
	"strings"
	"testing"
	"time"

	msgnotices "github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestNoticePreferences: reminders follow each person's choice (at once,
// in the daily digest, or not at all) while the confirmation of their own
// RSVP, a service message, always goes.
func TestNoticePreferences(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		now, daily, never := e.person(t, "Nat Now", auth.RoleSupporter), e.person(t, "Dai Daily", auth.RoleSupporter),
			e.person(t, "Nev Never", auth.RoleSupporter)
		for _, c := range []struct {
			p person
			m msgnotices.Mode
		}{{daily, msgnotices.ModeDigest}, {never, msgnotices.ModeOff}} {
			if err := e.noticeSvc.SavePrefs(c.p.ctx, c.p.PersonID, map[string]msgnotices.Mode{NoticeReminder.Name: c.m}); err != nil {
				t.Fatal(err)
			}
		}
		ev := e.mustCreate(t, org.ctx, e.meeting(hackney, 0))
		for _, p := range []person{now, daily, never} {
			e.answer(t, p, ev.ID, "", Accepted)
		}
		count := func(p person, related string) int {
			t.Helper()
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM mail_messages WHERE to_addr = ? AND related = ?`,
				p.Email, related).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, p := range []person{now, daily, never} {
			if n := count(p, "events.confirmed"); n != 1 {
				t.Errorf("%s: %d confirmations, want 1 whatever their choice", p.Email, n)
			}
		}
		e.now = ev.Start.Add(-23 * time.Hour)
		sys := auth.WithSystem(e.anyone)
		if n, err := e.svc.SendReminders(sys); err != nil || n != 3 {
			t.Fatalf("SendReminders = %d, %v; want 3 reminded", n, err)
		}
		if count(now, "events.reminder") != 1 || count(daily, "events.reminder") != 0 || count(never, "events.reminder") != 0 {
			t.Errorf("reminder mails: instant %d, digest %d, off %d; want 1, 0, 0",
				count(now, "events.reminder"), count(daily, "events.reminder"), count(never, "events.reminder"))
		}
		if n, err := e.noticeSvc.SendDigests(sys); err != nil || n != 1 {
			t.Fatalf("SendDigests = %d, %v; want Dai's digest only", n, err)
		}
		var text string
		if err := d.QueryRow(context.Background(), `SELECT text_body FROM mail_messages WHERE to_addr = ? AND related = 'notices.digest'`,
			daily.Email).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "1. Reminder: "+ev.Title) || !strings.Contains(text, "because you said you'd come to "+ev.Title) {
			t.Errorf("Dai's digest lacks the reminder or its why:\n%s", text)
		}
		if count(never, "notices.digest") != 0 || count(now, "notices.digest") != 0 {
			t.Error("a digest went to someone who did not choose one")
		}
	})
}
