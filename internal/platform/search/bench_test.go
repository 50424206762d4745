package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// The search benchmark: MOMENTUM_BENCH_SEARCH_ITEMS generated documents
// (1,000,000 for docs/PERFORMANCE.md), then a fixed set of queries of one
// to three words, common and rare, run as an ordinary member of two
// groups; it reports each engine's p50 and p95 and the index's size per
// document. Without the variable it is skipped, so CI never builds the
// rows. The databases are kept between runs (SQLite in
// MOMENTUM_BENCH_SEARCH_DIR, default the temp folder; PostgreSQL in a
// database named after the item count on MOMENTUM_TEST_POSTGRES_URL's
// server) and filled only when their count differs:
//
//	MOMENTUM_BENCH_SEARCH_ITEMS=1000000 go test -run '^$' -bench BenchmarkSearch -benchtime 1x -timeout 3h ./internal/platform/search
const (
	envBenchItems = "MOMENTUM_BENCH_SEARCH_ITEMS"
	envBenchDir   = "MOMENTUM_BENCH_SEARCH_DIR"
)

func benchItems(b *testing.B) int {
	v := os.Getenv(envBenchItems)
	if v == "" {
		b.Skipf("set %s (e.g. 1000000) to run the search benchmark", envBenchItems)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1000 {
		b.Fatalf("%s=%q: want a number ≥ 1000", envBenchItems, v)
	}
	return n
}

func BenchmarkSearch(b *testing.B) {
	n := benchItems(b)
	b.Run("sqlite", func(b *testing.B) {
		dir := os.Getenv(envBenchDir)
		if dir == "" {
			dir = os.TempDir()
		}
		path := filepath.Join(dir, fmt.Sprintf("momentum-search-bench-%d.db", n))
		d, err := db.Open(context.Background(), db.Options{Path: path})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		runBench(b, d, n)
	})
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(dbtest.EnvPostgres)
		if base == "" {
			b.Skipf("set %s to run on PostgreSQL", dbtest.EnvPostgres)
		}
		name := fmt.Sprintf("momentum_search_bench_%d", n)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			b.Fatal(err)
		}
		var exists bool
		if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			b.Fatal(err)
		}
		if !exists {
			if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
				b.Fatal(err)
			}
		}
		admin.Close()
		u, _ := url.Parse(base)
		u.Path = "/" + name
		d, err := db.Open(context.Background(), db.Options{URL: u.String()})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		runBench(b, d, n)
	})
}

func runBench(b *testing.B, d *db.DB, n int) {
	ctx := context.Background()
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	c := newCorpus()
	var have int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM search_docs`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have != n {
		start := time.Now()
		if err := load(ctx, d, c, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: loaded %d documents in %s", d.Dialect, n, time.Since(start).Round(time.Second))
	}
	size := indexSize(b, d)
	b.Logf("%s: %d documents; database %.0f MB, %.0f bytes a document", d.Dialect, n, float64(size)/1e6, float64(size)/float64(n))

	scope := search.Scope{Members: true, GroupIDs: []string{groupID(3), groupID(17)}}
	queries := c.queries(200)
	// Warm the caches once, as a running node would be.
	for _, q := range queries {
		if _, err := search.Search(ctx, d.Q(), scope, search.Query{Text: q.text}); err != nil {
			b.Fatalf("%q: %v", q.text, err)
		}
	}
	byClass := map[string][]time.Duration{}
	var all, cpu []time.Duration
	// The query runs on this goroutine, so on SQLite (in process) the
	// thread's CPU time is the query's cost without the waits a busy
	// machine adds; PostgreSQL's work is in the server, not counted.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			c0 := threadCPU()
			t0 := time.Now()
			_, err := search.Search(ctx, d.Q(), scope, search.Query{Text: q.text})
			el := time.Since(t0)
			if err != nil {
				b.Fatalf("%q: %v", q.text, err)
			}
			cpu = append(cpu, threadCPU()-c0)
			all = append(all, el)
			byClass[q.class] = append(byClass[q.class], el)
		}
	}
	b.StopTimer()
	b.Logf("%s: this thread's CPU a query: p50 %.1f ms, p95 %.1f ms", d.Dialect, ms(pct(cpu, 50)), ms(pct(cpu, 95)))
	var load [3]float64
	if l, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Sscan(string(l), &load[0], &load[1], &load[2])
	}
	b.Logf("load average during the run: %.1f (%d CPUs)", load[0], runtime.NumCPU())
	p50, p95 := pct(all, 50), pct(all, 95)
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p95), "p95-ms")
	b.ReportMetric(float64(size)/float64(n), "bytes/doc")
	classes := make([]string, 0, len(byClass))
	for k := range byClass {
		classes = append(classes, k)
	}
	slices.Sort(classes)
	// Printed, not logged: go test keeps only the first lines of a
	// benchmark's log.
	var table strings.Builder
	for _, k := range classes {
		ds := byClass[k]
		fmt.Fprintf(&table, "\n%s %-12s n=%4d p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms", d.Dialect, k, len(ds), ms(pct(ds, 50)), ms(pct(ds, 95)), ms(pct(ds, 100)))
	}
	fmt.Fprintf(&table, "\n%s all          n=%4d p50 %6.1f ms  p95 %6.1f ms", d.Dialect, len(all), ms(p50), ms(p95))
	fmt.Println(table.String())
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// threadCPU is the calling thread's CPU time (Linux; 0 elsewhere).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

// indexSize is the bytes the index takes on disk.
func indexSize(b *testing.B, d *db.DB) int64 {
	ctx := context.Background()
	var size int64
	var err error
	switch d.Dialect {
	case db.Postgres:
		err = d.QueryRow(ctx, `SELECT pg_total_relation_size('search_docs') + pg_total_relation_size('search_terms')`).Scan(&size)
	default:
		if _, err := d.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		err = d.QueryRow(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&size)
	}
	if err != nil {
		b.Fatal(err)
	}
	return size
}

// corpus makes English-like text: a Zipf-distributed vocabulary of 20,000
// words (the commonest real English words, then made-up ones, shorter ones
// commoner) plus names and places.
type corpus struct {
	vocab  []string
	names  []string
	zipf   *rand.Zipf
	rng    *rand.Rand
	vocabN int
}

var realWords = strings.Fields(`the of and to a in is for on that with as it be are at by this we from or have an will
was not our can all your more about their which they you has one new people if when time also there who out up
group meeting community housing rent strike campaign action local support work council members network
public news report plan city school health climate energy water food workers union rights justice event
week year day month training session volunteer organise organiser petition letter march rally vote decision
budget fund money tenants landlord repair eviction transport bus cycle park library youth families children
care nurses hospital wages pay jobs contract safety police court law policy government minister election
protest banner leaflet door knock canvass phone call list data email street road estate block flat home
open space garden tree river air pollution waste recycling solar wind heat bills cost living poverty debt`)

var nameWords = strings.Fields(`olive amara bashir chen dara elena farah gustavo hana idris jamal keiko lena marco nadia omar priya
quinn rosa samir tomas uma viktor wen xiomara yusuf zara bristol leeds glasgow cardiff belfast manchester liverpool
newcastle sheffield nottingham brighton oxford cambridge norwich plymouth exeter swansea dundee aberdeen inverness
hackney lambeth peckham tottenham brixton moss side easton headingley govan splott`)

func newCorpus() *corpus {
	rng := rand.New(rand.NewPCG(13, 1))
	c := &corpus{rng: rng, names: nameWords}
	seen := map[string]bool{}
	for _, w := range realWords {
		if !seen[w] {
			seen[w] = true
			c.vocab = append(c.vocab, w)
		}
	}
	cons := []string{"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr"}
	vows := []string{"a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "y"}
	ends := []string{"", "", "n", "r", "s", "t", "ng", "st", "nd", "ck", "ll", "ment", "tion", "ing", "er", "ly"}
	for len(c.vocab) < 20000 {
		syl := 1 + len(c.vocab)*3/20000 + rng.IntN(2) // later (rarer) words are longer
		var w strings.Builder
		for range syl {
			w.WriteString(cons[rng.IntN(len(cons))])
			w.WriteString(vows[rng.IntN(len(vows))])
		}
		w.WriteString(ends[rng.IntN(len(ends))])
		if s := w.String(); !seen[s] && len(s) >= 3 {
			seen[s] = true
			c.vocab = append(c.vocab, s)
		}
	}
	c.vocabN = len(c.vocab)
	c.zipf = rand.NewZipf(rng, 1.07, 2, uint64(c.vocabN-1))
	return c
}

func (c *corpus) word() string {
	if c.rng.IntN(40) == 0 {
		w := c.names[c.rng.IntN(len(c.names))]
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return c.vocab[c.zipf.Uint64()]
}

func (c *corpus) words(n int, sentences bool) string {
	var b strings.Builder
	cap := true
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := c.word()
		if cap {
			w = strings.ToUpper(w[:1]) + w[1:]
			cap = false
		}
		b.WriteString(w)
		if sentences && (c.rng.IntN(12) == 0 || i == n-1) {
			b.WriteByte('.')
			cap = true
		}
	}
	return b.String()
}

// bodyLen is 20–300 words, log-uniform (most bodies short, some long).
func (c *corpus) bodyLen() int {
	return int(20 * math.Exp(c.rng.Float64()*math.Log(15)))
}

func groupID(i int) string { return fmt.Sprintf("g%04d", i) }

const benchGroups = 400

func (c *corpus) doc(i int) search.Doc {
	kinds := []string{search.KindComment, search.KindComment, search.KindComment, search.KindComment,
		search.KindThread, search.KindThread, search.KindDocument, search.KindDocument, search.KindDecision, search.KindEvent}
	d := search.Doc{Kind: kinds[c.rng.IntN(len(kinds))], ID: fmt.Sprintf("b%07d", i), At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 3 * time.Minute)}
	if c.rng.IntN(5) > 0 {
		d.GroupID = groupID(c.rng.IntN(benchGroups))
	}
	switch r := c.rng.IntN(10); {
	case r < 4:
		d.Visibility = search.Public
	case r < 7 || d.GroupID == "":
		d.Visibility = search.Members
	default:
		d.Visibility = search.Group
	}
	if d.Kind != search.KindComment || c.rng.IntN(3) == 0 {
		d.Title = c.words(4+c.rng.IntN(7), false)
	}
	d.Body = c.words(c.bodyLen(), true)
	d.Context = "in " + d.GroupID
	d.URL = "/x/" + d.ID
	return d
}

type benchQuery struct{ text, class string }

// queries: one to three words from the common (rank 10–200), middle
// (200–2,000) and rare (2,000–20,000) parts of the vocabulary, and names.
func (c *corpus) queries(n int) []benchQuery {
	rng := rand.New(rand.NewPCG(7, 7))
	common := func() string { return c.vocab[40+rng.IntN(160)] }
	mid := func() string { return c.vocab[200+rng.IntN(1800)] }
	rare := func() string { return c.vocab[2000+rng.IntN(c.vocabN-2000)] }
	name := func() string { return c.names[rng.IntN(len(c.names))] }
	mk := []struct {
		class string
		f     func() string
	}{
		{"1 common", func() string { return common() }},
		{"1 mid", func() string { return mid() }},
		{"1 rare", func() string { return rare() }},
		{"2 common", func() string { return common() + " " + common() }},
		{"common+rare", func() string { return common() + " " + rare() }},
		{"common+name", func() string { return common() + " " + name() }},
		{"3 mixed", func() string { return common() + " " + mid() + " " + rare() }},
		{"3 common", func() string { return common() + " " + common() + " " + common() }},
	}
	var out []benchQuery
	for i := range n {
		m := mk[i%len(mk)]
		out = append(out, benchQuery{m.f(), m.class})
	}
	return out
}

// load replaces the index with n generated documents, in big transactions
// (COPY on PostgreSQL, the GIN index built after).
func load(ctx context.Context, d *db.DB, c *corpus, n int) error {
	if _, err := d.Exec(ctx, `DELETE FROM search_docs`); err != nil {
		return err
	}
	if d.Dialect == db.Postgres {
		return loadPostgres(ctx, d, c, n)
	}
	const batch, perTx = 200, 50_000
	for i := 0; i < n; {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for end := min(n, i+perTx); i < end; {
				k := min(batch, end-i)
				var sb strings.Builder
				sb.WriteString(`INSERT INTO search_docs (kind, id, group_id, visibility, title, body, context, url, at) VALUES `)
				args := make([]any, 0, k*9)
				for j := range k {
					if j > 0 {
						sb.WriteString(", ")
					}
					sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
					x := c.doc(i + j)
					args = append(args, x.Kind, x.ID, x.GroupID, string(x.Visibility), x.Title, x.Body, x.Context, x.URL, x.At)
				}
				if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
					return err
				}
				i += k
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return loadTerms(ctx, d, c)
}

func loadTerms(ctx context.Context, d *db.DB, c *corpus) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		return search.PutTerms(ctx, tx, append(slices.Clone(c.vocab), c.names...))
	})
}

func loadPostgres(ctx context.Context, d *db.DB, c *corpus, n int) error {
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	for _, q := range []string{`SET maintenance_work_mem = '1GB'`, `DROP INDEX IF EXISTS search_docs_tsv`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= n {
			return nil, nil
		}
		x := c.doc(i)
		i++
		return []any{x.Kind, x.ID, x.GroupID, string(x.Visibility), x.Title, x.Body, x.Context, x.URL, x.At}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"search_docs"},
		[]string{"kind", "id", "group_id", "visibility", "title", "body", "context", "url", "at"}, src); err != nil {
		return err
	}
	for _, q := range []string{`CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)`, `VACUUM ANALYZE search_docs`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	return loadTerms(ctx, d, c)
}
