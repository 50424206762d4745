package talk_test

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestTalkKeepsGroupAlive (issue 13): a new thread and a new comment in a
// group are activity (groups.Touch, in talk's transaction): the group's
// last activity moves to now, and a dormant group wakes up. A network
// thread touches no group.
func TestTalkKeepsGroupAlive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		g := e.group(t, "hackney")
		m := e.person(t, "Max Member", auth.RoleMember)
		e.join(t, g, m, "member")
		long := e.clock().Add(-400 * 24 * time.Hour)
		set := func(status string) {
			t.Helper()
			var dormant any
			if status == "dormant" {
				dormant = long
			}
			if _, err := d.Exec(ctx, `UPDATE groups SET status = ?, dormant_at = ?, last_activity_at = ? WHERE id = ?`, status, dormant, long, g); err != nil {
				t.Fatal(err)
			}
		}
		state := func() (string, time.Time) {
			t.Helper()
			var status string
			var at time.Time
			if err := d.QueryRow(ctx, `SELECT status, last_activity_at FROM groups WHERE id = ?`, g).Scan(&status, &at); err != nil {
				t.Fatal(err)
			}
			return status, at.UTC()
		}

		set("active")
		e.tick(time.Minute)
		th := e.thread(t, m, talk.ThreadInput{GroupID: g})
		if status, at := state(); status != "active" || !at.Equal(e.clock()) {
			t.Errorf("after a new thread: %s, last activity %v; want active at %v", status, at, e.clock())
		}

		set("dormant")
		e.tick(time.Minute)
		e.comment(t, m, th.ID, "Anyone still here?")
		if status, at := state(); status != "active" || !at.Equal(e.clock()) {
			t.Errorf("after a comment in a dormant group: %s, last activity %v; want active again at %v", status, at, e.clock())
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'group.revived' AND target_id = ?`, g).Scan(&n); err != nil || n != 1 {
			t.Errorf("group.revived audited %d times (%v); want 1", n, err)
		}

		// A network thread is no group's activity, and a refused comment none.
		set("active")
		e.tick(time.Minute)
		e.thread(t, m, talk.ThreadInput{Visibility: talk.Members})
		outsider := e.person(t, "Otto Outsider", auth.RoleMember)
		if _, err := e.svc.Comment(outsider.ctx, th.ID, talk.CommentInput{Body: "hi"}); err == nil {
			t.Fatal("an outsider commented in a group thread")
		}
		if _, at := state(); !at.Equal(long) {
			t.Errorf("last activity moved to %v by a network thread or a refused comment", at)
		}
	})
}
