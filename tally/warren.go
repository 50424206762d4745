package tally

import (
	"fmt"
	"slices"
)

// warrenOmega10 is Droop's default omega for Warren in guarded
// arithmetic: iteration stops when the total surplus is at most 10^-9.
const warrenOmega10 = 9

// CountWarren counts e by Warren's STV as Droop's "warren" rule does with
// its defaults (guarded arithmetic with 18+9 places, omega 10^-9, safe
// batch defeats). It is Meek's method (see CountMeek) except in how a
// ballot's weight is shared: a candidate with keep factor k takes k of
// the ballot's remaining weight w, or all of w when w is less than k,
// and passes on the rest, where Meek takes k × w. Ballots with equal
// rankings share a rank's weight equally among its continuing candidates.
//
// Each Round records the tallies, quota and keep factors at the end of its
// iteration, on which the round's election or defeat was decided.
func CountWarren(e *Election) (*Result, error) {
	return countRefMeek(e, guardedValues{}, refRule{method: Warren, omega10: warrenOmega10})
}

// refRule says how one of Droop's Meek-family reference rules differs
// from the others.
type refRule struct {
	method  Method
	omega10 int // iteration stops when the surplus falls to 10^-omega10
	// prf selects the PR Foundation's reference Meek (MeekPRF): each
	// candidate keeps the weight × keep factor rounded up; iteration
	// stops when the surplus is below omega (not at it); the surplus is
	// never negative; there are no batch defeats; and the votes are not
	// redistributed after a defeat until the next round.
	prf bool
}

// refMeek is a count by a Meek-family reference rule in arithmetic T.
type refMeek[T any] struct {
	*count
	a        droopArith[T]
	rule     refRule
	trie     ballotTrie
	equal    []equalBallot
	nBallots int64
	kf       []T // keep factor per candidate
	vote     []T
	wstack   []T
	zero     T
	quota    T
	surplus  T
	omega    T
}

func countRefMeek[T any](e *Election, a droopArith[T], rule refRule) (*Result, error) {
	m, err := newRefMeek(e, a, rule)
	if err != nil {
		return nil, err
	}
	return m.run(), nil
}

func newRefMeek[T any](e *Election, a droopArith[T], rule refRule) (*refMeek[T], error) {
	var all Ballots
	var err error
	if rule.prf {
		// The PR Foundation's rule defines no sharing of a rank.
		all, err = e.rankedOnly(rule.method)
	} else {
		all, err = e.ballotsFor(rule.method)
	}
	if err != nil {
		return nil, err
	}
	var plain Ballots
	var equal []equalBallot
	for i := range all.Len() {
		r := all.Ranking(i)
		if !slices.ContainsFunc(r, func(p int32) bool { return p&tiedFlag != 0 }) {
			plain.Add(all.Weight(i), int32sToInts(r)...)
			continue
		}
		equal = append(equal, equalBallot{ranks: all.Ranks(i), count: all.Weight(i)})
	}
	m := &refMeek[T]{count: newCount(e, plain), a: a, rule: rule, trie: buildTrie(plain), equal: equal, nBallots: all.Total()}
	m.zero = a.fromInt(0)
	one := a.fromInt(1)
	m.kf = make([]T, m.n)
	m.vote = make([]T, m.n)
	m.wstack = make([]T, m.trie.maxD+1)
	for i := range m.n {
		m.kf[i], m.vote[i] = m.zero, m.zero
		if m.status[i] == Hopeful {
			m.kf[i] = one
		}
	}
	m.omega = one
	for range m.rule.omega10 {
		m.omega = a.divInt(m.omega, 10)
	}
	m.quota = m.quotaOf(a.fromInt(m.nBallots))
	m.surplus = m.zero
	return m, nil
}

func (m *refMeek[T]) run() *Result {
	e, a := m.e, m.a
	one := a.fromInt(1)
	for i, d := range m.trie.depth {
		if d == 0 {
			c := m.trie.cand[i]
			m.vote[c] = a.add(m.vote[c], a.fromInt(m.trie.count[i]))
		}
	}
	for _, eb := range m.equal {
		share := a.mulInt(a.divInt(one, int64(len(eb.ranks[0]))), eb.count)
		for _, c := range eb.ranks[0] {
			m.vote[c] = a.add(m.vote[c], share)
		}
	}
	quota0 := a.dec(m.quota)
	m.newRound()
	m.snapshot()

	complete := func() bool { return len(m.hopeful()) <= m.seatsLeft() || m.seatsLeft() <= 0 }
	for !complete() {
		m.newRound()
		status, batch := m.iterate()
		m.snapshot()
		switch status {
		case "elected":
			continue
		case "batch":
			slices.Sort(batch)
			for _, x := range batch {
				m.defeat(x, ReasonSureLosers, fmt.Sprintf("%s is a sure loser: with the candidates below and the whole surplus of %s, still fewer votes than the next candidate", e.Candidates[x], a.dec(m.surplus)))
			}
			continue
		}
		h := m.hopeful()
		low := m.vote[h[0]]
		for _, x := range h {
			if a.order(m.vote[x], low) < 0 {
				low = m.vote[x]
			}
		}
		lim := a.add(low, m.surplus)
		var tied []int
		for _, x := range h {
			// The lowest are always among them: at weights near 2^63 the
			// surplus can come out a hair below zero (issue 15's
			// overflow property test found an empty list here).
			if a.cmp(lim, m.vote[x]) >= 0 || a.order(m.vote[x], low) == 0 {
				tied = append(tied, x)
			}
		}
		x := m.breakTie(tied, true, false, "the lowest vote")
		why := "the total surplus has fallen to omega"
		if status == "stable" {
			why = "the surplus has stopped falling"
		}
		m.defeat(x, ReasonLowest, fmt.Sprintf("%s has the fewest votes (%s) and %s (%s), so it is defeated", e.Candidates[x], a.dec(m.vote[x]), why, a.dec(m.surplus)))
	}
	for _, x := range m.hopeful() {
		if len(m.elected) < e.Seats {
			m.status[x] = Elected
			m.elected = append(m.elected, x)
			m.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonRemaining,
				Detail: fmt.Sprintf("%s is elected with %s votes: the continuing candidates are no more than the seats left", e.Candidates[x], a.dec(m.vote[x]))})
		} else {
			m.status[x] = Defeated
			m.kf[x], m.vote[x] = m.zero, m.zero
			m.event(Event{Kind: EventDefeated, Candidate: x, Reason: ReasonNoSeatsLeft,
				Detail: fmt.Sprintf("%s is not elected: every seat is filled", e.Candidates[x])})
		}
		if !m.rule.prf {
			m.distribute()
		}
	}
	res := m.result(m.rule.method, a.describe(m.rule.omega10), m.nBallots, quota0)
	res.Final = make([]Decimal, m.n)
	for i := range m.n {
		res.Final[i] = a.dec(m.vote[i])
	}
	res.Rounds[len(res.Rounds)-1].Status = slices.Clone(m.status)
	return res
}

// quotaOf is the quota for votes: votes ÷ (seats+1), truncated, plus the
// arithmetic's epsilon when it rounds, so that reaching it is enough.
func (m *refMeek[T]) quotaOf(votes T) T {
	return m.a.add(m.a.divInt(votes, int64(m.e.Seats+1)), m.a.epsilon())
}

func (m *refMeek[T]) defeat(x int, why Reason, detail string) {
	m.status[x] = Defeated
	m.round().Status[x] = Defeated // the tallies stay those the decision was taken on
	m.event(Event{Kind: EventDefeated, Candidate: x, Reason: why, Detail: detail})
	m.kf[x], m.vote[x] = m.zero, m.zero
	if !m.rule.prf {
		m.distribute()
	}
}

// snapshot records the current tallies in the open round.
func (m *refMeek[T]) snapshot() {
	a, r := m.a, m.round()
	r.Tallies = make([]Decimal, m.n)
	r.KeepFactors = make([]Decimal, m.n)
	held := m.zero
	for i := range m.n {
		r.Tallies[i] = a.dec(m.vote[i])
		r.KeepFactors[i] = a.dec(m.kf[i])
		held = a.add(held, m.vote[i])
	}
	r.Status = slices.Clone(m.status)
	r.Quota = a.dec(m.quota)
	r.Residual = a.dec(a.sub(a.fromInt(m.nBallots), held))
	r.Surplus = a.dec(m.surplus)
}

// iterate runs the rule's inner loop and says why it stopped: "elected",
// "omega", "stable" or "batch" (with the batch).
func (m *refMeek[T]) iterate() (string, []int) {
	e, a := m.e, m.a
	last := a.fromInt(m.nBallots)
	for {
		m.distribute()
		votes := m.zero
		for i, s := range m.status {
			if s == Hopeful || s == Elected {
				votes = a.add(votes, m.vote[i])
			}
		}
		m.quota = m.quotaOf(votes)
		elected := false
		for _, x := range m.hopeful() {
			// Exact arithmetic must exceed the quota; a rounded-up quota
			// need only be reached.
			if d := a.cmp(m.vote[x], m.quota); d > 0 || (d == 0 && !a.exact()) {
				m.status[x] = Elected
				m.elected = append(m.elected, x)
				elected = true
				how := "more than"
				if !a.exact() {
					how = "reaching"
				}
				m.event(Event{Kind: EventElected, Candidate: x, Reason: ReasonQuota,
					Detail: fmt.Sprintf("%s has %s votes, %s the quota of %s", e.Candidates[x], a.dec(m.vote[x]), how, a.dec(m.quota))})
			}
		}
		m.surplus = m.zero
		for _, x := range m.elected {
			m.surplus = a.add(m.surplus, a.sub(m.vote[x], m.quota))
		}
		// A surplus is never below zero: meek-prf says so, and for Warren
		// rounding at near 10^11 ballots can leave an elected candidate a
		// few units under the quota (found by TestOverflowEveryMethod).
		if a.order(m.surplus, m.zero) < 0 {
			m.surplus = m.zero
		}
		if elected {
			return "elected", nil
		}
		if d := a.cmp(m.surplus, m.omega); d < 0 || (d == 0 && !m.rule.prf) {
			return "omega", nil
		}
		if a.cmp(m.surplus, last) >= 0 {
			return "stable", nil
		}
		if !m.rule.prf {
			if batch := m.batch(); len(batch) > 0 {
				return "batch", batch
			}
		}
		last = m.surplus
		for _, x := range m.elected {
			m.kf[x] = a.div(a.mul(m.kf[x], m.quota, true), m.vote[x], true)
		}
	}
}

// batch finds the largest set of lowest candidates that are sure losers,
// as CountMeek's batch defeats do.
func (m *refMeek[T]) batch() []int {
	a := m.a
	h := m.hopeful()
	slices.SortStableFunc(h, func(x, y int) int { return a.order(m.vote[x], m.vote[y]) })
	var groups [][]int
	var group []int
	base := m.zero
	for _, x := range h {
		if a.cmp(a.add(base, m.surplus), m.vote[x]) >= 0 {
			group = append(group, x)
			continue
		}
		if len(group) > 0 {
			groups = append(groups, group)
		}
		group = []int{x}
		base = m.vote[x]
	}
	if len(group) > 0 {
		groups = append(groups, group)
	}
	maxDefeat := len(h) - m.seatsLeft()
	sum := m.zero
	maxg, n := -1, 0
	for g := 0; g < len(groups)-1; g++ {
		n += len(groups[g])
		if n > maxDefeat {
			break
		}
		for _, x := range groups[g] {
			sum = a.add(sum, m.vote[x])
		}
		if a.cmp(a.add(sum, m.surplus), m.vote[groups[g+1][0]]) < 0 {
			maxg = g
		}
	}
	var out []int
	for g := 0; g <= maxg; g++ {
		out = append(out, groups[g]...)
	}
	return out
}

// keep returns what a candidate with keep factor kf keeps of a ballot's
// weight w, and the weight passed on.
func (m *refMeek[T]) keep(kf, w T) (T, T) {
	a := m.a
	var k T
	switch {
	case m.rule.prf:
		k = a.mul(w, kf, true)
	case a.cmp(kf, w) < 0: // Warren
		k = kf
	default:
		k = w
	}
	return k, a.sub(w, k)
}

// distribute passes every ballot down its ranking, each candidate keeping
// its share (keep), until no weight is left.
func (m *refMeek[T]) distribute() {
	a := m.a
	for i, s := range m.status {
		if s == Hopeful || s == Elected {
			m.vote[i] = m.zero
		}
	}
	t := &m.trie
	m.wstack[0] = a.fromInt(1)
	for i := 0; i < len(t.cand); {
		c, d := t.cand[i], t.depth[i]
		w := m.wstack[d]
		if a.isZero(m.kf[c]) {
			m.wstack[d+1] = w
			i++
			continue
		}
		k, rest := m.keep(m.kf[c], w)
		m.vote[c] = a.add(m.vote[c], a.mulInt(k, t.count[i]))
		if a.cmp(rest, m.zero) <= 0 {
			i = int(t.next[i]) // nothing left for the rest of the subtree
			continue
		}
		m.wstack[d+1] = rest
		i++
	}
	for _, eb := range m.equal {
		m.distributeEqual(eb, 0, a.fromInt(1))
	}
}

// distributeEqual passes weight w into rank i of eb as Droop does: the
// weight is split equally among the rank's continuing candidates, and
// each share is kept and passed on like a whole ballot's weight.
func (m *refMeek[T]) distributeEqual(eb equalBallot, i int, w T) {
	a := m.a
	if a.isZero(w) || i >= len(eb.ranks) {
		return
	}
	var cids []int
	for _, c := range eb.ranks[i] {
		if s := m.status[c]; s == Hopeful || s == Elected {
			cids = append(cids, c)
		}
	}
	if len(cids) == 0 {
		return
	}
	share := a.divInt(w, int64(len(cids)))
	for _, c := range cids {
		k, rest := m.keep(m.kf[c], share)
		m.vote[c] = a.add(m.vote[c], a.mulInt(k, eb.count))
		m.distributeEqual(eb, i+1, rest)
	}
}
