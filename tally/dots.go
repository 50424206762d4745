package tally

import (
	"fmt"
	"math"
	"math/big"
)

// DotBallot is one voter's dots: Dots[i] placed on option i (several may
// go on one option), cast Count times.
type DotBallot struct {
	Dots  []int
	Count int64
}

// CountDots counts a dot vote: each voter places up to maxDots dots over
// the options, as many on one option as they like. Options are ordered by
// their total dots (Result.Order, ties together) and the first winners are
// chosen, a tie for the last place going to the option listed first.
// Its one round (round 1, Rounds[0]) holds each option's total.
//
// Errors are *InputError for a ballot that does not give a count for every
// option, places a negative number, or places more than maxDots dots, and
// *CountError for ballots cast more than 2^63−1 times in all; totals are
// exact.
func CountDots(title string, options []string, winners, maxDots int, ballots []DotBallot) (*Result, error) {
	e := &Election{Title: title, Candidates: options, Seats: winners}
	if err := e.Validate(); err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	if maxDots < 1 {
		return nil, &InputError{Msg: fmt.Sprintf("each voter needs at least one dot to place, not %d", maxDots)}
	}
	tot := make([]u128, len(options))
	var n int64
	for i, b := range ballots {
		if len(b.Dots) != len(options) || b.Count < 1 {
			return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d must give a number of dots for each of the %d options and count at least once", i+1, len(options))}
		}
		for c, d := range b.Dots {
			if d < 0 {
				return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d places %d dots on %s; dots cannot be negative", i+1, d, options[c])}
			}
		}
		sum := 0
		for _, d := range b.Dots {
			if d > maxDots-sum { // not sum+d > maxDots, which can wrap
				placed := new(big.Int)
				for _, d := range b.Dots {
					placed.Add(placed, big.NewInt(int64(d)))
				}
				return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d places %s dots; each voter has %d", i+1, placed, maxDots)}
			}
			sum += d
		}
		// Each ballot places at most maxDots < 2^63 dots and the counts
		// add up to less than 2^63, so the totals stay below 2^127.
		for c, d := range b.Dots {
			tot[c] = tot[c].add(u128{lo: uint64(d)}.mulSmall(uint64(b.Count)))
		}
		if n > math.MaxInt64-b.Count {
			return nil, tooManyCast("dot ballots", ballots, func(b DotBallot) int64 { return b.Count })
		}
		n += b.Count
	}
	totals := bigTotals(tot)
	res := totalsResult(e, Dots, "dots", totals, n)
	res.Arithmetic = fmt.Sprintf("whole dots, up to %d per voter", maxDots)
	// Options are chosen, not elected, and a tie goes to the option listed
	// first (no tie order is given), so say so in those words.
	c := &count{e: e}
	for i, ev := range res.Rounds[0].Events {
		switch ev.Kind {
		case EventTie:
			ev.Reason = ReasonFirstListed
			ev.Detail = fmt.Sprintf("%s are tied with %d dots; the options listed first are chosen", c.names(ev.Tied), totals[ev.Tied[0]])
		case EventElected:
			ev.Detail = fmt.Sprintf("%s is chosen with %d dots", options[ev.Candidate], totals[ev.Candidate])
		}
		res.Rounds[0].Events[i] = ev
	}
	return res, nil
}
