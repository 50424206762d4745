package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// BenchmarkResultsPage: the results page of a network-wide Scottish STV
// election (15 candidates, 5 seats) with MOMENTUM_BENCH_BALLOTS ballots
// (default 50,000), fetched by an admin through the whole application:
// the recount from the stored ballots, the round table and the SVG chart.
// The ballots are written straight into the tables (this measures the
// page, not voting: see BenchmarkVoting in internal/decisions); the close
// that counts them is timed once.
//
//	MOMENTUM_TEST_POSTGRES_URL=… go test ./internal/app -run '^$' -bench ResultsPage -benchtime 20x
func BenchmarkResultsPage(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchResultsPage(b, "") })
	b.Run("postgres", func(b *testing.B) { benchResultsPage(b, dbtest.PostgresURL(b)) })
}

func benchResultsPage(b *testing.B, dbURL string) {
	n := 50_000
	if s := os.Getenv("MOMENTUM_BENCH_BALLOTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("MOMENTUM_BENCH_BALLOTS=%q is not a positive number", s)
		}
	}
	node := apptest.Start(b, apptest.Options{DatabaseURL: dbURL})
	node.CreateUser(b, adminEmail, adminPass, auth.RoleAdmin)
	c := apptest.Client(b)
	node.Login(b, c, adminEmail, adminPass)
	ctx, sys := context.Background(), auth.WithSystem(context.Background())
	d := node.App.DB

	start := time.Now().UTC().AddDate(0, 0, -10).Truncate(time.Second)
	clock := start
	svc := node.App.Decisions.WithClock(func() time.Time { return clock })
	var opts []decisions.OptionInput
	for k := range 15 {
		opts = append(opts, decisions.OptionInput{Label: fmt.Sprintf("Candidate %c", 'A'+k)})
	}
	dec, err := svc.Create(sys, decisions.Input{Title: "National committee", Kind: decisions.KindElection, Seats: 5, Options: opts,
		OpensAt: start.Add(time.Hour), ClosesAt: start.AddDate(0, 0, 7), Electorate: decisions.Electorate{Scope: decisions.ScopeNetwork, MembersOnly: true}})
	if err != nil {
		b.Fatal(err)
	}
	people := bulkPeople(b, d, n, start.AddDate(-1, 0, 0))
	if _, err := svc.StartDiscussion(sys, dec.ID); err != nil {
		b.Fatal(err)
	}
	clock = dec.OpensAt
	if _, err := svc.OpenVoting(sys, dec.ID); err != nil {
		b.Fatal(err)
	}
	r := mrand.New(mrand.NewPCG(3, 5))
	factions := [][]int{r.Perm(15), r.Perm(15), r.Perm(15), r.Perm(15)}
	const per = 500
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		var voters, ballots []any
		for j := range k {
			order := slices.Clone(factions[r.IntN(len(factions))])
			for s := r.IntN(5); s > 0; s-- {
				x := r.IntN(14)
				order[x], order[x+1] = order[x+1], order[x]
			}
			prefs := make([]string, 1+r.IntN(6))
			for p := range prefs {
				prefs[p] = strconv.Itoa(order[p] + 1)
			}
			voters = append(voters, dec.ID, people[i+j])
			ballots = append(ballots, randomHex(16), dec.ID, randomHex(32), `{"ranking":[`+strings.Join(prefs, ",")+`]}`)
		}
		if _, err := d.Exec(ctx, `INSERT INTO decision_voters (decision_id, person_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", k), ", "), voters...); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO decision_ballots (id, decision_id, receipt_hash, content) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", k), ", "), ballots...); err != nil {
			b.Fatal(err)
		}
	}
	clock = dec.ClosesAt
	t0 := time.Now()
	if _, err := svc.Close(sys, dec.ID); err != nil {
		b.Fatal(err)
	}
	closing := time.Since(t0)

	url := node.URL + "/decisions/" + dec.ID + "/results"
	if res := apptest.Get(b, c, url); res.Status != 200 || !strings.Contains(res.Body, "<svg") {
		b.Fatalf("results page: %d", res.Status)
	}
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t := time.Now()
		res := apptest.Get(b, c, url)
		lat = append(lat, time.Since(t))
		if res.Status != 200 {
			b.Fatalf("results page: %d", res.Status)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(closing.Milliseconds()), "close-ms")
}

// bulkPeople inserts n network members (no accounts) and returns their ids.
func bulkPeople(b *testing.B, d *db.DB, n int, since time.Time) []string {
	b.Helper()
	ids := make([]string, n)
	now := db.Now()
	const per = 500
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		var args []any
		for j := range k {
			ids[i+j] = db.NewID()
			args = append(args, ids[i+j], "Member", strconv.Itoa(i+j), "member", since, now, now)
		}
		if _, err := d.Exec(context.Background(), `INSERT INTO people (id, given_name, family_name, membership_status, member_since, created_at, updated_at) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", k), ", "), args...); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

func randomHex(n int) string {
	buf := make([]byte, n)
	rand.Read(buf)
	return hex.EncodeToString(buf)
}
