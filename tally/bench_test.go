package tally

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// The benchmark election: 1,000,000 ballots, 15 candidates, 5 seats, each
// voter ranking one to six candidates by popularity. Generation is done
// once and never timed; each benchmark times the count alone.
var (
	benchOnce sync.Once
	benchElec *Election
	benchBLT  []byte
)

func benchElection(b *testing.B) *Election {
	b.Helper()
	benchOnce.Do(func() {
		benchElec = genElection(rand.New(rand.NewPCG(15, 5)), 15, 1_000_000, 5, 6)
		var buf bytes.Buffer
		if err := WriteBLT(&buf, benchElec); err != nil {
			panic(err)
		}
		benchBLT = buf.Bytes()
	})
	return benchElec
}

func benchCount(b *testing.B, seats int, count func(*Election) (*Result, error)) {
	e := *benchElection(b)
	e.Seats = seats
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := count(&e)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Elected) != seats {
			b.Fatalf("elected %d of %d", len(res.Elected), seats)
		}
	}
}

func BenchmarkIRV(b *testing.B)         { benchCount(b, 1, CountIRV) }
func BenchmarkScottishSTV(b *testing.B) { benchCount(b, 5, CountScottishSTV) }
func BenchmarkMeek(b *testing.B)        { benchCount(b, 5, CountMeek) }

// BenchmarkReadBLT times reading the same million ballots from BLT text,
// grouping identical rankings included (ReadBLT returns them grouped).
func BenchmarkReadBLT(b *testing.B) {
	benchElection(b)
	b.SetBytes(int64(len(benchBLT)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadBLT(bytes.NewReader(benchBLT), "bench.blt"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGroup times merging the million ballots into groups of
// identical rankings, the first step of every count above.
func BenchmarkGroup(b *testing.B) {
	e := benchElection(b)
	b.ResetTimer()
	var g Ballots
	for b.Loop() {
		g = e.Ballots.Grouped()
	}
	b.ReportMetric(float64(g.Len()), "groups")
}

// benchFactionsBLT writes the election bench/genblt writes (and bench/run.sh
// counts): ballots voters in four factions, each ranking its faction's order
// of c candidates with a few preferences swapped, stopping after one to
// ten; about 50,000 distinct rankings in a million ballots.
func benchFactionsBLT(ballots, c, seats int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	orders := make([][]int, 4)
	for f := range orders {
		orders[f] = r.Perm(c)
	}
	share := []int{40, 30, 20, 10}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d %d\n", c, seats)
	ranking := make([]int, c)
	for range ballots {
		p, f := r.IntN(100), 0
		for p >= share[f] {
			p -= share[f]
			f++
		}
		copy(ranking, orders[f])
		for s := r.IntN(7); s > 0; s-- {
			j := r.IntN(c - 1)
			k := min(c-1, j+1+r.IntN(3))
			ranking[j], ranking[k] = ranking[k], ranking[j]
		}
		length := 1 + min(r.IntN(3)+r.IntN(4)+r.IntN(4), c-1)
		b.WriteString("1")
		for _, k := range ranking[:length] {
			fmt.Fprintf(&b, " %d", k+1)
		}
		b.WriteString(" 0\n")
	}
	b.WriteString("0\n")
	for k := range c {
		fmt.Fprintf(&b, "\"Candidate %c\"\n", 'A'+k)
	}
	fmt.Fprintf(&b, "\"Generated: %d ballots, %d candidates, %d seats, seed %d\"\n", ballots, c, seats, seed)
	return b.Bytes()
}

var (
	factionsOnce sync.Once
	factionsBLT  []byte
)

// BenchmarkReadBLTFactions times bench/run.sh's parse: reading the million
// ballots bench/genblt writes, with grouping, to grouped ballots ready to
// count.
func BenchmarkReadBLTFactions(b *testing.B) {
	factionsOnce.Do(func() { factionsBLT = benchFactionsBLT(1_000_000, 15, 5, 2026) })
	b.SetBytes(int64(len(factionsBLT)))
	b.ReportAllocs()
	var e *Election
	for b.Loop() {
		var err error
		if e, err = ReadBLT(bytes.NewReader(factionsBLT), "bench.blt"); err != nil {
			b.Fatal(err)
		}
		e.Ballots = e.Ballots.Grouped()
	}
	b.ReportMetric(float64(e.Ballots.Len()), "groups")
}
