package tally

import (
	"bytes"
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

// BenchmarkReadBLT times parsing the same million ballots from BLT text.
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
