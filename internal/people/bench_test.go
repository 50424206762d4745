package people

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// benchDistricts returns about 3,000 postcode districts (the UK has about
// 2,900), among them E8 and the rest of area E.
func benchDistricts() []string {
	areas := []string{"E", "N", "W", "B", "G", "L", "M", "S"}
	for _, a := range "ABCDHKLNPRSTW" {
		for _, b := range "ABCDFGHLMNPRSTWY" {
			if len(areas) < 120 {
				areas = append(areas, string(a)+string(b))
			}
		}
	}
	var out []string
	for _, a := range areas {
		for n := 1; n <= 25; n++ {
			out = append(out, a+strconv.Itoa(n))
		}
	}
	return out
}

// benchPopulate inserts n people in one transaction through prepared
// multi-row statements: about one in ten carries the tag "volunteer", and
// everyone one or two of nineteen other tags.
func benchPopulate(tb testing.TB, d *db.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	districts := benchDistricts()
	tagIDs := make([]string, 20)
	now := db.Now()
	const rowsPer = 100
	peopleSQL := `INSERT INTO people (id, given_name, family_name, email, email_key, name_key, postcode, postcode_district,
		source, created_at, updated_at) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, 'import', ?, ?), ", rowsPer), ", ")
	tagsSQL := `INSERT INTO person_tags (tag_id, person_id, created_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", rowsPer), ", ") + ` ON CONFLICT DO NOTHING`
	start := time.Now()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for i := range tagIDs {
			tagIDs[i] = db.NewID()
			name := fmt.Sprintf("tag%02d", i)
			if i == 0 {
				name = "volunteer"
			}
			if _, err := tx.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, ?, ?, ?)`, tagIDs[i], name, name, now); err != nil {
				return err
			}
		}
		ps, err := tx.SQL().PrepareContext(ctx, d.Rebind(peopleSQL))
		if err != nil {
			return err
		}
		ts, err := tx.SQL().PrepareContext(ctx, d.Rebind(tagsSQL))
		if err != nil {
			return err
		}
		var pargs, targs []any
		for i := range n {
			id := db.NewID()
			given, family := fmt.Sprintf("Given%d", i), fmt.Sprintf("Family%d", i%5000)
			email := fmt.Sprintf("p%d@example.org", i)
			district := districts[rng.IntN(len(districts))]
			pargs = append(pargs, id, given, family, email, email, NameKey(given, family), district+" 1AA", district, now, now)
			if rng.IntN(10) == 0 {
				targs = append(targs, tagIDs[0], id, now)
			}
			for range 1 + rng.IntN(2) {
				targs = append(targs, tagIDs[1+rng.IntN(19)], id, now)
			}
			if len(pargs) < rowsPer*10 {
				continue
			}
			if _, err := ps.ExecContext(ctx, pargs...); err != nil {
				return fmt.Errorf("insert people: %w", err)
			}
			pargs = pargs[:0]
			// Tags only once their people are in.
			for len(targs) >= rowsPer*3 {
				if _, err := ts.ExecContext(ctx, targs[:rowsPer*3]...); err != nil {
					return fmt.Errorf("insert tags: %w", err)
				}
				targs = slices.Delete(targs, 0, rowsPer*3)
			}
		}
		for len(pargs) > 0 { // the remainder, one row at a time
			if _, err := tx.Exec(ctx, `INSERT INTO people (id, given_name, family_name, email, email_key, name_key, postcode,
				postcode_district, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'import', ?, ?)`, pargs[:10]...); err != nil {
				return err
			}
			pargs = pargs[10:]
		}
		for len(targs) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO person_tags (tag_id, person_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, targs[:3]...); err != nil {
				return err
			}
			targs = targs[3:]
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("populate: %v", err)
	}
	analyze := "ANALYZE"
	if d.Dialect == db.Postgres {
		analyze = "VACUUM ANALYZE" // what autovacuum does soon after a bulk load
	}
	if _, err := d.Exec(ctx, analyze); err != nil {
		tb.Fatalf("analyze: %v", err)
	}
	tb.Logf("%s: %d people inserted in %s", d.Dialect, n, time.Since(start).Round(time.Millisecond))
}

// BenchmarkListByTagAndArea measures the people list filtered by a tag and
// an area on MOMENTUM_BENCH_PEOPLE people (default 20,000), on SQLite and,
// with MOMENTUM_TEST_POSTGRES_URL, PostgreSQL. It reports the 95th
// percentile of the page time as p95-ms.
func BenchmarkListByTagAndArea(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("MOMENTUM_BENCH_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.NewSQLite}, {"postgres", dbtest.NewPostgres}}
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			benchPopulate(b, d, n)
			e := newEnv(b, d)
			cases := []struct {
				name string
				f    Filter
			}{
				{"tag+district", Filter{Tags: []string{"volunteer"}, Districts: []string{"E8"}}},
				{"tag+area", Filter{Tags: []string{"volunteer"}, Districts: []string{"E"}}},
				{"tag", Filter{Tags: []string{"volunteer"}}},
				{"tag+area+next-page", Filter{Tags: []string{"volunteer"}, Districts: []string{"E"}, Limit: 5}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					if c.name == "tag+area+next-page" {
						first, err := e.svc.List(e.admin, c.f)
						if err != nil || first.Next == "" {
							b.Fatalf("first page: %+v, %v", first.Next, err)
						}
						c.f.After = first.Next
					}
					var times []time.Duration
					rows := 0
					for b.Loop() {
						t0 := time.Now()
						page, err := e.svc.List(e.admin, c.f)
						times = append(times, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
						rows = len(page.People)
					}
					slices.Sort(times)
					p95 := times[len(times)*95/100]
					b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}
