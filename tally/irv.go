package tally

import (
	"fmt"
	"slices"
)

// CountIRV counts e by instant-runoff for one seat: each round every
// ballot counts for its highest-ranked continuing candidate; a candidate
// with more than half of those votes wins; otherwise the candidate with the
// fewest is eliminated (a tie broken by the most recent round in which the
// tied candidates differed, then by lot: the election's tie order) and its
// ballots pass on. When only two remain, the one with more votes wins.
func CountIRV(e *Election) (*Result, error) {
	if e.Seats != 1 {
		return nil, &CountError{Msg: fmt.Sprintf("instant-runoff fills one seat, not %d: use an STV method", e.Seats)}
	}
	b, err := e.rankedOnly(IRV)
	if err != nil {
		return nil, err
	}
	c := newCount(e, b)
	vote := make([]int64, c.n)
	for g := range b.Len() {
		vote[b.prefs[b.offsets[g]]] += b.weights[g]
	}
	c.deal()
	var exhausted int64
	total := b.Total()
	endRound := func() {
		r := c.round()
		r.Tallies = make([]Decimal, c.n)
		for i, v := range vote {
			r.Tallies[i] = intDecimal(v)
		}
		r.Status = slices.Clone(c.status)
		r.Exhausted = intDecimal(exhausted)
		// The threshold to win outright: more than half the continuing votes.
		r.Quota = intDecimal((total-exhausted)/2 + 1)
		c.history = append(c.history, slices.Clone(vote))
	}
	c.newRound()
	for {
		h := c.hopeful()
		active := total - exhausted
		for _, x := range h {
			if vote[x] > active-vote[x] || len(h) == 1 { // not vote×2, which overflows past 2^62
				c.status[x] = Elected
				c.elected = append(c.elected, x)
				c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonMajority,
					Detail: fmt.Sprintf("%s has %d of the %d votes still in the count, a majority", e.Candidates[x], vote[x], active)})
			}
		}
		if len(c.elected) > 0 || len(h) == 0 {
			for _, x := range c.hopeful() {
				c.status[x] = Defeated
			}
			endRound()
			break
		}
		endRound()
		low := vote[h[0]]
		for _, x := range h {
			low = min(low, vote[x])
		}
		var tied []int
		for _, x := range h {
			if vote[x] == low {
				tied = append(tied, x)
			}
		}
		c.newRound()
		x := c.breakTie(tied, true, true, "the fewest votes")
		c.status[x] = Defeated
		c.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonLowest,
			Detail: fmt.Sprintf("%s has the fewest votes (%d) and is eliminated", e.Candidates[x], low)})
		t := &Transfer{From: x, Amount: intDecimal(vote[x]), Value: intDecimal(1), To: make([]Decimal, c.n)}
		to := make([]int64, c.n)
		var exh int64
		for _, g := range c.piles[x] {
			w := b.weights[g]
			next := c.advance(g)
			if next < 0 {
				exh += w
				continue
			}
			to[next] += w
			vote[next] += w
			c.piles[next] = append(c.piles[next], g)
		}
		c.piles[x] = nil
		vote[x] = 0
		exhausted += exh
		for i, v := range to {
			t.To[i] = intDecimal(v)
		}
		t.Exhausted = intDecimal(exh)
		c.event(Event{Kind: EventExclusion, Candidate: x, Reason: ReasonLowest, Transfer: t,
			Detail: fmt.Sprintf("%s's ballots pass to their next preferences; %d have none left", e.Candidates[x], exh)})
	}
	res := c.result(IRV, "whole votes", total, Decimal{})
	res.Final = slices.Clone(c.round().Tallies)
	return res, nil
}
