package tally

import (
	"cmp"
	"fmt"
	"slices"
)

// scotPlaces is the precision of the Scottish transfer value: "to five
// decimal places (any remainder being ignored)", rule 48(3).
const scotPlaces = 5

// CountScottishSTV counts e under the Scottish Local Government Elections
// Order 2007 (rules 45–52): quota ⌊ballots ÷ (seats+1)⌋ + 1; the largest
// surplus transferred first, every ballot the elected candidate holds
// carried on at value × surplus ÷ total truncated to five places; otherwise
// the lowest candidate excluded, ballots passing at the value they carry;
// ties broken by the most recent stage at which the candidates differed,
// then by lot (the election's tie order); the last seats filled when the
// continuing candidates are as many as the vacancies.
//
// Each Round after the first is one stage: a surplus transfer or an
// exclusion, with the tallies after it and any candidates it elects.
//
// Seats reserved by e.MinRepresentation are applied as Reserve describes.
// Candidates the rule excludes are all excluded in the stage whose
// election triggered it (or at the first count); their ballots then pass
// on one candidate per stage, fewest votes first, after any surplus and
// before the next exclusion of the lowest.
func CountScottishSTV(e *Election) (*Result, error) {
	b, err := e.rankedOnly(ScottishSTV)
	if err != nil {
		return nil, err
	}
	nBallots := b.Total()
	// Tallies are held in int64 units of 10^-5 votes; the rule fixes the
	// places, so an election too large for them is refused, not counted
	// in a wider type the rule does not describe.
	if nBallots > maxScottishBallots {
		return nil, tooMany("Scottish STV", maxScottishBallots, nBallots, "with 5 decimal places")
	}
	c := newCount(e, b)
	one := pow10[scotPlaces]
	quota := (nBallots/int64(e.Seats+1) + 1) * one
	vote := make([]int64, c.n)
	weight := make([]int64, b.Len())
	var exhausted int64
	pend := make([]bool, c.n) // elected, surplus not yet transferred
	for g := range b.Len() {
		weight[g] = one
		vote[b.prefs[b.offsets[g]]] += one * b.weights[g]
	}
	c.deal()
	dec := func(u int64) Decimal { return decimalOf(u, scotPlaces) }

	endRound := func() {
		r := c.round()
		r.Tallies = make([]Decimal, c.n)
		var held, surplus int64
		for i, v := range vote {
			r.Tallies[i] = dec(v)
			held += v
			if c.status[i] == Elected && v > quota {
				surplus += v - quota
			}
		}
		r.Status = slices.Clone(c.status)
		r.Quota = dec(quota)
		r.Exhausted = dec(exhausted)
		r.Residual = dec(nBallots*one - held - exhausted)
		r.Surplus = dec(surplus)
		c.history = append(c.history, slices.Clone(vote))
	}
	// toPass holds candidates the minimum-representation rule excluded
	// whose ballots are still to pass on, one stage each.
	var toPass []int
	enforce := func() {
		out := c.reserveExclusions()
		if len(out) == 0 {
			return
		}
		why := c.reservedWhy()
		slices.SortStableFunc(out, func(a, b int) int {
			if vote[a] != vote[b] {
				return cmp.Compare(vote[a], vote[b])
			}
			return c.tie[a] - c.tie[b]
		})
		for _, x := range out {
			c.status[x] = Defeated
			detail := fmt.Sprintf("%s is excluded: %s", e.Candidates[x], why)
			if vote[x] >= quota {
				detail = fmt.Sprintf("%s has %s votes, reaching the quota of %s, but is excluded rather than elected: %s", e.Candidates[x], dec(vote[x]), dec(quota), why)
			}
			c.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonReserved, Detail: detail})
			if len(c.piles[x]) > 0 {
				toPass = append(toPass, x)
			}
		}
	}
	elect := func() {
		h := c.hopeful()
		slices.SortStableFunc(h, func(a, b int) int {
			if vote[a] != vote[b] {
				if vote[a] > vote[b] {
					return -1
				}
				return 1
			}
			return c.tie[a] - c.tie[b]
		})
		for _, x := range h {
			if vote[x] >= quota && c.status[x] == Hopeful {
				c.status[x] = Elected
				c.elected = append(c.elected, x)
				pend[x] = true
				c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonQuota,
					Detail: fmt.Sprintf("%s has %s votes, reaching the quota of %s", e.Candidates[x], dec(vote[x]), dec(quota))})
				enforce()
			}
		}
	}
	complete := func() bool { return c.seatsLeft() <= 0 || len(c.hopeful()) <= c.seatsLeft() }
	// pending holds elected candidates whose surplus is still to transfer.
	pending := func() []int {
		var p []int
		for _, x := range c.elected {
			if pend[x] {
				p = append(p, x)
			}
		}
		return p
	}
	// transfer moves every ballot x holds to its next hopeful preference,
	// multiplying the value each carries by num/den when den > 0.
	transfer := func(x int, num, den int64) *Transfer {
		t := &Transfer{From: x, To: make([]Decimal, c.n)}
		to := make([]int64, c.n)
		var exh, ideal, moved int64
		for _, g := range c.piles[x] {
			w := weight[g]
			if den > 0 {
				ideal += w * b.weights[g]
				w = muldivTrunc(w, num, den)
				weight[g] = w
			}
			v := w * b.weights[g]
			moved += v
			next := c.advance(g)
			if next < 0 {
				exh += v
				continue
			}
			to[next] += v
			vote[next] += v
			c.piles[next] = append(c.piles[next], g)
		}
		c.piles[x] = nil
		exhausted += exh
		for i, v := range to {
			t.To[i] = dec(v)
		}
		t.Exhausted = dec(exh)
		if den > 0 {
			t.Lost = dec(muldivTrunc(ideal, num, den) - moved)
		}
		return t
	}

	// exclude passes every ballot x holds on at the value it carries.
	exclude := func(x int, why Reason, detail string) {
		t := transfer(x, 0, 0)
		t.Amount = dec(vote[x])
		t.Value = dec(one)
		vote[x] = 0
		c.event(Event{Kind: EventExclusion, Candidate: x, Reason: why, Transfer: t, Detail: detail})
		if !complete() {
			elect()
		}
		endRound()
	}

	c.newRound()
	enforce()
	elect()
	endRound()
	for !complete() {
		c.newRound()
		if p := pending(); len(p) > 0 {
			high := vote[p[0]]
			for _, x := range p {
				high = max(high, vote[x])
			}
			var tied []int
			for _, x := range p {
				if vote[x] == high {
					tied = append(tied, x)
				}
			}
			x := c.breakTie(tied, false, true, "the largest surplus")
			surplus := vote[x] - quota
			t := transfer(x, surplus, vote[x])
			t.Amount = dec(surplus)
			t.Value = dec(muldivTrunc(one, surplus, vote[x]))
			pend[x] = false
			vote[x] = quota
			c.event(Event{Kind: EventSurplus, Candidate: x, Reason: ReasonLargestSurp, Transfer: t,
				Detail: fmt.Sprintf("%s's surplus of %s is transferred: each ballot carries on at its value × %s ÷ %s, truncated to five places",
					e.Candidates[x], dec(surplus), dec(surplus), dec(vote[x]+surplus))})
			elect()
			endRound()
			continue
		}
		if len(toPass) > 0 {
			x := toPass[0]
			toPass = toPass[1:]
			exclude(x, ReasonReserved, fmt.Sprintf("%s's ballots pass to their next preferences at the value each carries (excluded because the seats left were reserved)", e.Candidates[x]))
			continue
		}
		h, kept := c.excludable()
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
		x := c.breakTie(tied, true, true, "the lowest vote")
		c.status[x] = Defeated
		why, detail := ReasonLowest, fmt.Sprintf("%s has the fewest votes (%s) and is excluded", e.Candidates[x], dec(vote[x]))
		if slices.ContainsFunc(kept, func(k int) bool { return vote[k] <= low }) {
			why = ReasonLowestUnreserved
			detail = fmt.Sprintf("%s has the fewest votes (%s) of the candidates who may be excluded and is excluded; %s",
				e.Candidates[x], dec(vote[x]), c.keptWhy(kept, func(k int) string { return dec(vote[k]).String() }))
		}
		c.event(Event{Kind: EventDefeated, Candidate: x, Reason: why, Detail: detail})
		exclude(x, why, fmt.Sprintf("%s's ballots pass to their next preferences at the value each carries", e.Candidates[x]))
	}
	c.fillRemaining(func(x int) string { return dec(vote[x]).String() })
	r := c.round()
	r.Status = slices.Clone(c.status)
	res := c.result(ScottishSTV, "fixed-point decimal, 5 places, truncated", nBallots, dec(quota))
	res.Final = slices.Clone(r.Tallies)
	return res, nil
}

// fillRemaining elects the continuing candidates when they are no more
// than the seats left (Scottish rule 52), and defeats any others once
// every seat is filled.
func (c *count) fillRemaining(show func(int) string) {
	h := c.hopeful()
	if len(h) <= c.seatsLeft() {
		for _, x := range h {
			c.status[x] = Elected
			c.elected = append(c.elected, x)
			c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonRemaining,
				Detail: fmt.Sprintf("%s is elected with %s votes: the continuing candidates are no more than the seats left", c.e.Candidates[x], show(x))})
		}
		return
	}
	for _, x := range h {
		c.status[x] = Defeated
		c.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonNoSeatsLeft,
			Detail: fmt.Sprintf("%s is not elected: every seat is filled", c.e.Candidates[x])})
	}
}
