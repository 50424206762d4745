package rctab

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText writes a readable account of the count: for every round the
// threshold, each candidate's votes, who was elected or eliminated and
// why, where their ballots went, and the ballots that stopped counting by
// reason.
func WriteText(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n", res.Contest)
	fmt.Fprintf(bw, "%s\n", strings.Repeat("=", len([]rune(res.Contest))))
	cfg := res.Config
	fmt.Fprintf(bw, "Rules: %s, %s, tie-break %s\n", cfg.Mode, cfg.Overvote, cfg.Tiebreak)
	fmt.Fprintf(bw, "Ballots read: %d\n", res.Ballots)
	for _, t := range res.Tabulations {
		fmt.Fprintln(bw)
		if t.Pass > 0 {
			fmt.Fprintf(bw, "Pass %d (seat %d of %d)\n", t.Pass, t.Pass, cfg.NumWinners)
		}
		fmt.Fprintf(bw, "Ballots: %s, of which %d ranked nobody\n", t.TotalBallots, t.Undervotes)
		for _, r := range t.Rounds {
			writeTextRound(bw, r)
		}
		fmt.Fprintf(bw, "\nElected: %s\n", strings.Join(t.Winners, ", "))
	}
	return bw.Flush()
}

func writeTextRound(w *bufio.Writer, r Round) {
	fmt.Fprintf(w, "\nRound %d (threshold %s)\n", r.Number, r.Threshold)
	names := make([]string, 0, len(r.Tally))
	for n := range r.Tally {
		names = append(names, n)
	}
	sort.SliceStable(names, func(i, j int) bool {
		if c := r.Tally[names[i]].Cmp(r.Tally[names[j]]); c != 0 {
			return c > 0
		}
		return names[i] < names[j]
	})
	width := 0
	for _, n := range names {
		width = max(width, len([]rune(n)))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s %s\n", width, n, r.Tally[n])
	}
	for _, a := range r.Elected {
		writeTextAction(w, "Elected", a)
	}
	for _, a := range r.Eliminated {
		writeTextAction(w, "Eliminated", a)
	}
	in := r.Inactive
	fmt.Fprintf(w, "  Inactive ballots: %s (overvotes %s, skipped rankings %s, exhausted %s, repeated rankings %s)\n",
		in.Total(), in.Overvotes, in.SkippedRankings, in.ExhaustedChoices, in.RepeatedRankings)
	if in.HasFinalSurplus {
		fmt.Fprintf(w, "  Surplus left with the winners: %s\n", in.FinalRoundSurplus)
	}
	if r.ResidualSurplus.Sign() > 0 {
		fmt.Fprintf(w, "  Residual surplus lost to rounding so far: %s\n", r.ResidualSurplus)
	}
}

func writeTextAction(w *bufio.Writer, verb string, a Action) {
	fmt.Fprintf(w, "  %s: %s, who %s.\n", verb, a.Candidate, a.Reason)
	if a.TieBreak != "" {
		fmt.Fprintf(w, "    Tie-break: %s\n", a.TieBreak)
	}
	for _, tr := range a.Transfers {
		fmt.Fprintf(w, "    %s -> %s\n", tr.Votes, tr.To)
	}
}
