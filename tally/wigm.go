package tally

import (
	"fmt"
	"math/big"
	"slices"
)

const guardedArith = "guarded fixed-point decimal, 18+9 places (Droop guarded-p18-g9)"

// CountWIGM counts e by the weighted inclusive Gregory method as Droop's
// generic "wigm" rule does, in Droop's guarded arithmetic: quota ballots ÷
// (seats+1) exactly, elected on exceeding it; the largest surplus first,
// each ballot the elected candidate holds carried on at weight × surplus ÷
// vote; otherwise the lowest candidate defeated; ties broken by lot (the
// election's tie order).
//
// Each Round after the first elects any candidates over the quota and then
// transfers one surplus or defeats one candidate; its tallies are those
// after the transfer.
func CountWIGM(e *Election) (*Result, error) {
	b, err := e.rankedOnly(WIGM)
	if err != nil {
		return nil, err
	}
	c := newCount(e, b)
	nBallots := b.Total()
	one := gint(1)
	quota := gdiv(gint(nBallots), gint(int64(e.Seats+1)))
	vote := make([]*big.Int, c.n)
	for i := range vote {
		vote[i] = new(big.Int)
	}
	weight := make([]*big.Int, b.Len())
	exhausted := new(big.Int)
	for g := range b.Len() {
		weight[g] = one
		top := b.prefs[b.offsets[g]]
		vote[top].Add(vote[top], gint(b.weights[g]))
	}
	c.deal()
	pend := make([]bool, c.n)

	endRound := func() {
		r := c.round()
		r.Tallies = make([]Decimal, c.n)
		held := new(big.Int)
		surplus := new(big.Int)
		for i, v := range vote {
			r.Tallies[i] = gdec(v)
			held.Add(held, v)
			if pend[i] {
				surplus.Add(surplus, new(big.Int).Sub(v, quota))
			}
		}
		r.Status = slices.Clone(c.status)
		r.Quota = gdec(quota)
		r.Exhausted = gdec(exhausted)
		res := new(big.Int).Sub(gint(nBallots), held)
		r.Residual = gdec(res.Sub(res, exhausted))
		r.Surplus = gdec(surplus)
	}
	transfer := func(x int, surplus *big.Int) *Transfer {
		t := &Transfer{From: x, To: make([]Decimal, c.n)}
		to := make([]*big.Int, c.n)
		exh := new(big.Int)
		for _, g := range c.piles[x] {
			if surplus != nil {
				weight[g] = gdiv(gmul(weight[g], surplus), vote[x])
			}
			v := new(big.Int).Mul(weight[g], big.NewInt(b.weights[g]))
			next := c.advance(g)
			if next < 0 {
				exh.Add(exh, v)
				continue
			}
			if to[next] == nil {
				to[next] = new(big.Int)
			}
			to[next].Add(to[next], v)
			vote[next].Add(vote[next], v)
			c.piles[next] = append(c.piles[next], g)
		}
		c.piles[x] = nil
		exhausted.Add(exhausted, exh)
		for i, v := range to {
			if v != nil {
				t.To[i] = gdec(v)
			} else {
				t.To[i] = gdec(new(big.Int))
			}
		}
		t.Exhausted = gdec(exh)
		return t
	}
	// extreme returns the candidates of xs whose vote equals (in guarded
	// comparison) the highest or lowest.
	extreme := func(xs []int, highest bool) []int {
		best := vote[xs[0]]
		for _, x := range xs {
			if (highest && vote[x].Cmp(best) > 0) || (!highest && vote[x].Cmp(best) < 0) {
				best = vote[x]
			}
		}
		var tied []int
		for _, x := range xs {
			if gcmp(vote[x], best) == 0 {
				tied = append(tied, x)
			}
		}
		return tied
	}

	c.newRound()
	endRound()
	for n := len(c.hopeful()); n > c.seatsLeft() && c.seatsLeft() > 0; n = len(c.hopeful()) {
		c.newRound()
		h := c.hopeful()
		slices.SortStableFunc(h, func(a, b int) int {
			if k := vote[b].Cmp(vote[a]); k != 0 {
				return k
			}
			return c.tie[a] - c.tie[b]
		})
		for _, x := range h {
			if gcmp(vote[x], quota) > 0 {
				c.status[x] = Elected
				c.elected = append(c.elected, x)
				pend[x] = true
				c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonQuota,
					Detail: fmt.Sprintf("%s has %s votes, more than the quota of %s", e.Candidates[x], gdec(vote[x]), gdec(quota))})
			}
		}
		var pending []int
		for _, x := range c.elected {
			if pend[x] {
				pending = append(pending, x)
			}
		}
		if len(pending) > 0 {
			x := c.breakTie(extreme(pending, true), false, false, "the largest surplus")
			surplus := new(big.Int).Sub(vote[x], quota)
			t := transfer(x, surplus)
			t.Amount = gdec(surplus)
			t.Value = gdec(gdiv(gmul(one, surplus), vote[x]))
			pend[x] = false
			vote[x] = new(big.Int).Set(quota)
			c.event(Event{Kind: EventSurplus, Candidate: x, Reason: ReasonLargestSurp, Transfer: t,
				Detail: fmt.Sprintf("%s's surplus of %s is transferred: every ballot %s holds carries on at its weight × %s ÷ %s",
					e.Candidates[x], gdec(surplus), e.Candidates[x], gdec(surplus), gdec(new(big.Int).Add(quota, surplus)))})
			endRound()
			continue
		}
		if h = c.hopeful(); len(h) > 0 {
			x := c.breakTie(extreme(h, false), true, false, "the lowest vote")
			c.status[x] = Defeated
			c.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonLowest,
				Detail: fmt.Sprintf("%s has the fewest votes (%s) and is defeated", e.Candidates[x], gdec(vote[x]))})
			t := transfer(x, nil)
			t.Amount = gdec(vote[x])
			t.Value = gdec(one)
			vote[x] = new(big.Int)
			c.event(Event{Kind: EventExclusion, Candidate: x, Reason: ReasonLowest, Transfer: t,
				Detail: fmt.Sprintf("%s's ballots pass to their next preferences at their current weight", e.Candidates[x])})
		}
		endRound()
	}
	for _, x := range c.hopeful() {
		if len(c.elected) < e.Seats {
			c.status[x] = Elected
			c.elected = append(c.elected, x)
			c.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonRemaining,
				Detail: fmt.Sprintf("%s is elected with %s votes: the continuing candidates are no more than the seats left", e.Candidates[x], gdec(vote[x]))})
		} else {
			c.status[x] = Defeated
			c.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonNoSeatsLeft,
				Detail: fmt.Sprintf("%s is not elected: every seat is filled", e.Candidates[x])})
		}
	}
	endRound()
	res := c.result(WIGM, guardedArith, nBallots, gdec(quota))
	res.Final = slices.Clone(c.round().Tallies)
	return res, nil
}
