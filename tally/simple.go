package tally

import (
	"fmt"
	"math"
	"math/big"
	"slices"
)

// CountPlurality elects the Seats candidates with the most first
// preferences.
func CountPlurality(e *Election) (*Result, error) {
	return countTotals(e, Plurality, "first preferences", func(ranks [][]int, w int64, tot []u128) {
		for _, c := range ranks[0] {
			if len(ranks[0]) > 1 {
				return // an equal first preference is no single choice
			}
			tot[c] = tot[c].add(u128{lo: uint64(w)})
		}
	})
}

// CountApproval elects the Seats candidates approved by the most ballots:
// a ballot approves every candidate it ranks, whatever the order.
func CountApproval(e *Election) (*Result, error) {
	return countTotals(e, Approval, "approvals", func(ranks [][]int, w int64, tot []u128) {
		for _, r := range ranks {
			for _, c := range r {
				tot[c] = tot[c].add(u128{lo: uint64(w)})
			}
		}
	})
}

// CountScore elects the Seats candidates with the highest total score,
// reading a ranked ballot as scores: with n candidates, first place scores
// n−1 points, second n−2 and so on (a Borda count); unranked candidates
// score nothing; candidates sharing a rank share its score. Ballots that
// carry their own scores are counted with CountScoreBallots.
func CountScore(e *Election) (*Result, error) {
	n := len(e.Candidates)
	return countTotals(e, Score, "points", func(ranks [][]int, w int64, tot []u128) {
		pos := 0
		for _, r := range ranks {
			for _, c := range r {
				tot[c] = tot[c].add(u128{lo: uint64(w)}.mulSmall(uint64(n - 1 - pos)))
			}
			pos += len(r)
		}
	})
}

// ScoreBallot is a ballot giving each candidate a score (0 if unscored),
// cast Count times.
type ScoreBallot struct {
	Scores []int
	Count  int64
}

// CountScoreBallots elects the seats candidates with the highest total
// score from ballots that carry scores from 0 to maxScore. Totals are
// exact; a *CountError refuses ballots counting more than 2^63−1 times in
// all.
func CountScoreBallots(title string, candidates []string, seats, maxScore int, ballots []ScoreBallot) (*Result, error) {
	e := &Election{Title: title, Candidates: candidates, Seats: seats}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	tot := make([]u128, len(candidates))
	var n int64
	for i, b := range ballots {
		if len(b.Scores) != len(candidates) || b.Count < 1 {
			return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("score ballot %d must score %d candidates and count at least once", i+1, len(candidates))}
		}
		for c, s := range b.Scores {
			if s < 0 || s > maxScore {
				return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("score ballot %d gives %s %d; scores run from 0 to %d", i+1, candidates[c], s, maxScore)}
			}
			// s ≤ maxScore < 2^63 and the counts add up to < 2^63, so
			// every total stays below 2^126.
			tot[c] = tot[c].add(u128{lo: uint64(s)}.mulSmall(uint64(b.Count)))
		}
		if n > math.MaxInt64-b.Count {
			return nil, tooManyCast("score ballots", ballots, func(b ScoreBallot) int64 { return b.Count })
		}
		n += b.Count
	}
	return totalsResult(e, Score, "points", bigTotals(tot), n), nil
}

// tooManyCast refuses ballots whose counts add up to more than an int64
// holds, the most any count reports (Result.Ballots).
func tooManyCast[B any](what string, ballots []B, count func(B) int64) *CountError {
	n := new(big.Int)
	for _, b := range ballots {
		n.Add(n, big.NewInt(count(b)))
	}
	return &CountError{Msg: fmt.Sprintf("the %s are cast %s times in all; a count holds at most %s ballots (2^63−1)",
		what, n, limitText(math.MaxInt64))}
}

// bigTotals turns 128-bit totals into the big integers results report.
func bigTotals(tot []u128) []*big.Int {
	out := make([]*big.Int, len(tot))
	for i, t := range tot {
		out[i] = t.big()
	}
	return out
}

// countTotals adds up each candidate's total in 128 bits: Validate holds
// the ballots below 2^63, and no ballot gives a candidate more than n−1
// points, so no total reaches 2^128 and every count is exact.
func countTotals(e *Election, m Method, unit string, add func(ranks [][]int, w int64, tot []u128)) (*Result, error) {
	b, err := e.cleanBallots()
	if err != nil {
		return nil, err
	}
	tot := make([]u128, len(e.Candidates))
	for i := range b.Len() {
		add(b.Ranks(i), b.Weight(i), tot)
	}
	return totalsResult(e, m, unit, bigTotals(tot), b.Total()), nil
}

// totalsResult ranks candidates by total, ties together, and elects the
// top Seats, breaking a tie at the last seat by lot (the tie order).
func totalsResult(e *Election, m Method, unit string, tot []*big.Int, ballots int64) *Result {
	c := newCount(e, Ballots{})
	c.newRound()
	r := c.round()
	tie := e.tieRank()
	var cands []int
	for i := range e.Candidates {
		if !e.withdrawn(i) {
			cands = append(cands, i)
		}
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		if k := tot[b].Cmp(tot[a]); k != 0 {
			return k
		}
		return tie[a] - tie[b]
	})
	var order [][]int
	for i, x := range cands {
		if i > 0 && tot[x].Cmp(tot[cands[i-1]]) == 0 {
			order[len(order)-1] = append(order[len(order)-1], x)
		} else {
			order = append(order, []int{x})
		}
	}
	for _, g := range order {
		if len(c.elected) >= e.Seats {
			break
		}
		if len(g) > e.Seats-len(c.elected) {
			c.event(Event{Kind: EventTie, Candidate: -1, Reason: ReasonTieLot, Tied: g,
				Detail: fmt.Sprintf("%s are tied with %d %s for the last seats; the tie is broken by lot (the election's tie order)", c.names(g), tot[g[0]], unit)})
		}
		for _, x := range g {
			if len(c.elected) < e.Seats {
				c.status[x] = Elected
				c.elected = append(c.elected, x)
				c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonMostVotes,
					Detail: fmt.Sprintf("%s is elected with %d %s", e.Candidates[x], tot[x], unit)})
			}
		}
	}
	for _, x := range cands {
		if c.status[x] == Hopeful {
			c.status[x] = Defeated
		}
	}
	r.Tallies = make([]Decimal, c.n)
	for i, v := range tot {
		r.Tallies[i] = Decimal{units: v}
	}
	r.Status = slices.Clone(c.status)
	res := c.result(m, "whole "+unit, ballots, Decimal{})
	res.Order = order
	res.Final = r.Tallies
	return res
}
