package tally

import (
	"fmt"
	"slices"
	"strings"
)

// count is the bookkeeping every sequential method shares: who stands
// where, the rounds recorded so far, and the ballots grouped by the
// candidate currently holding them.
type count struct {
	e       *Election
	b       Ballots
	n       int
	status  []Status
	tie     []int     // tie-break rank per candidate
	pos     []int32   // per group: index into b.prefs of its current preference
	piles   [][]int32 // per candidate: the groups it currently holds
	elected []int
	rounds  []Round
	history [][]int64 // per round: each candidate's vote at its end, for tie-breaks
	rsv     *reserves // minimum-representation rules; nil when none
}

func newCount(e *Election, b Ballots) *count {
	n := len(e.Candidates)
	c := &count{e: e, b: b, n: n, status: make([]Status, n), tie: e.tieRank(),
		pos: make([]int32, b.Len()), piles: make([][]int32, n), rsv: newReserves(e)}
	for i := range c.status {
		c.status[i] = Hopeful
		if e.withdrawn(i) {
			c.status[i] = Withdrawn
		}
	}
	for g := range b.Len() {
		c.pos[g] = b.offsets[g]
	}
	return c
}

// deal puts every ballot group on the pile of its first preference.
func (c *count) deal() {
	for g := range c.b.Len() {
		top := c.b.prefs[c.pos[g]]
		c.piles[top] = append(c.piles[top], int32(g))
	}
}

// advance moves group g to its next hopeful preference and returns it, or
// -1 when the ballot is exhausted.
func (c *count) advance(g int32) int {
	end := c.b.offsets[g+1]
	p := c.pos[g]
	for p < end && c.status[c.b.prefs[p]] != Hopeful {
		p++
	}
	c.pos[g] = p
	if p == end {
		return -1
	}
	return int(c.b.prefs[p])
}

func (c *count) hopeful() []int {
	var h []int
	for i, s := range c.status {
		if s == Hopeful {
			h = append(h, i)
		}
	}
	return h
}

func (c *count) seatsLeft() int { return c.e.Seats - len(c.elected) }

func (c *count) round() *Round { return &c.rounds[len(c.rounds)-1] }

func (c *count) newRound() *Round {
	c.rounds = append(c.rounds, Round{Number: len(c.rounds) + 1}) // rounds count from 1, as people read them (issue 15)
	return c.round()
}

func (c *count) event(ev Event) { r := c.round(); r.Events = append(r.Events, ev) }

func (c *count) names(cs []int) string {
	s := make([]string, len(cs))
	for i, x := range cs {
		s[i] = c.e.Candidates[x]
	}
	return strings.Join(s, ", ")
}

// breakTie picks one of tied, lowest (for a defeat) or highest (for a
// surplus): first by the most recent earlier round in which their votes
// differed, if earlier is set (Scottish rules 49(2) and 51(2)), then by
// the election's tie order ("by lot").
func (c *count) breakTie(tied []int, lowest, earlier bool, what string) int {
	if len(tied) == 1 {
		return tied[0]
	}
	cands := slices.Clone(tied)
	if earlier {
		for r := len(c.history) - 1; r >= 0; r-- {
			v := c.history[r]
			best := v[cands[0]]
			for _, x := range cands[1:] {
				if (lowest && v[x] < best) || (!lowest && v[x] > best) {
					best = v[x]
				}
			}
			var keep []int
			for _, x := range cands {
				if v[x] == best {
					keep = append(keep, x)
				}
			}
			cands = keep
			if len(cands) == 1 {
				c.event(Event{Kind: EventTie, Candidate: cands[0], Reason: ReasonTieEarlier, Tied: tied,
					Detail: fmt.Sprintf("%s were tied for %s; %s was chosen because of the votes at the end of round %d, the most recent round in which they differed",
						c.names(tied), what, c.e.Candidates[cands[0]], r+1)}) // history[r] is round r+1: rounds count from 1 (issue 15)
				return cands[0]
			}
		}
	}
	pick := slices.MinFunc(cands, func(a, b int) int { return c.tie[a] - c.tie[b] })
	c.event(Event{Kind: EventTie, Candidate: pick, Reason: ReasonTieLot, Tied: tied,
		Detail: fmt.Sprintf("%s were tied for %s; %s was chosen by lot (the election's tie-break order)", c.names(tied), what, c.e.Candidates[pick])})
	return pick
}

// result builds the Result fields every sequential method shares.
func (c *count) result(m Method, arith string, ballots int64, quota Decimal) *Result {
	res := &Result{Method: m, Title: c.e.Title, Candidates: slices.Clone(c.e.Candidates), Seats: c.e.Seats,
		Ballots: ballots, Arithmetic: arith, Quota: quota, Elected: slices.Clone(c.elected), Rounds: c.rounds}
	if c.rsv != nil {
		res.MinRepresentation = slices.Clone(c.rsv.rules)
		res.Categories = make([]string, c.n)
		copy(res.Categories, c.e.Categories)
	}
	return res
}
