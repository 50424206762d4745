package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// TestMergeMovesEveryCapabilitysRows: merging two records of one person
// moves that person's place in decisions and events to the kept record,
// through the movers app wires into people (decisions and events own those
// tables; people does not name them). Above all the vote: the kept record
// must not be able to vote again in a ballot the merged one voted in. On
// both engines.
func TestMergeMovesEveryCapabilitysRows(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a, d := n.App, n.App.DB
		sys := auth.WithSystem(context.Background())
		ctx := context.Background()
		keep, err := a.People.Create(sys, people.Input{GivenName: "Jo", FamilyName: "Bloggs", Email: "jo@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		merged, err := a.People.Create(sys, people.Input{GivenName: "Joanne", FamilyName: "Bloggs", Email: "joanne@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		decisionID, eventID := db.NewID(), db.NewID()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			// The merged record was in an electorate with the kept one, voted
			// by name, and stood as a candidate…
			{`INSERT INTO decisions (id, title, kind, method, created_at, updated_at) VALUES (?, 'Chair', 'poll', 'plurality', ?, ?)`, []any{decisionID, now, now}},
			{`INSERT INTO decision_electorate (decision_id, person_id) VALUES (?, ?), (?, ?)`, []any{decisionID, keep.ID, decisionID, merged.ID}},
			{`INSERT INTO decision_voters (decision_id, person_id) VALUES (?, ?)`, []any{decisionID, merged.ID}},
			{`INSERT INTO decision_options (id, decision_id, position, label, person_id) VALUES (?, ?, 1, 'Jo', ?)`, []any{db.NewID(), decisionID, merged.ID}},
			{`INSERT INTO decision_ballots (id, decision_id, receipt_hash, content, person_id) VALUES (?, ?, 'receipt-hash', '[1]', ?)`,
				[]any{db.NewID(), decisionID, merged.ID}},
			// …said they would come to an event, was reminded of it with a
			// link to cancel, and follows a personal calendar feed.
			{`INSERT INTO events (id, title, kind, starts_at, ends_at, time_zone, created_at, updated_at)
				VALUES (?, 'Meeting', 'meeting', ?, ?, 'Europe/London', ?, ?)`, []any{eventID, now, now.Add(time.Hour), now, now}},
			{`INSERT INTO event_rsvps (event_id, person_id, status, created_at, updated_at) VALUES (?, ?, 'accepted', ?, ?)`, []any{eventID, merged.ID, now, now}},
			{`INSERT INTO event_hosts (event_id, person_id) VALUES (?, ?)`, []any{eventID, merged.ID}},
			{`INSERT INTO event_reminders (event_id, person_id, kind, sent_at) VALUES (?, ?, 'day', ?)`, []any{eventID, merged.ID, now}},
			{`INSERT INTO event_cancel_links (token_hash, event_id, person_id, created_at, expires_at) VALUES ('cancel-hash', ?, ?, ?, ?)`,
				[]any{eventID, merged.ID, now, now.Add(time.Hour)}},
			{`INSERT INTO event_feed_tokens (person_id, token_hash, created_at) VALUES (?, 'feed-hash', ?)`, []any{merged.ID, now}},
		} {
			if _, err := d.Exec(ctx, q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.People.Merge(sys, keep.ID, merged.ID); err != nil {
			t.Fatal(err)
		}
		count := func(query string, args ...any) int {
			var c int
			if err := d.QueryRow(ctx, query, args...).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		for _, c := range []struct {
			what, query string
			ref         string
		}{
			{"the vote", `SELECT COUNT(*) FROM decision_voters WHERE decision_id = ? AND person_id = ?`, decisionID},
			{"the place in the electorate", `SELECT COUNT(*) FROM decision_electorate WHERE decision_id = ? AND person_id = ?`, decisionID},
			{"the candidacy", `SELECT COUNT(*) FROM decision_options WHERE decision_id = ? AND person_id = ?`, decisionID},
			{"the named ballot", `SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ? AND person_id = ?`, decisionID},
			{"the RSVP", `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND person_id = ?`, eventID},
			{"the hosting", `SELECT COUNT(*) FROM event_hosts WHERE event_id = ? AND person_id = ?`, eventID},
			{"the reminder sent", `SELECT COUNT(*) FROM event_reminders WHERE event_id = ? AND person_id = ?`, eventID},
			{"the cancel link", `SELECT COUNT(*) FROM event_cancel_links WHERE event_id = ? AND person_id = ?`, eventID},
		} {
			if got := count(c.query, c.ref, keep.ID); got != 1 {
				t.Errorf("%s did not follow the person: %d rows for the kept record, want 1", c.what, got)
			}
		}
		if got := count(`SELECT COUNT(*) FROM event_feed_tokens WHERE person_id = ? AND token_hash = 'feed-hash'`, keep.ID); got != 1 {
			t.Errorf("the calendar feed did not follow the person")
		}
		if got := count(`SELECT COUNT(*) FROM decision_electorate WHERE decision_id = ?`, decisionID); got != 1 {
			t.Errorf("the electorate has %d rows after the merge, want 1", got)
		}
		// The audit entry counts what each capability moved.
		var detail string
		if err := d.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = 'person.merged' AND target_id = ?`, keep.ID).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"decision_voters":1`, `"event_rsvps":1`, `"emails":1`} {
			if !strings.Contains(detail, key) {
				t.Errorf("audit detail %s lacks %s", detail, key)
			}
		}
	})
}
