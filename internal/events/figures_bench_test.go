package events

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// BenchmarkFigures measures the network's mobilisation figures (what
// /events/figures shows an admin) on data the size of the demo network's
// default (`momentum demo`: 20,000 people, 300 events across 150 groups,
// half of them over): 6,000 answers, a third of them checked in, and 1,500
// people who came in through an event. It reports the p95 and p50 of one
// call, on both engines:
//
//	MOMENTUM_TEST_POSTGRES_URL=… go test ./internal/events -run '^$' -bench Figures -benchtime 50x
func BenchmarkFigures(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.NewSQLite}, {"postgres", dbtest.NewPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			d := engine.open(b)
			now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
			fillFigures(b, d, now)
			c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
				Config: config.Config{BaseURL: testSite}})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			c.Policy.AddRules(Rules()...)
			svc, err := New(Deps{DB: d, Policy: c.Policy, People: c.People, Recorder: c.People,
				Notifier: NewMailNotifier(newNotices(b, d, c, time.UTC), c.People, testSite), Guests: PeopleGuests{People: c.People},
				BaseURL: testSite, Zone: time.UTC, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			admin := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: db.NewID(), Role: auth.RoleAdmin, Verified: true})
			f := FiguresFilter{From: now.AddDate(-1, 0, 0)}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				fig, err := svc.Figures(admin, f)
				lat = append(lat, time.Since(start))
				if err != nil || fig.Total.Events < 100 || fig.Total.New == 0 || fig.Total.Attended == 0 {
					b.Fatalf("figures %+v, %v", fig, err)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// fillFigures inserts the demo-sized network BenchmarkFigures reads.
func fillFigures(b *testing.B, d *db.DB, now time.Time) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 5))
	insert := func(table, cols string, rows [][]any) {
		n := strings.Count(cols, ",") + 1
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
		for i := 0; i < len(rows); i += 400 {
			part := rows[i:min(i+400, len(rows))]
			args := make([]any, 0, len(part)*n)
			for _, r := range part {
				args = append(args, r...)
			}
			q := `INSERT INTO ` + table + ` (` + cols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", len(part)), ", ")
			if _, err := d.Exec(ctx, q, args...); err != nil {
				b.Fatalf("fill %s: %v", table, err)
			}
		}
	}
	var groups, events, past, people [][]any
	for i := range 150 {
		groups = append(groups, []any{db.NewID(), fmt.Sprintf("group-%d", i), fmt.Sprintf("Group %d", i), "local", now, now, now})
	}
	insert("groups", "id, slug, name, kind, last_activity_at, created_at, updated_at", groups)
	for i := range 300 {
		start := now.Add(time.Duration(r.IntN(330*24)-300*24) * time.Hour) // mostly past, some to come
		ev := []any{db.NewID(), fmt.Sprintf("Event %d", i), Kinds[r.IntN(len(Kinds))], start, start.Add(2 * time.Hour), "Europe/London",
			groups[r.IntN(len(groups))][0], Public, Scheduled, now, now}
		events = append(events, ev)
		if start.Add(2 * time.Hour).Before(now) {
			past = append(past, ev)
		}
	}
	insert("events", "id, title, kind, starts_at, ends_at, time_zone, group_id, visibility, status, created_at, updated_at", events)
	for i := range 20_000 {
		source, detail := "import", "members.csv"
		if i%40 < 3 { // 1,500 came in through an event that is over
			source, detail = "event", past[r.IntN(len(past))][0].(string)
		}
		people = append(people, []any{db.NewID(), "Person", fmt.Sprint(i), source, detail, now, now})
	}
	insert("people", "id, given_name, family_name, source, source_detail, created_at, updated_at", people)
	var rsvps [][]any
	seen := map[[2]int]bool{}
	for len(rsvps) < 6000 {
		ei, pi := r.IntN(len(past)), r.IntN(len(people))
		if seen[[2]int{ei, pi}] {
			continue
		}
		seen[[2]int{ei, pi}] = true
		status, at := []string{Accepted, Accepted, Accepted, Tentative, Declined}[r.IntN(5)], any(nil)
		if status == Accepted && r.IntN(2) == 0 {
			at = now
		}
		rsvps = append(rsvps, []any{past[ei][0], "", people[pi][0], status, at, "event page", now, now})
	}
	insert("event_rsvps", "event_id, shift_id, person_id, status, attended_at, source, created_at, updated_at", rsvps)
	if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
