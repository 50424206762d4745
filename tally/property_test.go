package tally

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func sameOutcome(a, b *Result) bool {
	if !slices.Equal(a.Elected, b.Elected) || len(a.Rounds) != len(b.Rounds) {
		return false
	}
	for i := range a.Rounds {
		if !slices.EqualFunc(a.Rounds[i].Tallies, b.Rounds[i].Tallies, func(x, y Decimal) bool { return x.Cmp(y) == 0 }) {
			return false
		}
	}
	return true
}

// TestBallotOrderNeverChangesResult shuffles the ballots of random
// elections and checks that IRV, Scottish STV and Meek reach the same
// winners and the same tallies in every round.
func TestBallotOrderNeverChangesResult(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2007, 45))
	methods := []struct {
		name  string
		seats int
		count func(*Election) (*Result, error)
	}{
		{"IRV", 1, CountIRV},
		{"ScottishSTV", 3, CountScottishSTV},
		{"Meek", 3, CountMeek},
	}
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			for i := range 25 {
				e := genElection(rng, 4+rng.IntN(6), 50+rng.IntN(300), m.seats, 5)
				a, err := m.count(e)
				if err != nil {
					t.Fatal(err)
				}
				b, err := m.count(shuffled(rng, e))
				if err != nil {
					t.Fatal(err)
				}
				if !sameOutcome(a, b) {
					t.Fatalf("election %d: shuffled ballots elected %v in %d rounds; original %v in %d",
						i, b.ElectedNames(), len(b.Rounds), a.ElectedNames(), len(a.Rounds))
				}
			}
		})
	}
}

// TestIRVMajorityWinsFirstRound gives one candidate a majority of first
// preferences in random elections and checks it wins in round 1.
func TestIRVMajorityWinsFirstRound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 50 {
		e := genElection(rng, 3+rng.IntN(8), 20+rng.IntN(200), 1, 4)
		star := rng.IntN(len(e.Candidates))
		// Add enough ballots for star to hold a strict majority.
		var others int64
		for g := range e.Ballots.Len() {
			if int(e.Ballots.Ranking(g)[0]) != star {
				others += e.Ballots.Weight(g)
			}
		}
		e.Ballots.Add(others+1, star)
		res, err := CountIRV(e)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rounds) != 1 || !slices.Equal(res.Elected, []int{star}) {
			t.Fatalf("election %d: %s has a majority of first preferences but IRV elected %v after %d rounds",
				i, e.Candidates[star], res.ElectedNames(), len(res.Rounds))
		}
	}
}

// TestScottishSTVFillsExactlyTheSeats counts random elections of one to
// six seats and checks that no count elects more than the seats, and
// every count fills them.
func TestScottishSTVFillsExactlyTheSeats(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100 {
		nc := 2 + rng.IntN(10)
		seats := 1 + rng.IntN(min(6, nc))
		e := genElection(rng, nc, 10+rng.IntN(400), seats, 1+rng.IntN(nc))
		res, err := CountScottishSTV(e)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Elected) > seats {
			t.Fatalf("election %d: %d elected for %d seats", i, len(res.Elected), seats)
		}
		if len(res.Elected) != seats {
			t.Errorf("election %d: %d elected for %d seats with %d candidates", i, len(res.Elected), seats, nc)
		}
	}
}

// TestEveryMethodFillsTheSeats runs every method on random elections,
// including empty ones, and checks each elects exactly the seats.
func TestEveryMethodFillsTheSeats(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, m := range Methods {
		t.Run(string(m), func(t *testing.T) {
			for i := range 30 {
				nc := 1 + rng.IntN(8)
				seats := 1 + rng.IntN(nc)
				if m == IRV {
					seats = 1
				}
				e := genElection(rng, nc, rng.IntN(120), seats, nc)
				res, err := Count(e, m)
				if err != nil {
					t.Fatalf("election %d: %v", i, err)
				}
				if len(res.Elected) != seats {
					t.Fatalf("election %d: %d elected for %d seats (%d candidates, %d ballots)",
						i, len(res.Elected), seats, nc, e.Ballots.Total())
				}
			}
		})
	}
}
