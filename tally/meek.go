package tally

import (
	"fmt"
	"math/big"
	"slices"
)

// meekOmega10 is Droop's default omega for guarded arithmetic: iteration
// stops when the total surplus is at most 10^-9.
const meekOmega10 = 9

// CountMeek counts e by Meek's method as Droop's "meek" rule does with its
// defaults (guarded arithmetic with 18+9 places, omega 10^-9, safe batch
// defeats): each round, keep factors are iterated until a candidate
// exceeds the quota (votes ÷ (seats+1), recomputed as votes exhaust), the
// total surplus falls to omega, the surplus stops shrinking, or a batch of
// candidates are sure losers; then the lowest candidate (or the batch) is
// defeated, ties broken by lot (the election's tie order).
//
// Each Round records the tallies, quota and keep factors at the end of its
// iteration, on which the round's election or defeat was decided.
//
// Seats reserved by e.MinRepresentation are applied as Reserve describes:
// a candidate the rule excludes is defeated like any other (keep factor 0)
// in the round whose election triggered it.
func CountMeek(e *Election) (*Result, error) {
	all, err := e.ballotsFor(Meek)
	if err != nil {
		return nil, err
	}
	nBallots := all.Total()
	if nBallots > maxMeekBallots {
		return nil, tooMany("Meek STV", maxMeekBallots, nBallots, "in guarded arithmetic with 27 places (128-bit tallies)")
	}
	// Ballots with equal rankings take Droop's slower path, which shares
	// a rank's weight equally among its continuing candidates.
	var plain Ballots
	var equal []equalBallot
	for i := range all.Len() {
		r := all.Ranking(i)
		if !slices.ContainsFunc(r, func(p int32) bool { return p&tiedFlag != 0 }) {
			plain.Add(all.Weight(i), int32sToInts(r)...)
			continue
		}
		var eb equalBallot
		eb.count = all.Weight(i)
		for _, rank := range all.Ranks(i) {
			eb.ranks = append(eb.ranks, rank)
		}
		equal = append(equal, eb)
	}
	m := &meek{count: newCount(e, plain), trie: buildTrie(plain), equal: equal, nBallots: nBallots}
	return m.run(), nil
}

type meek struct {
	*count
	trie     ballotTrie
	equal    []equalBallot
	nBallots int64
	kf       []u128 // keep factor per candidate, guarded units
	vote     []u128
	quota    *big.Int
	surplus  *big.Int
	wstack   []u128
}

func (m *meek) run() *Result {
	e := m.e
	one := u128Scale
	m.kf = make([]u128, m.n)
	m.vote = make([]u128, m.n)
	m.wstack = make([]u128, m.trie.maxD+1)
	for i := range m.n {
		if m.status[i] == Hopeful {
			m.kf[i] = one
		}
	}
	m.quota = new(big.Int).Div(gint(m.nBallots), big.NewInt(int64(e.Seats+1)))
	m.surplus = new(big.Int)
	for i, d := range m.trie.depth {
		if d == 0 {
			c := m.trie.cand[i]
			m.vote[c] = m.vote[c].add(one.mulSmall(uint64(m.trie.count[i])))
		}
	}
	for _, eb := range m.equal {
		// Droop splits the first rank's vote equally, truncated.
		share := u128{lo: one.lo, hi: one.hi}.divSmall(uint64(len(eb.ranks[0]))).mulSmall(uint64(eb.count))
		for _, c := range eb.ranks[0] {
			m.vote[c] = m.vote[c].add(share)
		}
	}
	omega := new(big.Int).Div(bigScale, new(big.Int).Exp(big.NewInt(10), big.NewInt(meekOmega10), nil))
	quota0 := gdec(m.quota)
	m.newRound()
	m.snapshot()
	m.enforce()

	complete := func() bool { return len(m.hopeful()) <= m.seatsLeft() || m.seatsLeft() <= 0 }
	for !complete() {
		m.newRound()
		status, batch := m.iterate(omega)
		m.snapshot()
		switch status {
		case "elected":
			m.enforce()
			continue
		case "batch":
			slices.Sort(batch)
			for _, x := range batch {
				m.defeat(x, ReasonSureLosers, fmt.Sprintf("%s is a sure loser: with the candidates below and the whole surplus of %s, still fewer votes than the next candidate", e.Candidates[x], gdec(m.surplus)))
			}
			continue
		}
		h, kept := m.excludable()
		low := m.vote[h[0]].big()
		for _, x := range h {
			if v := m.vote[x].big(); v.Cmp(low) < 0 {
				low = v
			}
		}
		lim := new(big.Int).Add(low, m.surplus)
		var tied []int
		for _, x := range h {
			if gcmp(lim, m.vote[x].big()) >= 0 {
				tied = append(tied, x)
			}
		}
		x := m.breakTie(tied, true, false, "the lowest vote")
		why := "the total surplus has fallen to omega"
		if status == "stable" {
			why = "the surplus has stopped falling"
		}
		reason, detail := ReasonLowest, fmt.Sprintf("%s has the fewest votes (%s) and %s (%s), so it is defeated", e.Candidates[x], gdec(m.vote[x].big()), why, gdec(m.surplus))
		if slices.ContainsFunc(kept, func(k int) bool { return gcmp(lim, m.vote[k].big()) >= 0 }) {
			reason = ReasonLowestUnreserved
			detail = fmt.Sprintf("%s has the fewest votes (%s) of the candidates who may be excluded and %s (%s), so it is defeated; %s",
				e.Candidates[x], gdec(m.vote[x].big()), why, gdec(m.surplus), m.keptWhy(kept, func(k int) string { return gdec(m.vote[k].big()).String() }))
		}
		m.defeat(x, reason, detail)
	}
	for _, x := range m.hopeful() {
		if len(m.elected) < e.Seats {
			m.status[x] = Elected
			m.elected = append(m.elected, x)
			m.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonRemaining,
				Detail: fmt.Sprintf("%s is elected with %s votes: the continuing candidates are no more than the seats left", e.Candidates[x], gdec(m.vote[x].big()))})
		} else {
			m.status[x] = Defeated
			m.kf[x] = u128{}
			m.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonNoSeatsLeft,
				Detail: fmt.Sprintf("%s is not elected: every seat is filled", e.Candidates[x])})
		}
		m.distribute()
	}
	res := m.result(Meek, guardedArith+fmt.Sprintf(", omega 10^-%d", meekOmega10), m.nBallots, quota0)
	res.Final = make([]Decimal, m.n)
	for i := range m.n {
		res.Final[i] = gdec(m.vote[i].big())
	}
	last := &res.Rounds[len(res.Rounds)-1]
	last.Status = slices.Clone(m.status)
	return res
}

func (m *meek) defeat(x int, why Reason, detail string) {
	m.status[x] = Defeated
	m.round().Status[x] = Defeated // the tallies stay those the decision was taken on
	m.event(Event{Kind: EventDefeated, Candidate: x, Reason: why, Detail: detail})
	m.kf[x] = u128{}
	m.vote[x] = u128{}
	m.distribute()
}

// snapshot records the current tallies in the open round.
func (m *meek) snapshot() {
	r := m.round()
	r.Tallies = make([]Decimal, m.n)
	r.KeepFactors = make([]Decimal, m.n)
	held := new(big.Int)
	for i := range m.n {
		v := m.vote[i].big()
		r.Tallies[i] = gdec(v)
		r.KeepFactors[i] = gdec(m.kf[i].big())
		held.Add(held, v)
	}
	r.Status = slices.Clone(m.status)
	r.Quota = gdec(m.quota)
	r.Residual = gdec(held.Sub(gint(m.nBallots), held))
	r.Surplus = gdec(m.surplus)
}

// iterate runs Meek's inner loop (Droop's steps D.2–D.8) and says why it
// stopped: "elected", "omega", "stable" or "batch" (with the batch).
func (m *meek) iterate(omega *big.Int) (string, []int) {
	e := m.e
	last := gint(m.nBallots)
	for {
		m.distribute()
		votes := new(big.Int)
		for i, s := range m.status {
			if s == Hopeful || s == Elected {
				votes.Add(votes, m.vote[i].big())
			}
		}
		m.quota = votes.Div(votes, big.NewInt(int64(e.Seats+1)))
		elected := false
		for _, x := range m.overQuota() {
			if v := m.vote[x].big(); m.mayElect(x) {
				m.status[x] = Elected
				m.elected = append(m.elected, x)
				elected = true
				m.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonQuota,
					Detail: fmt.Sprintf("%s has %s votes, more than the quota of %s", e.Candidates[x], gdec(v), gdec(m.quota))})
			}
		}
		m.surplus = new(big.Int)
		for _, x := range m.elected {
			m.surplus.Add(m.surplus, new(big.Int).Sub(m.vote[x].big(), m.quota))
		}
		if elected {
			return "elected", nil
		}
		if gcmp(m.surplus, omega) <= 0 {
			return "omega", nil
		}
		if gcmp(m.surplus, last) >= 0 {
			return "stable", nil
		}
		if batch := m.batch(); len(batch) > 0 {
			return "batch", batch
		}
		last = m.surplus
		for _, x := range m.elected {
			kf := gdiv(gmul(m.kf[x].big(), m.quota), m.vote[x].big())
			m.kf[x] = u128FromBig(kf)
		}
	}
}

// batch finds the largest set of lowest candidates that are sure losers:
// together with the whole surplus they have fewer votes than the next
// candidate, leaving enough hopefuls for the seats, never splitting a
// group of candidates within the surplus of each other.
func (m *meek) batch() []int {
	h := m.hopeful()
	slices.SortStableFunc(h, func(a, b int) int { return m.vote[a].big().Cmp(m.vote[b].big()) })
	var groups [][]int
	var group []int
	base := new(big.Int)
	for _, x := range h {
		v := m.vote[x].big()
		if gcmp(new(big.Int).Add(base, m.surplus), v) >= 0 {
			group = append(group, x)
			continue
		}
		if len(group) > 0 {
			groups = append(groups, group)
		}
		group = []int{x}
		base = v
	}
	if len(group) > 0 {
		groups = append(groups, group)
	}
	maxDefeat := len(h) - m.seatsLeft()
	sum := new(big.Int)
	maxg, n := -1, 0
	for g := 0; g < len(groups)-1; g++ {
		n += len(groups[g])
		if n > maxDefeat {
			break
		}
		for _, x := range groups[g] {
			sum.Add(sum, m.vote[x].big())
		}
		if gcmp(new(big.Int).Add(sum, m.surplus), m.vote[groups[g+1][0]].big()) < 0 {
			maxg = g
		}
	}
	var out []int
	for g := 0; g <= maxg; g++ {
		out = append(out, groups[g]...)
	}
	return m.spareReserved(out)
}
