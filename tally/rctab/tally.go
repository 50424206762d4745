package rctab

// BallotStatus says whether a ballot counts in a round and, if not, why.
type BallotStatus uint8

// Ballot statuses, in RCTab's terms.
const (
	StatusActive       BallotStatus = iota
	StatusUndervote                 // ranked nobody at all
	StatusOvervote                  // inactive by an overvote
	StatusSkipped                   // inactive by too many skipped rankings
	StatusRepeated                  // inactive by a repeated ranking
	StatusExhausted                 // no continuing candidate left on it
	StatusFinalSurplus              // surplus left with winners after the last seat filled
	numStatuses
)

// roundTally is one round's count, like RCTab's RoundTally: candidate
// tallies (only candidates still counted, plus past winners in multi-seat
// contests), ballot totals by status and the winning threshold.
type roundTally struct {
	round     int
	present   []bool
	tally     []Decimal
	inserted  []int // candidate indices in insertion order (for Java map order)
	status    [numStatuses]Decimal
	lockedIn  Decimal // votes held by past winners, counted via surplus adjustment
	threshold Decimal
}

func newRoundTally(round, n int, cands []int) *roundTally {
	rt := &roundTally{round: round, present: make([]bool, n), tally: make([]Decimal, n)}
	for _, c := range cands {
		rt.present[c] = true
		rt.inserted = append(rt.inserted, c)
	}
	return rt
}

func (rt *roundTally) add(c int, v Decimal) {
	rt.tally[c] = rt.tally[c].Add(v)
	rt.status[StatusActive] = rt.status[StatusActive].Add(v)
}

// setLocked sets a past winner's tally without touching the active
// count, tracking the difference as locked-in votes (RCTab's
// setCandidateTallyViaSurplusAdjustment).
func (rt *roundTally) setLocked(c int, v Decimal) {
	old := Decimal{}
	if rt.present[c] {
		old = rt.tally[c]
	} else {
		rt.present[c] = true
		rt.inserted = append(rt.inserted, c)
	}
	rt.tally[c] = v
	rt.lockedIn = rt.lockedIn.Add(v.Sub(old))
}

func (rt *roundTally) numCandidates() int {
	n := 0
	for _, p := range rt.present {
		if p {
			n++
		}
	}
	return n
}

// active is the number of active ballots (by value) this round.
func (rt *roundTally) active() Decimal { return rt.status[StatusActive] }

// activeAndLockedIn is what RCTab's CSV calls "Active Ballots": active
// ballots plus the votes held by past winners and the final surplus.
func (rt *roundTally) activeAndLockedIn() Decimal {
	return rt.status[StatusActive].Add(rt.lockedIn).Add(rt.status[StatusFinalSurplus])
}

// inactive sums the inactive statuses, not counting the final surplus.
func (rt *roundTally) inactive() Decimal {
	var sum Decimal
	for s := StatusUndervote; s < StatusFinalSurplus; s++ {
		sum = sum.Add(rt.status[s])
	}
	return sum
}

// tallyGroup is one distinct tally value and the candidates holding it,
// in the order RCTab's TreeMap of lists would give them.
type tallyGroup struct {
	votes Decimal
	cands []int
}

// byTally groups candidates (iterated in order) by tally, ascending.
func (rt *roundTally) byTally(order []int) []tallyGroup {
	var groups []tallyGroup
	for _, c := range order {
		v := rt.tally[c]
		i := 0
		for i < len(groups) && groups[i].votes.Cmp(v) < 0 {
			i++
		}
		if i < len(groups) && groups[i].votes.Cmp(v) == 0 {
			groups[i].cands = append(groups[i].cands, c)
			continue
		}
		groups = append(groups, tallyGroup{})
		copy(groups[i+1:], groups[i:])
		groups[i] = tallyGroup{votes: v, cands: []int{c}}
	}
	return groups
}
