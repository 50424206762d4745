package events

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// towns are the centres the benchmark's events gather around.
var towns = []geo.Point{
	{Lat: 51.507, Lng: -0.128}, {Lat: 52.486, Lng: -1.890}, {Lat: 53.480, Lng: -2.242}, {Lat: 53.801, Lng: -1.549},
	{Lat: 55.953, Lng: -3.188}, {Lat: 55.864, Lng: -4.252}, {Lat: 51.454, Lng: -2.588}, {Lat: 53.408, Lng: -2.991},
	{Lat: 54.978, Lng: -1.618}, {Lat: 52.954, Lng: -1.158}, {Lat: 53.383, Lng: -1.465}, {Lat: 51.481, Lng: -3.179},
	{Lat: 50.376, Lng: -4.143}, {Lat: 52.630, Lng: 1.297}, {Lat: 51.752, Lng: -1.258}, {Lat: 52.205, Lng: 0.122},
	{Lat: 54.597, Lng: -5.930}, {Lat: 57.149, Lng: -2.094}, {Lat: 50.822, Lng: -0.137}, {Lat: 53.745, Lng: -0.336},
}

// BenchmarkNear measures "events near me": MOMENTUM_BENCH_EVENTS events
// (default 100,000) around twenty UK towns, a year either side of now, 60%
// public; each iteration asks, as an anonymous visitor, for the first page
// of upcoming events within 25 km of a random town. It reports the p95 of
// one call, on both engines:
//
//	MOMENTUM_TEST_POSTGRES_URL=… go test ./internal/events -run '^$' -bench Near -benchtime 500x
func BenchmarkNear(b *testing.B) {
	n := 100_000
	if s := os.Getenv("MOMENTUM_BENCH_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("MOMENTUM_BENCH_EVENTS=%q is not a positive number", s)
		}
	}
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.NewSQLite}, {"postgres", dbtest.NewPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			d := engine.open(b)
			now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
			fillEvents(b, d, n, now)
			c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
				Config: config.Config{BaseURL: testSite}})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			svc, err := New(Deps{DB: d, Policy: c.Policy, People: c.People, Recorder: c.People,
				Notifier: NewMailNotifier(newNotices(b, d, c, time.UTC), c.People, testSite), Guests: PeopleGuests{People: c.People},
				BaseURL: testSite, Zone: time.UTC, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				got, total, err := svc.Near(context.Background(), NearFilter{Point: towns[r.IntN(len(towns))], WithinKm: 25})
				lat = append(lat, time.Since(start))
				if err != nil || len(got) == 0 || total < len(got) {
					b.Fatalf("near: %d of %d, %v", len(got), total, err)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// fillEvents inserts n events in batches, then analyses the tables.
func fillEvents(b *testing.B, d *db.DB, n int, now time.Time) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	const per = 500
	cols := `(id, title, kind, starts_at, ends_at, time_zone, latitude, longitude, visibility, status, created_at, updated_at)`
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", 12), ", ") + ")"
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		args := make([]any, 0, k*12)
		for j := range k {
			town := towns[r.IntN(len(towns))]
			start := now.Add(time.Duration(r.IntN(730*24)-365*24) * time.Hour)
			vis := Public
			if r.IntN(10) >= 6 {
				vis = Members
			}
			args = append(args, db.NewID(), fmt.Sprintf("Event %d", i+j), Kinds[r.IntN(len(Kinds))], start, start.Add(2*time.Hour),
				"Europe/London", town.Lat+(r.Float64()-0.5)*0.3, town.Lng+(r.Float64()-0.5)*0.5, vis, Scheduled, now, now)
		}
		q := `INSERT INTO events ` + cols + ` VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		if _, err := d.Exec(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
