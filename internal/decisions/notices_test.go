package decisions

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestReminderPreferences: the ballot reminder follows each member's
// choice for "decisions.reminder": at once, in the daily digest, or not.
func TestReminderPreferences(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org, now, daily, never := e.member(t, "Olu Org"), e.member(t, "Nat Now"), e.member(t, "Dai Daily"), e.member(t, "Nev Never")
		e.join(t, g, org, "organiser")
		for _, p := range []person{now, daily, never} {
			e.join(t, g, p, "member")
		}
		for p, m := range map[person]notices.Mode{daily: notices.ModeDigest, never: notices.ModeOff} {
			if err := e.notices.SavePrefs(p.ctx, p.PersonID, map[string]notices.Mode{NoticeReminder.Name: m}); err != nil {
				t.Fatal(err)
			}
		}
		in := poll(g)
		in.OpensAt = start.Add(time.Hour)
		in.ClosesAt = in.OpensAt.Add(72 * time.Hour)
		dec := e.open(t, org, in)
		e.vote(t, dec, org, Choice{Option: 1})
		e.clock.Set(dec.ClosesAt.Add(-RemindBefore + time.Minute))
		if n, err := e.svc.SendReminders(e.system); err != nil || n != 3 {
			t.Fatalf("SendReminders = %d, %v; want the three who have not voted", n, err)
		}
		got := e.reminded(t)[dec.ID]
		if len(got) != 1 || !strings.HasPrefix(got[0], "nat.now") {
			t.Errorf("reminder mails to %v, want only Nat (instant)", got)
		}
		if n, err := e.notices.SendDigests(e.system); err != nil || n != 1 {
			t.Fatalf("SendDigests = %d, %v; want Dai's", n, err)
		}
	})
}
