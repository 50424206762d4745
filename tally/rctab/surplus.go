package rctab

// threshold computes the winning threshold from a round's active votes.
func (t *tabulator) threshold(rt *roundTally) Decimal {
	total := rt.active()
	var th Decimal
	if t.cfg.Mode == BottomsUpPercentage {
		th = total.Mul(t.cfg.BottomsUpPercent)
	} else {
		div := int64(t.numWinners + 1)
		if t.cfg.HareQuota {
			div = int64(t.numWinners)
		}
		places := 0
		augend := Int(1)
		if t.cfg.NonIntegerThreshold {
			places = t.cfg.DecimalPlaces
			augend = Decimal{unscaled: 1, scale: int32(places)}
		}
		if t.cfg.HareQuota {
			th = total.DivUp(Int(div), places)
		} else {
			th = total.DivDown(Int(div), places).Add(augend)
		}
	}
	if t.cfg.MinimumVotes.Sign() > 0 && t.cfg.MinimumVotes.Cmp(th) > 0 {
		th = t.cfg.MinimumVotes
	}
	return th
}

func (t *tabulator) recordWinnerSurplus(rt *roundTally, w int) {
	votes := rt.tally[w]
	extra := votes.Sub(rt.threshold)
	fraction := Int(0)
	if extra.Sign() > 0 {
		fraction = extra.DivDown(votes, t.cfg.DecimalPlaces)
	}
	for g := range t.st {
		s := &t.st[g]
		if s.recipient != w {
			continue
		}
		transfer := s.value.MulDown(fraction, t.cfg.DecimalPlaces)
		kept := s.value.Sub(transfer)
		replaced := false
		for i := range s.allocs {
			if s.allocs[i].cand == w {
				s.allocs[i].value = kept
				replaced = true
			}
		}
		if !replaced {
			s.allocs = append(s.allocs, alloc{cand: w, value: kept})
		}
		v := Int(1)
		for _, a := range s.allocs {
			v = v.Sub(a.value)
		}
		s.value = v
	}
}

func (t *tabulator) updateWinnerTallies(round int) {
	rt := t.rounds[round-1]
	prev := t.rounds[max(round-2, 0)]
	var process []int
	requiring := map[int]bool{}
	for _, w := range t.javaOrder(t.winners) {
		if t.winnerRound[w] == round {
			continue
		}
		process = append(process, w)
		if t.winnerRound[w] == round-1 {
			requiring[w] = true
		}
	}
	for _, w := range process {
		if requiring[w] {
			rt.setLocked(w, Int(0))
		} else {
			rt.setLocked(w, prev.tally[w])
		}
	}
	t.updateSliceWinnerTallies(round, process, requiring)
	if len(requiring) == 0 {
		return
	}
	for g := range t.st {
		for _, a := range t.st[g].allocs {
			if requiring[a.cand] {
				rt.setLocked(a.cand, rt.tally[a.cand].Add(a.value.MulInt(t.b.weight[g])))
			}
		}
	}
	for _, w := range process {
		if !requiring[w] {
			continue
		}
		res := rt.tally[w].Sub(rt.threshold)
		if res.Sign() > 0 {
			t.residual[round-1] = t.residual[round-1].Add(res)
			rt.setLocked(w, rt.threshold)
			addTransfer(t.transfers, round, t.name(w), transferResidual, res)
		}
	}
}
