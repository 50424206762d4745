package messaging_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestClaimProtocol: rows an attempt that died left 'sending' are sent
// once by the next attempt; a row already marked sent is never sent again;
// a person who withdrew consent after the recipients were fixed is skipped.
func TestClaimProtocol(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		e := newEnv(t, d, mp.SMTPURL)
		g := e.group(t, "Hackney")
		var ids []string
		for i := range 12 {
			id := e.person(t, fmt.Sprintf("Member %02d", i), true)
			e.join(t, g, id, "member")
			ids = append(ids, id)
		}
		b := e.mustCreate(t, e.admin.ctx, mail(g))
		if _, err := e.svc.Send(e.admin.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		// As a node that died would leave them: four rows claimed by its
		// attempt, one of them already recorded as sent (handed over).
		if _, err := d.Exec(e.sys, `UPDATE broadcast_recipients SET status = 'sending', claim = 'dead.1'
			WHERE broadcast_id = ? AND person_id IN (?, ?, ?)`, b.ID, ids[0], ids[1], ids[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(e.sys, `UPDATE broadcast_recipients SET status = 'sent', claim = 'dead.1', sent_at = ?
			WHERE broadcast_id = ? AND person_id = ?`, db.Now(), b.ID, ids[3]); err != nil {
			t.Fatal(err)
		}
		e.consent(t, ids[4], "email", "withdrawn")

		e.startJobs(t)
		e.waitStatus(t, b.ID, messaging.StatusSent, 30*time.Second)
		got := map[string]int{}
		for _, m := range mp.Messages(t) {
			for _, to := range m.To {
				got[to]++
			}
		}
		for i := range 12 {
			addr, want := emailOf(fmt.Sprintf("Member %02d", i)), 1
			if i == 3 || i == 4 {
				want = 0
			}
			if got[addr] != want {
				t.Errorf("%s received %d, want %d", addr, got[addr], want)
			}
		}
		st, err := e.svc.Stats(e.admin.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Recipients != 12 || st.Sent != 11 || st.Skipped != 1 || st.Queued != 0 {
			t.Errorf("stats %+v", st)
		}
		var stale int
		if err := d.QueryRow(e.sys, `SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ? AND status = 'sending'`, b.ID).Scan(&stale); err != nil || stale != 0 {
			t.Errorf("%d rows left sending, %v", stale, err)
		}
	})
}

// TestFanOutEndedPauses: a fan-out job Jobs ends without its worker (an
// admin cancelled it on a dead node, or it ran out of attempts) hands its
// claimed rows back and pauses the broadcast, which Resume continues.
func TestFanOutEndedPauses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		for i := range 3 {
			e.join(t, g, e.person(t, fmt.Sprintf("Member %d", i), true), "member")
		}
		b := e.mustCreate(t, e.admin.ctx, mail(g))
		if _, err := e.svc.Send(e.admin.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(e.sys, `UPDATE broadcast_recipients SET status = 'sending', claim = 'dead.1' WHERE broadcast_id = ?`, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := messaging.FanOutEnded(e.svc, e.sys, []byte(`{"broadcast_id":"`+b.ID+`"}`), "cancelled"); err != nil {
			t.Fatal(err)
		}
		got, _ := e.svc.Get(e.admin.ctx, b.ID)
		st, _ := e.svc.Stats(e.admin.ctx, b.ID)
		var claimed int
		if err := d.QueryRow(e.sys, `SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ? AND status = 'sending'`, b.ID).Scan(&claimed); err != nil {
			t.Fatal(err)
		}
		if got.Status != messaging.StatusPaused || st.Queued != 3 || claimed != 0 {
			t.Errorf("after the job ended: %s, stats %+v, %d rows still claimed", got.Status, st, claimed)
		}
		// Ended again (a second report): nothing more to do.
		if err := messaging.FanOutEnded(e.svc, e.sys, []byte(`{"broadcast_id":"`+b.ID+`"}`), "discarded"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestStaleClaimsAfterDatabaseRestart: on PostgreSQL, where marks are
// committed asynchronously (journal.Accepting), rows a dead attempt
// claimed before the database server last started are failed as
// "delivery unknown" rather than sent again; rows claimed since are sent.
// On SQLite, whose commits are synchronous, both are sent.
func TestStaleClaimsAfterDatabaseRestart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		e := newEnv(t, d, mp.SMTPURL)
		g := e.group(t, "Hackney")
		var ids []string
		for i := range 4 {
			id := e.person(t, fmt.Sprintf("Member %02d", i), true)
			e.join(t, g, id, "member")
			ids = append(ids, id)
		}
		b := e.mustCreate(t, e.admin.ctx, mail(g))
		if _, err := e.svc.Send(e.admin.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		// Claimed in 1970 (before any server start) and claimed now.
		before, since := "7.1.100", fmt.Sprintf("8.1.%d", time.Now().Unix()+1)
		for i, claim := range []string{before, before, since, since} {
			if _, err := d.Exec(e.sys, `UPDATE broadcast_recipients SET status = 'sending', claim = ?
				WHERE broadcast_id = ? AND person_id = ?`, claim, b.ID, ids[i]); err != nil {
				t.Fatal(err)
			}
		}
		e.startJobs(t)
		e.waitStatus(t, b.ID, messaging.StatusSent, 30*time.Second)
		got := map[string]int{}
		for _, m := range mp.Messages(t) {
			for _, to := range m.To {
				got[to]++
			}
		}
		for i := range 4 {
			want := 1
			if i < 2 && d.Dialect == db.Postgres {
				want = 0
			}
			if addr := emailOf(fmt.Sprintf("Member %02d", i)); got[addr] != want {
				t.Errorf("%s (%s) received %d, want %d", addr, d.Dialect, got[addr], want)
			}
		}
		st, err := e.svc.Stats(e.admin.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantFailed := 0
		if d.Dialect == db.Postgres {
			wantFailed = 2
		}
		if st.Failed != wantFailed || st.Sent != 4-wantFailed {
			t.Errorf("stats %+v, want %d failed", st, wantFailed)
		}
	})
}
