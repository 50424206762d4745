package rctab

import (
	"regexp"
	"strings"
)

// Reporting by precinct or batch: RCTab keeps a tally per slice beside the
// contest's, moved by the same decisions, and writes a report for each.

// startSliceRound opens this round's tally for every slice.
func (t *tabulator) startSliceRound(round int, cands []int) {
	for k := range t.sliceRounds {
		for i := range t.sliceRounds[k] {
			t.sliceRounds[k][i] = append(t.sliceRounds[k][i], newRoundTally(round, t.n, cands))
		}
	}
}

// groupSlices returns this round's tallies of group g's slices (nil where
// the contest does not report by that kind or the ballot has no id).
func (t *tabulator) groupSlices(g int) [numSlices]*roundTally {
	var out [numSlices]*roundTally
	for k := range out {
		if t.sliceRounds[k] == nil {
			continue
		}
		if i := t.b.sliceOf[k][g]; i >= 0 {
			rounds := t.sliceRounds[k][i]
			out[k] = rounds[len(rounds)-1]
		}
	}
	return out
}

// setSliceThresholds gives every slice the contest's threshold.
func (t *tabulator) setSliceThresholds(round int, th Decimal) {
	for k := range t.sliceRounds {
		for _, rounds := range t.sliceRounds[k] {
			rounds[round-1].threshold = th
		}
	}
}

// updateSliceWinnerTallies carries past winners' votes into each slice's
// tally; unlike the contest's, slice tallies keep rounding residue.
func (t *tabulator) updateSliceWinnerTallies(round int, process []int, requiring map[int]bool) {
	for k := range t.sliceRounds {
		for _, rounds := range t.sliceRounds[k] {
			rt := rounds[round-1]
			for _, w := range process {
				if requiring[w] {
					rt.setLocked(w, Int(0))
				} else {
					rt.setLocked(w, rounds[round-2].tally[w])
				}
			}
		}
	}
	if len(requiring) == 0 {
		return
	}
	for g := range t.st {
		sl := t.groupSlices(g)
		for _, a := range t.st[g].allocs {
			if !requiring[a.cand] {
				continue
			}
			for _, rt := range sl {
				if rt != nil {
					rt.setLocked(a.cand, rt.tally[a.cand].Add(a.value.MulInt(t.b.weight[g])))
				}
			}
		}
	}
}

// sliceResults builds a Tabulation per slice from the contest's one.
func (t *tabulator) sliceResults(whole *Tabulation) []*Tabulation {
	var out []*Tabulation
	for k := range t.sliceRounds {
		for i, rounds := range t.sliceRounds[k] {
			out = append(out, t.buildTabulation(whole.Pass, rounds, t.sliceTransfers[k][i], k, t.b.sliceIDs[k][i], whole))
		}
	}
	return out
}

var unsafeFileChars = regexp.MustCompile(`[^a-zA-Z0-9_\-.]`)

// SliceFileName is RCTab's file name part for a slice report, such as
// "MINNEAPOLIS_W-13_P-09_precinct".
func SliceFileName(t *Tabulation) string {
	return unsafeFileChars.ReplaceAllString(t.SliceID, "_") + "_" + strings.ToLower(t.SliceKind)
}
