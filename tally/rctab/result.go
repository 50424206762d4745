package rctab

import "sort"

// Result is a finished RCTab count: one Tabulation, or one per seat for
// multi-pass IRV (RCTab writes a report for each pass).
type Result struct {
	Contest     string
	Config      *Config
	Ballots     int64 // cast vote records read
	Tabulations []*Tabulation
	records     *Ballots // the ballots counted, for the CDF JSON output (report_cdf.go)
}

// Winners lists every winner in order of election across all passes.
func (r *Result) Winners() []string {
	var out []string
	for _, t := range r.Tabulations {
		out = append(out, t.Winners...)
	}
	return out
}

// Tabulation is the round-by-round story of one count.
type Tabulation struct {
	Pass          int // 1-based pass number for multi-pass IRV, else 0
	NumWinners    int
	Winners       []string // in order of election
	Rounds        []Round
	CandidateRows []string // candidates in the order RCTab's CSV lists them
	NumCandidates int      // as RCTab's JSON counts them (all, with write-ins)
	NumContinuing int      // as RCTab's CSV counts them (without excluded)
	TotalBallots  Decimal
	Undervotes    int64 // ballots ranking nobody
	SingleWinner  bool
	SliceKind     string        // "Precinct" or "Batch" for a slice report, else ""
	SliceID       string        // the precinct or batch
	Slices        []*Tabulation // per-slice reports, when the config asks for them
	roundOneBase  bool          // percentages against round 1 (multi-seat) or each round
	snaps         *cdfSnapshots // where each group's vote went, round by round (report_cdf.go)
}

// Round is one round: the count, the threshold, who was elected or
// eliminated and why, where their ballots went and which ballots stopped
// counting, by reason.
type Round struct {
	Number          int
	Threshold       Decimal
	Tally           map[string]Decimal // candidates counted this round
	Elected         []Action
	Eliminated      []Action
	Inactive        Inactive
	ActiveBallots   Decimal // active ballots plus votes held by past winners
	ResidualSurplus Decimal // cumulative surplus lost to rounding
}

// Action is one candidate elected or eliminated in a round.
type Action struct {
	Candidate string
	Reason    string     // plain-language why
	TieBreak  string     // how a tie was broken, when it was
	Transfers []Transfer // where this candidate's ballots went next round
}

// Transfer is a number of votes moved to a candidate (or "exhausted",
// "residual surplus").
type Transfer struct {
	To    string
	Votes Decimal
}

// Inactive counts ballots no longer counting, by reason (by value: a
// ballot that helped elect a winner may be only partly inactive).
type Inactive struct {
	Overvotes         Decimal
	SkippedRankings   Decimal
	ExhaustedChoices  Decimal
	RepeatedRankings  Decimal
	Undervotes        Decimal // ranked nobody; RCTab reports them apart
	FinalRoundSurplus Decimal
	HasFinalSurplus   bool // RCTab reports the final surplus in the last round only
}

// Total is every inactive ballot except undervotes and the final surplus,
// as RCTab's "Inactive Ballots Total" row.
func (in Inactive) Total() Decimal {
	return in.Overvotes.Add(in.SkippedRankings).Add(in.ExhaustedChoices).Add(in.RepeatedRankings)
}

func (t *tabulator) result(pass int) *Tabulation {
	whole := t.buildTabulation(pass, t.rounds, t.transfers, -1, "", nil)
	whole.Slices = t.sliceResults(whole)
	whole.snaps = t.snaps // report_cdf.go
	return whole
}

// buildTabulation turns round tallies (the contest's, or one slice's when
// kind >= 0) into the reported rounds. Decisions always come from the
// contest as a whole.
func (t *tabulator) buildTabulation(pass int, rounds []*roundTally, transfers transferLog, kind int, id string, whole *Tabulation) *Tabulation {
	cfg := t.cfg
	tab := &Tabulation{
		Pass: pass, NumWinners: t.numWinners,
		NumCandidates: t.n, NumContinuing: t.numCandidates(),
		SingleWinner: cfg.Mode == SingleWinnerMajority,
		SliceID:      id,
	}
	if kind >= 0 {
		tab.SliceKind = sliceNames[kind]
	}
	tab.roundOneBase = cfg.FirstRoundThreshold || !(tab.SingleWinner || cfg.Mode == BottomsUpPercentage)
	// RCTab 2.0 lists the candidates elected (or eliminated) in one round
	// alphabetically.
	byRound := func(roundOf []int, list []int, round int) []int {
		var out []int
		for _, c := range list {
			if roundOf[c] == round {
				out = append(out, c)
			}
		}
		sort.Slice(out, func(i, j int) bool { return javaLess(t.name(out[i]), t.name(out[j])) })
		return out
	}
	for r := 1; r <= len(rounds); r++ {
		for _, c := range byRound(t.winnerRound, t.winners, r) {
			tab.Winners = append(tab.Winners, t.name(c))
		}
	}
	for i, rt := range rounds {
		r := Round{Number: rt.round, Threshold: rt.threshold, Tally: map[string]Decimal{},
			ActiveBallots: rt.activeAndLockedIn()}
		if kind < 0 {
			r.ResidualSurplus = t.residual[i]
		}
		for _, c := range rt.inserted {
			r.Tally[t.name(c)] = rt.tally[c]
		}
		r.Inactive = Inactive{
			Overvotes: rt.status[StatusOvervote], SkippedRankings: rt.status[StatusSkipped],
			ExhaustedChoices: rt.status[StatusExhausted], RepeatedRankings: rt.status[StatusRepeated],
			Undervotes: rt.status[StatusUndervote], FinalRoundSurplus: rt.status[StatusFinalSurplus],
			HasFinalSurplus: t.usesSurpluses() && i == len(rounds)-1,
		}
		next := transfers[rt.round+1]
		action := func(c int, reason string) Action {
			a := Action{Candidate: t.name(c), Reason: reason, TieBreak: t.tieBroken[c]}
			for to, v := range next[t.name(c)] {
				a.Transfers = append(a.Transfers, Transfer{To: to, Votes: v})
			}
			sort.Slice(a.Transfers, func(x, y int) bool { return javaLess(a.Transfers[x].To, a.Transfers[y].To) })
			return a
		}
		whole := t.rounds[i]
		for _, c := range byRound(t.winnerRound, t.winners, rt.round) {
			r.Elected = append(r.Elected, action(c, t.electedReason(whole, c)))
		}
		for _, c := range byRound(t.elimRound, t.eliminated, rt.round) {
			r.Eliminated = append(r.Eliminated, action(c, t.eliminatedReason(whole, c)))
		}
		tab.Rounds = append(tab.Rounds, r)
	}
	if len(rounds) > 0 {
		r1 := rounds[0]
		tab.TotalBallots = r1.active().Add(r1.inactive())
		tab.Undervotes = r1.status[StatusUndervote].unscaled // undervotes are whole ballots
		if whole != nil {
			tab.CandidateRows = whole.CandidateRows
		} else {
			tab.CandidateRows = t.csvOrder(r1)
		}
	}
	return tab
}

// csvOrder sorts round-one candidates by votes, highest first, keeping
// RCTab's map order among equals and undeclared write-ins last.
func (t *tabulator) csvOrder(r1 *roundTally) []string {
	order := t.mapOrder(r1)
	uwi := t.cfg.uwiIndex()
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a == uwi {
			return false
		}
		if b == uwi {
			return true
		}
		return r1.tally[a].Cmp(r1.tally[b]) > 0
	})
	out := make([]string, len(order))
	for i, c := range order {
		out[i] = t.name(c)
	}
	return out
}

func (t *tabulator) electedReason(rt *roundTally, c int) string {
	switch {
	case t.cfg.Mode == BottomsUpPercentage:
		return "is over the threshold of " + rt.threshold.String() + " with " + rt.tally[c].String() + " votes, as are all remaining candidates"
	case rt.tally[c].Cmp(rt.threshold) >= 0:
		return "reached the threshold of " + rt.threshold.String() + " with " + rt.tally[c].String() + " votes"
	case t.tieBroken[c] != "":
		return "had the most votes and won the tie-break"
	default:
		return "was elected with " + rt.tally[c].String() + " votes because no more candidates remained than seats to fill"
	}
}

func (t *tabulator) eliminatedReason(rt *roundTally, c int) string {
	switch {
	case c == t.cfg.uwiIndex():
		return "stands for undeclared write-ins, which are always eliminated first"
	case t.cfg.MinimumVotes.Sign() > 0 && rt.tally[c].Cmp(t.cfg.MinimumVotes) < 0:
		return "had " + rt.tally[c].String() + " votes, below the minimum of " + t.cfg.MinimumVotes.String()
	case t.cfg.CutoffElimination && rt.tally[c].Cmp(rt.threshold) <= 0:
		return "had " + rt.tally[c].String() + " votes, not over the threshold of " + rt.threshold.String()
	case t.tieBroken[c] != "":
		return "tied for fewest votes (" + rt.tally[c].String() + ") and lost the tie-break"
	}
	n := 0
	for _, x := range t.eliminated {
		if t.elimRound[x] == rt.round {
			n++
		}
	}
	if n > 1 {
		return "was batch-eliminated with " + rt.tally[c].String() + " votes: together the lowest candidates could not overtake the next"
	}
	return "had the fewest votes (" + rt.tally[c].String() + ")"
}
