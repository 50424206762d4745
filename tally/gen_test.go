package tally

import (
	"fmt"
	"math/rand/v2"
)

// genElection builds a random election in which candidates have unequal
// popularity (weights 1..nCand) and each voter ranks one to maxRank of
// them, drawn by popularity without replacement: realistic clustering, so
// identical rankings recur as they do in real elections.
func genElection(rng *rand.Rand, nCand, nBallots, seats, maxRank int) *Election {
	e := &Election{Title: fmt.Sprintf("generated %d ballots", nBallots), Seats: seats}
	pop := make([]int, nCand)
	for i := range nCand {
		e.Candidates = append(e.Candidates, fmt.Sprintf("Candidate %c", 'A'+i))
		pop[i] = 1 + rng.IntN(nCand*2)
	}
	e.Ballots.Grow(nBallots, nBallots*maxRank/2)
	used := make([]bool, nCand)
	rank := make([]int, 0, nCand)
	for range nBallots {
		n := min(1+rng.IntN(maxRank), nCand)
		rank = rank[:0]
		clear(used)
		total := 0
		for _, p := range pop {
			total += p
		}
		left := total
		for len(rank) < n {
			x := rng.IntN(left)
			for c, p := range pop {
				if used[c] {
					continue
				}
				if x < p {
					used[c] = true
					left -= p
					rank = append(rank, c)
					break
				}
				x -= p
			}
		}
		e.Ballots.Add(1, rank...)
	}
	return e
}

// shuffled returns a copy of e with its ballot groups in random order and
// every group split into single ballots.
func shuffled(rng *rand.Rand, e *Election) *Election {
	type one struct{ r []int }
	var all []one
	for i := range e.Ballots.Len() {
		r := int32sToInts(e.Ballots.Ranking(i))
		for range e.Ballots.Weight(i) {
			all = append(all, one{r})
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	out := *e
	out.Ballots = Ballots{}
	for _, b := range all {
		out.Ballots.Add(1, b.r...)
	}
	return &out
}
