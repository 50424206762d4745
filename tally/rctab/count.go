package rctab

import "math"

// countRound moves every ballot to its current choice for this round,
// exactly as RCTab's computeTalliesForRound does.
func (t *tabulator) countRound(round int) (*roundTally, error) {
	var cands []int
	for _, c := range t.hashNames {
		if t.continuing(c) {
			cands = append(cands, c)
		}
	}
	rt := newRoundTally(round, t.n, cands)
	t.startSliceRound(round, cands)
	finalSurplus := t.usesSurpluses() && len(t.winners) == t.numWinners
	maxSkip := t.cfg.MaxSkippedRanks
	var seen []bool
	if t.cfg.ExhaustOnDuplicate {
		seen = make([]bool, t.n+1)
	}
	for g := range t.st {
		s := &t.st[g]
		w := t.b.weight[g]
		sl := t.groupSlices(g)
		if s.status != StatusActive {
			addStatus(rt, sl, s.status, s.value.MulInt(w))
			continue
		}
		if s.recipient >= 0 && t.continuing(s.recipient) {
			addVotes(rt, sl, s.recipient, s.value.MulInt(w))
			continue
		}
		ms := t.b.group(g)
		if len(ms) == 0 {
			t.record(rt, sl, g, -1, StatusUndervote)
			continue
		}
		maxRank := int(ms[len(ms)-1].rank)
		lastRank := 0
		if seen != nil {
			clear(seen)
		}
		selected := -1
		for i := 0; i < len(ms); {
			rank := int(ms[i].rank)
			j := i
			for j < len(ms) && int(ms[j].rank) == rank {
				j++
			}
			at := ms[i:j]
			i = j
			if finalSurplus {
				t.record(rt, sl, g, -1, StatusFinalSurplus)
				break
			}
			if maxSkip != math.MaxInt && rank-lastRank > maxSkip+1 {
				t.record(rt, sl, g, -1, StatusSkipped)
				break
			}
			lastRank = rank
			if seen != nil {
				dup := false
				for _, m := range at {
					k := int(m.cand) + 1 // shift so the overvote mark (-1) has a slot
					if seen[k] {
						dup = true
						break
					}
					seen[k] = true
				}
				if dup {
					t.record(rt, sl, g, -1, StatusRepeated)
					break
				}
			}
			decision, err := t.overvoteDecision(at)
			if err != nil {
				return nil, err
			}
			if decision == overvoteExhaust {
				t.record(rt, sl, g, -1, StatusOvervote)
				break
			}
			if decision == overvoteSkip {
				if rank == maxRank {
					t.record(rt, sl, g, -1, StatusExhausted)
				}
				continue
			}
			for _, m := range at {
				if t.continuing(int(m.cand)) {
					selected = int(m.cand)
					t.record(rt, sl, g, selected, StatusActive)
					addVotes(rt, sl, selected, s.value.MulInt(w))
					break
				}
			}
			if selected >= 0 {
				break
			}
			if rank == maxRank {
				t.record(rt, sl, g, -1, StatusExhausted)
			}
		}
	}
	return rt, nil
}

// record moves group g to a new recipient (or makes it inactive),
// noting the transfer, as RCTab's recordSelectionForCastVoteRecord does.
func (t *tabulator) record(rt *roundTally, sl [numSlices]*roundTally, g, selected int, status BallotStatus) {
	s := &t.st[g]
	v := s.value.MulInt(t.b.weight[g])
	if s.value.Sign() > 0 {
		to := transferExhausted
		if selected >= 0 {
			to = t.name(selected)
		}
		addTransfer(t.transfers, rt.round, t.sourceName(s.recipient), to, v)
		for k, st := range sl {
			if st != nil {
				addTransfer(t.sliceTransfers[k][t.b.sliceOf[k][g]], rt.round, t.sourceName(s.recipient), to, v)
			}
		}
	}
	s.recipient = selected
	if selected < 0 {
		s.status = status
	}
	if status != StatusActive {
		addStatus(rt, sl, status, v)
	}
	t.snapshot(g, rt.round) // for the CDF JSON output (report_cdf.go)
}

// addVotes credits a candidate in the contest's tally and the group's
// slices' tallies.
func addVotes(rt *roundTally, sl [numSlices]*roundTally, c int, v Decimal) {
	rt.add(c, v)
	for _, st := range sl {
		if st != nil {
			st.add(c, v)
		}
	}
}

// addStatus counts inactive ballots in the contest's and slices' tallies.
func addStatus(rt *roundTally, sl [numSlices]*roundTally, status BallotStatus, v Decimal) {
	rt.status[status] = rt.status[status].Add(v)
	for _, st := range sl {
		if st != nil {
			st.status[status] = st.status[status].Add(v)
		}
	}
}

type overvoteDecision int

const (
	overvoteNone overvoteDecision = iota
	overvoteExhaust
	overvoteSkip
)

func (t *tabulator) overvoteDecision(at []mark) (overvoteDecision, error) {
	explicit := false
	for _, m := range at {
		if m.cand == candOvervote {
			explicit = true
		}
	}
	rule := t.cfg.Overvote
	switch {
	case explicit:
		if len(at) != 1 {
			return 0, tabErr("a ranking holds the overvote label and candidates")
		}
		if rule == ExhaustImmediately {
			return overvoteExhaust, nil
		}
		if rule == AlwaysSkipToNextRank {
			return overvoteSkip, nil
		}
		return 0, tabErr("overvote rule %s cannot be used with an explicit overvote label", rule)
	case len(at) <= 1:
		return overvoteNone, nil
	case rule == ExhaustImmediately:
		return overvoteExhaust, nil
	case rule == AlwaysSkipToNextRank:
		return overvoteSkip, nil
	}
	found := false
	for _, m := range at {
		if t.continuing(int(m.cand)) {
			if found {
				return overvoteExhaust, nil
			}
			found = true
		}
	}
	return overvoteNone, nil
}
