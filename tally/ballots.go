package tally

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

// tiedFlag marks a preference that shares its rank with the one before it
// ("A = B" in a ranking). Keeping the mark inside the flat preference array
// keeps a ballot group to one offset and one weight, however it is ranked.
const tiedFlag = int32(1) << 30

// Election is everything a count needs: who stands, how many seats, and the
// ballots cast.
type Election struct {
	// Title names the contest in reports.
	Title string
	// Candidates holds each candidate's name; a candidate is known by its
	// index in this slice everywhere else in the package.
	Candidates []string
	// Withdrawn marks candidates who stood down after nominations closed:
	// ballots skip over them as if they had not been ranked. It is nil or
	// as long as Candidates.
	Withdrawn []bool
	// Seats is how many candidates are to be elected.
	Seats int
	// TieOrder lists candidate indexes in the order used when a tie must be
	// broken "by lot" (the first listed loses a defeat tie and wins a
	// surplus tie), as Droop's [tie] option does. Nil means ballot order.
	TieOrder []int
	// Categories places each candidate in at most one category for the
	// minimum-representation rules ("" for none). It is nil or as long as
	// Candidates.
	Categories []string
	// MinRepresentation reserves seats for categories: at least Seats of
	// the seats go to candidates of Category. Only Scottish STV and Meek
	// apply it (see Reserve for the rule); other methods refuse an
	// election that has it.
	MinRepresentation []Reserve
	// Ballots are the votes cast.
	Ballots Ballots
}

// Ballots holds rankings compactly: every preference of every ballot group
// sits in one flat slice, so a million ballots are three allocations, not a
// million. A group is one or more identical ballots counted Weight times.
type Ballots struct {
	prefs   []int32 // candidate indexes; tiedFlag marks "same rank as previous"
	offsets []int32 // group i's preferences are prefs[offsets[i]:offsets[i+1]]
	weights []int64 // number of ballots in group i
	// merged is true when the groups came from grouping (no two alike, in
	// ranking order) and nothing was added since; noEmpty, when no group
	// is an empty ballot. Grouping again is then a copy.
	merged, noEmpty bool
}

// Len returns the number of ballot groups.
func (b *Ballots) Len() int { return len(b.weights) }

// Weight returns how many ballots group i stands for.
func (b *Ballots) Weight(i int) int64 { return b.weights[i] }

// Total returns the number of ballots, counting each group's weight. A
// total beyond math.MaxInt64 is returned as math.MaxInt64 (and one below
// math.MinInt64, from negative weights, as math.MinInt64): Validate
// refuses such an election, so no count ever sees the clamped value.
func (b *Ballots) Total() int64 {
	n, _ := b.total()
	return n
}

// total returns the sum of the weights and whether it fits in an int64;
// when it does not, the sum is clamped to the int64 range.
func (b *Ballots) total() (int64, bool) {
	var n int64
	for _, w := range b.weights {
		switch {
		case w > 0 && n > math.MaxInt64-w:
			return math.MaxInt64, false
		case w < 0 && n < math.MinInt64-w:
			return math.MinInt64, false
		}
		n += w
	}
	return n, true
}

// exactTotal returns the sum of the weights in full, for an error message
// about a total that does not fit in an int64.
func (b *Ballots) exactTotal() *big.Int {
	n := new(big.Int)
	for _, w := range b.weights {
		n.Add(n, big.NewInt(w))
	}
	return n
}

// Ranking returns group i's preferences, most preferred first, as candidate
// indexes. The slice aliases the ballot store: do not modify it. A
// preference that shares its rank with the previous one has the tied mark;
// use Ranks to read such ballots.
func (b *Ballots) Ranking(i int) []int32 {
	if len(b.offsets) == 0 {
		return nil
	}
	return b.prefs[b.offsets[i]:b.offsets[i+1]]
}

// HasTies reports whether any ballot ranks two candidates equally.
func (b *Ballots) HasTies() bool {
	for _, p := range b.prefs {
		if p&tiedFlag != 0 {
			return true
		}
	}
	return false
}

// Ranks returns group i's preferences as ranks: each inner slice is the set
// of candidates sharing one rank.
func (b *Ballots) Ranks(i int) [][]int {
	var out [][]int
	for _, p := range b.Ranking(i) {
		c := int(p &^ tiedFlag)
		if p&tiedFlag != 0 && len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], c)
			continue
		}
		out = append(out, []int{c})
	}
	return out
}

// Add appends a group of weight identical ballots ranking candidates in
// order of preference.
func (b *Ballots) Add(weight int64, ranking ...int) {
	b.merged = false
	if len(b.offsets) == 0 {
		b.offsets = append(b.offsets, 0)
	}
	for _, c := range ranking {
		b.prefs = append(b.prefs, candPref(c))
	}
	b.offsets = append(b.offsets, int32(len(b.prefs)))
	b.weights = append(b.weights, weight)
}

// AddRanks appends a group of weight identical ballots whose ranks may hold
// several equally ranked candidates.
func (b *Ballots) AddRanks(weight int64, ranks [][]int) {
	b.merged = false
	if len(b.offsets) == 0 {
		b.offsets = append(b.offsets, 0)
	}
	for _, r := range ranks {
		for j, c := range r {
			p := candPref(c)
			if j > 0 {
				p |= tiedFlag
			}
			b.prefs = append(b.prefs, p)
		}
	}
	b.offsets = append(b.offsets, int32(len(b.prefs)))
	b.weights = append(b.weights, weight)
}

// candPref stores candidate c as a preference. An index that int32 (less
// the tied mark) cannot hold becomes -1, which Validate refuses, rather
// than wrapping onto another candidate. (issue 15)
func candPref(c int) int32 {
	if c < 0 || c >= int(tiedFlag) {
		return -1
	}
	return int32(c)
}

// Grow makes room for groups more ballot groups holding prefs preferences.
func (b *Ballots) Grow(groups, prefs int) {
	b.prefs = slices.Grow(b.prefs, prefs)
	b.offsets = slices.Grow(b.offsets, groups+1)
	b.weights = slices.Grow(b.weights, groups)
}

// Validate checks that the election can be counted: candidates named, seats
// sensible, every preference a known candidate ranked at most once, every
// weight positive, and the ballots no more than math.MaxInt64 in all (a
// *CountError names that limit: every method counts its ballots, and
// Result.Ballots holds their number, in an int64).
func (e *Election) Validate() error {
	n := len(e.Candidates)
	if n == 0 {
		return fmt.Errorf("no candidates")
	}
	if e.Seats < 1 {
		return fmt.Errorf("seats must be at least 1, not %d", e.Seats)
	}
	if e.Seats > math.MaxInt32 { // quotas divide by seats+1, which must not wrap
		return fmt.Errorf("seats must be at most %d, not %d", math.MaxInt32, e.Seats)
	}
	if e.Withdrawn != nil && len(e.Withdrawn) != n {
		return fmt.Errorf("withdrawn list has %d entries for %d candidates", len(e.Withdrawn), n)
	}
	if e.Categories != nil && len(e.Categories) != n {
		return fmt.Errorf("category list has %d entries for %d candidates", len(e.Categories), n)
	}
	seen := make([]int, n)
	var total int64
	for i := range e.Ballots.Len() {
		w := e.Ballots.Weight(i)
		if w <= 0 {
			return fmt.Errorf("ballot group %d has weight %d; weights must be positive", i+1, w)
		}
		if total > math.MaxInt64-w {
			return &CountError{Msg: fmt.Sprintf("the ballots' weights add up to %s; a count holds at most %s ballots (2^63−1)",
				e.Ballots.exactTotal(), limitText(math.MaxInt64))}
		}
		total += w
		for _, p := range e.Ballots.Ranking(i) {
			c := int(p &^ tiedFlag)
			if p < 0 {
				return fmt.Errorf("ballot group %d ranks a candidate index outside 0 to %d", i+1, tiedFlag-1)
			}
			if c >= n {
				return fmt.Errorf("ballot group %d ranks candidate %d; there are %d", i+1, c+1, n)
			}
			if seen[c] == i+1 {
				return fmt.Errorf("ballot group %d ranks %s twice", i+1, e.Candidates[c])
			}
			seen[c] = i + 1
		}
	}
	return nil
}

// withdrawn reports whether candidate c has withdrawn.
func (e *Election) withdrawn(c int) bool {
	return e.Withdrawn != nil && e.Withdrawn[c]
}

// tieRank returns, for each candidate, its position in the tie-breaking
// order (lower breaks ties first).
func (e *Election) tieRank() []int {
	r := make([]int, len(e.Candidates))
	if len(e.TieOrder) != len(e.Candidates) {
		for i := range r {
			r[i] = i
		}
		return r
	}
	for pos, c := range e.TieOrder {
		r[c] = pos
	}
	return r
}

// rankedOnly returns the election's ballots with withdrawn candidates
// removed from every ranking, identical rankings grouped, and rankings left
// empty dropped. It refuses ballots with equal rankings, which the
// sequential STV and IRV rules cannot count.
func (e *Election) rankedOnly(method Method) (Ballots, error) {
	if e.Ballots.HasTies() {
		return Ballots{}, &CountError{Msg: fmt.Sprintf("%s cannot count ballots that rank candidates equally", method)}
	}
	return e.ballotsFor(method)
}

// cleanBallots returns the election's ballots with withdrawn candidates
// removed from every ranking, identical rankings grouped, and rankings left
// empty dropped. Equal rankings are kept. It refuses an election with
// minimum-representation rules, which only ballotsFor(ScottishSTV or Meek)
// accepts.
func (e *Election) cleanBallots() (Ballots, error) { return e.ballotsFor("") }

// ballotsFor is cleanBallots for a method, which may apply the election's
// minimum-representation rules.
func (e *Election) ballotsFor(method Method) (Ballots, error) {
	if err := e.Validate(); err != nil {
		if ce := (*CountError)(nil); errors.As(err, &ce) { // issue 15: a total over the limit is a refusal, not bad input
			return Ballots{}, ce
		}
		return Ballots{}, &InputError{Msg: err.Error()}
	}
	if err := e.checkReserves(method); err != nil {
		return Ballots{}, err
	}
	if !slices.Contains(e.Withdrawn, true) {
		return e.Ballots.grouped(true), nil
	}
	var clean Ballots
	clean.Grow(e.Ballots.Len(), len(e.Ballots.prefs))
	buf := make([]int32, 0, len(e.Candidates))
	for i := range e.Ballots.Len() {
		buf = buf[:0]
		// A rank whose first member withdrew passes its opening to the
		// next member, so "2=3" with 2 withdrawn becomes "3".
		rankOpen := false
		for _, p := range e.Ballots.Ranking(i) {
			if p&tiedFlag == 0 {
				rankOpen = false
			}
			if e.withdrawn(int(p &^ tiedFlag)) {
				continue
			}
			if rankOpen {
				buf = append(buf, p|tiedFlag)
			} else {
				buf = append(buf, p&^tiedFlag)
				rankOpen = true
			}
		}
		if len(buf) > 0 {
			if len(clean.offsets) == 0 {
				clean.offsets = append(clean.offsets, 0)
			}
			clean.prefs = append(clean.prefs, buf...)
			clean.offsets = append(clean.offsets, int32(len(clean.prefs)))
			clean.weights = append(clean.weights, e.Ballots.Weight(i))
		}
	}
	return clean.grouped(true), nil
}
