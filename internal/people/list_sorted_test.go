package people

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestListSorted orders the list by each allowed column in both
// directions (people never active last either way), pages by offset, and
// refuses a sort it does not know as invalid input.
func TestListSorted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// Joined in the order brook, clay, ames.
		e.named(t, "Bea", "Brook")
		e.clock.Advance(time.Hour)
		clay := e.named(t, "Cal", "clay") // lower case: the name order ignores case
		e.clock.Advance(time.Hour)
		ames := e.named(t, "Ada", "Ames")
		t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		for id, at := range map[string]time.Time{clay.ID: t0, ames.ID: t0.Add(time.Hour)} {
			if _, err := d.Q().Exec(e.admin, `UPDATE people SET last_active_at = ? WHERE id = ?`, at, id); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			Sort string
			Desc bool
			Want []string
		}{
			{"name", false, []string{"Ames", "Brook", "clay"}},
			{"name", true, []string{"clay", "Brook", "Ames"}},
			{"joined", false, []string{"Brook", "clay", "Ames"}},
			{"joined", true, []string{"Ames", "clay", "Brook"}},
			{"last_active", false, []string{"clay", "Ames", "Brook"}},
			{"last_active", true, []string{"Ames", "clay", "Brook"}},
		} {
			ps, err := e.svc.ListSorted(e.admin, Filter{Text: "a"}, tc.Sort, tc.Desc, 0)
			if err != nil {
				t.Fatalf("%s desc=%v: %v", tc.Sort, tc.Desc, err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.FamilyName)
			}
			if !slices.Equal(got, tc.Want) {
				t.Errorf("%s desc=%v: got %v, want %v", tc.Sort, tc.Desc, got, tc.Want)
			}
			// The second page of one holds the second person.
			two, err := e.svc.ListSorted(e.admin, Filter{Text: "a", Limit: 1}, tc.Sort, tc.Desc, 1)
			if err != nil || len(two) != 1 || two[0].FamilyName != tc.Want[1] {
				t.Errorf("%s desc=%v offset 1: got %v, %v; want %s", tc.Sort, tc.Desc, two, err, tc.Want[1])
			}
		}
		for _, bad := range []string{"", "id; DROP TABLE people", "email"} {
			if _, err := e.svc.ListSorted(e.admin, Filter{}, bad, false, 0); !errs.Is(err, errs.Invalid) {
				t.Errorf("sort %q: got %v, want invalid", bad, err)
			}
		}
	})
}

// BenchmarkListSorted measures the people web list's query (issue 16): a
// sorted, numbered page and its COUNT, on MOMENTUM_BENCH_PEOPLE people
// (default 20,000), on SQLite and, with MOMENTUM_TEST_POSTGRES_URL,
// PostgreSQL. It reports the 95th percentile as p95-ms.
func BenchmarkListSorted(b *testing.B) {
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
				name   string
				f      Filter
				sort   string
				desc   bool
				offset int
			}{
				{"everyone/joined", Filter{}, "joined", false, 0},
				{"everyone/name", Filter{}, "name", false, 0},
				{"everyone/name/page-200", Filter{}, "name", true, 199 * 50},
				{"everyone/last_active", Filter{}, "last_active", true, 0},
				{"tag+area/name", Filter{Tags: []string{"volunteer"}, Districts: []string{"E"}}, "name", false, 0},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					c.f.Limit = 50
					var times []time.Duration
					rows := 0
					for b.Loop() {
						t0 := time.Now()
						ps, err := e.svc.ListSorted(e.admin, c.f, c.sort, c.desc, c.offset)
						if err == nil {
							_, err = e.svc.Count(e.admin, c.f)
						}
						times = append(times, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
						rows = len(ps)
					}
					slices.Sort(times)
					b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}
