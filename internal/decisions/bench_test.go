package decisions

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// BenchmarkVoting: MOMENTUM_BENCH_VOTERS network members (default 50,000)
// cast ranked ballots in a network-wide Scottish STV election (15
// candidates, 5 seats), eight at a time, as fast as the server takes them;
// then the election closes (shuffle, count, store) and its results are
// read. It reports votes/s, the p50 and p99 of one vote, and the close and
// results times, on both engines:
//
//	MOMENTUM_TEST_POSTGRES_URL=… go test ./internal/decisions -run '^$' -bench Voting -benchtime 1x
func BenchmarkVoting(b *testing.B) {
	n := 50_000
	if s := os.Getenv("MOMENTUM_BENCH_VOTERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("MOMENTUM_BENCH_VOTERS=%q is not a positive number", s)
		}
	}
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.NewSQLite}, {"postgres", dbtest.NewPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			for range b.N {
				benchVoting(b, engine.open(b), n)
			}
		})
	}
}

func benchVoting(b *testing.B, d *db.DB, n int) {
	b.StopTimer()
	e := newEnv(b, d)
	voters := bulkMembers(b, d, n)
	var opts []OptionInput
	for k := range 15 {
		opts = append(opts, OptionInput{Label: fmt.Sprintf("Candidate %c", 'A'+k)})
	}
	dec := e.open(b, e.admin, Input{Title: "National committee", Kind: KindElection, Seats: 5, Options: opts,
		Electorate: Electorate{Scope: ScopeNetwork, MembersOnly: true}})
	r := rand.New(rand.NewPCG(3, 5))
	factions := [][]int{r.Perm(15), r.Perm(15), r.Perm(15), r.Perm(15)}
	choices := make([]Choice, n)
	for i := range choices {
		order := slices.Clone(factions[r.IntN(len(factions))])
		for s := r.IntN(5); s > 0; s-- {
			j := r.IntN(14)
			order[j], order[j+1] = order[j+1], order[j]
		}
		rank := make([]int, 1+r.IntN(6))
		for j := range rank {
			rank[j] = order[j] + 1
		}
		choices[i] = Choice{Ranking: rank}
	}
	lat := make([]time.Duration, n)
	next := make(chan int)
	var wg sync.WaitGroup
	var failed sync.Once
	b.StartTimer()
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				_, err := e.svc.Vote(voters[i], dec.ID, e.token(voters[i], dec.ID), choices[i])
				lat[i] = time.Since(t0)
				if err != nil {
					failed.Do(func() { b.Errorf("vote %d: %v", i, err) })
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	voting := time.Since(start)
	e.clock.Set(dec.ClosesAt)
	t1 := time.Now()
	if _, err := e.svc.Close(e.system, dec.ID); err != nil {
		b.Fatal(err)
	}
	closing := time.Since(t1)
	t2 := time.Now()
	res, err := e.svc.Results(e.admin.ctx, dec.ID)
	results := time.Since(t2)
	b.StopTimer()
	if err != nil || res.Outcome == nil || len(res.Outcome.Winners) != 5 || res.Outcome.Turnout != n {
		b.Fatalf("results: %+v, %v", res, err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(n)/voting.Seconds(), "votes/s")
	b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(closing.Milliseconds()), "close-ms")
	b.ReportMetric(float64(results.Milliseconds()), "results-ms")
}

// bulkMembers inserts n network members with accounts and returns a
// signed-in context for each.
func bulkMembers(b *testing.B, d *db.DB, n int) []context.Context {
	b.Helper()
	ctx := context.Background()
	now := db.Now()
	since := start.AddDate(-1, 0, 0)
	out := make([]context.Context, n)
	const per = 500
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		var users, people []any
		for j := range k {
			uid, pid := db.NewID(), db.NewID()
			email := fmt.Sprintf("voter%06d@example.org", i+j)
			users = append(users, uid, email, "Voter", "member", now, now)
			people = append(people, pid, uid, "Voter", strconv.Itoa(i+j), email, "member", since, now, now)
			out[i+j] = auth.WithPrincipal(ctx, &auth.Principal{UserID: uid, Role: auth.RoleMember, Verified: true, Label: email})
		}
		if _, err := d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", k), ", "), users...); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, membership_status, member_since, created_at, updated_at) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", k), ", "), people...); err != nil {
			b.Fatal(err)
		}
	}
	return out
}
