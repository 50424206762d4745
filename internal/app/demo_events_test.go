package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
)

// TestDemoEvents: the demo holds about 300 events across its groups, past
// and to come, with answers, and attendance at past ones on people's
// timelines (so the ladder counts it).
func TestDemoEvents(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 400))})
		t.Logf("started with the demo in %v", time.Since(start).Round(time.Millisecond))
		ctx, now := context.Background(), time.Now().UTC()
		var total, past, groups, rsvps, attended, actions int
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM events`).Scan(&total)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE ends_at < ?`, now).Scan(&past)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(DISTINCT group_id) FROM events`).Scan(&groups)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps`).Scan(&rsvps)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps WHERE attended_at IS NOT NULL`).Scan(&attended)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM person_actions WHERE kind = 'event.attended'`).Scan(&actions)
		if total != 300 || past < 150 || total-past < 50 || groups < 50 || rsvps < 400 || attended < 100 || actions != attended {
			t.Fatalf("demo events: %d (%d past) in %d groups, %d answers, %d attended, %d timeline entries", total, past, groups, rsvps, attended, actions)
		}
	})
}
