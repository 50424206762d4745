package rctab

import (
	"fmt"
	"sort"
	"strings"
)

// identifyWinners mirrors RCTab's identifyWinners, edge cases included.
func (t *tabulator) identifyWinners(rt *roundTally, groups []tallyGroup) ([]int, error) {
	uwi := t.cfg.uwiIndex()
	if uwi >= 0 && rt.present[uwi] && rt.tally[uwi].Sign() != 0 {
		return nil, nil // nobody wins while undeclared write-ins still hold votes
	}
	var selected []int
	if t.cfg.Mode == BottomsUpPercentage {
		above := 0
		for _, c := range rt.inserted {
			if rt.tally[c].Cmp(rt.threshold) > 0 {
				above++
			}
		}
		if above == rt.numCandidates() {
			selected = t.mapOrder(rt)
		}
		return selected, nil
	}
	unfilled := t.numWinners - len(t.winners)
	active := rt.numCandidates()
	if unfilled > 0 {
		switch {
		case active <= unfilled:
			selected = t.mapOrder(rt)
		case t.cfg.FirstRoundThreshold && active-1 == t.numWinners:
			selected = append(selected, groups[len(groups)-1].cands...)
		case t.cfg.Mode != BottomsUp:
			for _, g := range groups {
				if g.votes.Cmp(rt.threshold) >= 0 {
					for _, c := range g.cands {
						if c != uwi {
							selected = append(selected, c)
						}
					}
				}
			}
		}
	}
	tieMany := len(selected) > 1 && (t.cfg.Mode == MultiWinnerOnePerRound || t.cfg.FirstRoundThreshold)
	tieNone := false
	if t.numWinners == 1 && len(selected) == 0 && active == 2 && unfilled == 1 {
		tieNone = true
		for _, g := range groups {
			if g.votes.Cmp(t.cfg.MinimumVotes) < 0 {
				tieNone = false
			}
		}
	}
	if tieMany || tieNone {
		top := groups[len(groups)-1]
		selected = append([]int(nil), top.cands...)
		if len(selected) > 1 {
			w, err := t.breakTie(true, selected, rt.round, top.votes)
			if err != nil {
				return nil, err
			}
			selected = []int{w}
		}
	}
	return selected, nil
}

// eliminate picks this round's losers: undeclared write-ins first, then
// everyone under the minimum vote threshold, then a batch, then the last
// candidate (breaking a tie if needed).
func (t *tabulator) eliminate(rt *roundTally, groups []tallyGroup) ([]int, error) {
	if uwi := t.cfg.uwiIndex(); uwi >= 0 && rt.present[uwi] && rt.tally[uwi].Sign() > 0 {
		return []int{uwi}, nil
	}
	if min := t.cfg.MinimumVotes; min.Sign() > 0 && groups[0].votes.Cmp(min) < 0 {
		var out []int
		for _, g := range groups {
			if g.votes.Cmp(min) >= 0 {
				break
			}
			out = append(out, g.cands...)
		}
		if len(out) == t.numDeclared() {
			return nil, tabErr("every declared candidate is below the minimum vote threshold")
		}
		return out, nil
	}
	if t.cfg.CutoffElimination {
		var out []int
		for _, g := range groups {
			if g.votes.Cmp(rt.threshold) <= 0 {
				out = append(out, g.cands...)
			}
		}
		if len(out) > 0 && len(out) < rt.numCandidates() {
			return out, nil
		}
	}
	if t.cfg.BatchElimination {
		if batch := t.batch(groups); len(batch) > 1 {
			return batch, nil
		}
	}
	last := groups[0]
	if len(last.cands) == 1 {
		return []int{last.cands[0]}, nil
	}
	loser, err := t.breakTie(false, last.cands, rt.round, last.votes)
	if err != nil {
		return nil, err
	}
	return []int{loser}, nil
}

// batch eliminates every candidate who could not overtake the next one
// up even with all the lower candidates' votes (RCTab's runBatchElimination).
func (t *tabulator) batch(groups []tallyGroup) []int {
	running := Int(0)
	var seen, elim, prev []int
	done := map[int]bool{}
	for _, g := range groups {
		next := append([]int(nil), elim...)
		if running.Cmp(g.votes) < 0 {
			for _, c := range seen {
				if !done[c] {
					done[c] = true
					next = append(next, c)
				}
			}
		}
		running = running.Add(g.votes.MulDown(Int(int64(len(g.cands))), t.cfg.DecimalPlaces))
		seen = append(seen, g.cands...)
		if len(next) > len(elim) {
			prev, elim = elim, next
		}
	}
	if t.cfg.ContinueUntilTwo && len(elim)+len(t.eliminated) == t.numCandidates()-1 {
		elim = prev
	}
	return elim
}

// breakTie chooses the winner (or loser) among tied candidates by the
// configured tie-break mode, as RCTab's Tiebreak class does.
func (t *tabulator) breakTie(winner bool, tied []int, round int, votes Decimal) (int, error) {
	tied = append([]int(nil), tied...)
	sort.Slice(tied, func(i, j int) bool { return javaLess(t.name(tied[i]), t.name(tied[j])) })
	var pick int
	var why string
	switch t.cfg.Tiebreak {
	case TiebreakRandom:
		pick = tied[t.rng.randomIndex(len(tied))]
		why = "The candidate was randomly selected."
	case TiebreakUseCandidateOrder, TiebreakGeneratePermutation:
		pick, why = t.byPermutation(winner, tied)
	case TiebreakPreviousThenRandom, TiebreakPreviousThenAsk:
		var err error
		if pick, why, err = t.byPreviousRounds(winner, tied, round, votes); err != nil {
			return 0, err
		}
	case TiebreakStopCountingAndAsk:
		var err error
		if pick, why, err = t.askOperator(winner, tied, round, votes); err != nil {
			return 0, err
		}
	default:
		return 0, tabErr("tie-break mode %s is not supported", t.cfg.Tiebreak)
	}
	var others []string
	for _, c := range tied {
		if c != pick {
			others = append(others, t.name(c))
		}
	}
	verb := "lost"
	if winner {
		verb = "won"
	}
	t.tieBroken[pick] = fmt.Sprintf("%s %s a tie-break in round %d against %s; each had %s votes. %s",
		t.name(pick), verb, round, strings.Join(others, ", "), votes, why)
	return pick, nil
}

func (t *tabulator) byPermutation(winner bool, tied []int) (int, string) {
	in := map[string]int{}
	for _, c := range tied {
		in[t.name(c)] = c
	}
	perm := t.permutation
	where := "earliest"
	if !winner {
		where = "latest"
		perm = make([]string, len(t.permutation))
		for i, nm := range t.permutation {
			perm[len(perm)-1-i] = nm
		}
	}
	for _, nm := range perm {
		if c, ok := in[nm]; ok {
			return c, "The selected candidate appeared " + where + " in the tie-breaking permutation list."
		}
	}
	return tied[0], "No tied candidate is in the permutation list; the first by name was chosen."
}

func (t *tabulator) byPreviousRounds(winner bool, tied []int, round int, votes Decimal) (int, string, error) {
	contention := tied
	for r := round - 1; r > 0; r-- {
		prev := t.rounds[r-1]
		groups := prev.byTally(t.javaOrder(contention))
		g := groups[0]
		if winner {
			g = groups[len(groups)-1]
		}
		contention = g.cands
		if len(contention) == 1 {
			most := "fewest"
			if winner {
				most = "most"
			}
			return contention[0], fmt.Sprintf("%s had the %s votes (%s) in round %d.", t.name(contention[0]), most, g.votes, r), nil
		}
	}
	if t.cfg.Tiebreak == TiebreakPreviousThenAsk {
		// the operator chooses among those still tied, named as RCTab sorts them
		still := append([]int(nil), contention...)
		sort.Slice(still, func(i, j int) bool { return javaLess(t.name(still[i]), t.name(still[j])) })
		pick, why, err := t.askOperator(winner, still, round, votes)
		return pick, "Previous round counts still tied, so the operator chose. " + why, err
	}
	return contention[t.rng.randomIndex(len(contention))], "Previous round counts still tied, so the candidate was randomly selected.", nil
}
