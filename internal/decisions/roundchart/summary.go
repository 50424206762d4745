package roundchart

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/momentum-movement/momentum/tally"
)

// outcome is how a candidate's count ended, as the chart says it.
type outcome int

const (
	outNone       outcome = iota
	outElected            // elected, in the round of the event
	outExcluded           // excluded (lowest vote, sure loser) in a round
	outNotElected         // still standing when the seats were filled
	outWithdrew           // stood down before the count
)

// standing is a candidate's outcome, the round it happened in and the
// vote the chart shows beside the name: the final vote, or for an
// excluded candidate the vote they held when they went out.
type standing struct {
	kind     outcome
	round    int
	vote     tally.Decimal
	reserved bool // excluded because the seats left were reserved for a category
}

// words are the chart's vocabulary: an election's or a poll's.
type words struct {
	elected, notElected string
	seat, seats         string
}

func wordsFor(res *tally.Result, o Options) words {
	if o.Poll || res.Method == tally.Dots || res.Method == tally.MeetingTime {
		return words{"chosen", "not chosen", "to choose", "to choose"}
	}
	return words{"elected", "not elected", "seat", "seats"}
}

// note is the short text at the right of a candidate's row.
func (st standing) note(res *tally.Result, w words, ifNeedBe string, places int) string {
	v := tally.FormatVotes(st.vote, places)
	if ifNeedBe != "" {
		v += " yes · " + ifNeedBe + " if need be"
	}
	single := len(res.Rounds) == 1
	switch st.kind {
	case outElected:
		if single {
			return v + " · " + w.elected
		}
		return v + " · " + w.elected + " in round " + strconv.Itoa(st.round)
	case outExcluded:
		return v + " · excluded in round " + strconv.Itoa(st.round)
	case outNotElected:
		return v + " · " + w.notElected
	case outWithdrew:
		return "withdrew"
	}
	return v
}

// summary is what a count's chart and description say about it.
type summary struct {
	status             []standing
	rows               []int // candidates in the order drawn
	quotaFrom, quotaTo tally.Decimal
	anyExhausted       bool
	ties               []string // tie-breaks, in tally's words
	words              words
}

func summarise(res *tally.Result, o Options) summary {
	n := len(res.Candidates)
	s := summary{status: make([]standing, n), words: wordsFor(res, o)}
	last := res.Rounds[len(res.Rounds)-1]
	for i, rd := range res.Rounds {
		for _, ev := range rd.Events {
			switch {
			case ev.Kind == tally.EventTie:
				s.ties = append(s.ties, ev.Detail)
			case ev.Candidate < 0 || ev.Candidate >= n:
			case ev.Kind == tally.EventElected:
				s.status[ev.Candidate] = standing{kind: outElected, round: rd.Number, vote: last.Tallies[ev.Candidate]}
			case ev.Kind == tally.EventDefeated && ev.Reason == tally.ReasonNoSeatsLeft:
				s.status[ev.Candidate] = standing{kind: outNotElected, round: rd.Number, vote: last.Tallies[ev.Candidate]}
			case ev.Kind == tally.EventDefeated:
				v := rd.Tallies[ev.Candidate]
				if v.Sign() == 0 && i > 0 {
					v = res.Rounds[i-1].Tallies[ev.Candidate]
				}
				s.status[ev.Candidate] = standing{kind: outExcluded, round: rd.Number, vote: v, reserved: ev.Reason == tally.ReasonReserved}
			}
		}
		if rd.Exhausted.Sign() > 0 {
			s.anyExhausted = true
		}
	}
	for c := range n {
		if s.status[c].kind != outNone {
			continue
		}
		st := standing{round: last.Number, vote: last.Tallies[c]}
		switch roundStatus(last, c) {
		case tally.Withdrawn:
			st.kind = outWithdrew
		case tally.Elected:
			st.kind = outElected
		case tally.Defeated:
			st.kind = outNotElected
		}
		s.status[c] = st
	}
	// The elected in order of election, then the rest from the last to go
	// out to the first; the candidate's ballot position settles the rest.
	s.rows = slices.Clone(res.Elected)
	var rest []int
	for c := range n {
		if !slices.Contains(s.rows, c) {
			rest = append(rest, c)
		}
	}
	rank := map[outcome]int{outElected: 0, outNotElected: 1, outNone: 2, outExcluded: 3, outWithdrew: 4}
	slices.SortStableFunc(rest, func(a, b int) int {
		sa, sb := s.status[a], s.status[b]
		return cmp.Or(cmp.Compare(rank[sa.kind], rank[sb.kind]), cmp.Compare(sb.round, sa.round), sb.vote.Cmp(sa.vote))
	})
	s.rows = append(s.rows, rest...)
	s.quotaFrom, s.quotaTo = roundQuota(res, res.Rounds[0]), roundQuota(res, last)
	return s
}

// roundQuota is the quota a round was counted against, falling back to
// the count's opening quota when a method records it only once.
func roundQuota(res *tally.Result, rd tally.Round) tally.Decimal {
	if rd.Quota.Sign() > 0 {
		return rd.Quota
	}
	return res.Quota
}

// methodName names a method in the chart's legend and description.
func methodName(m tally.Method) string {
	switch m {
	case tally.IRV:
		return "Instant-runoff"
	case tally.ScottishSTV:
		return "Scottish STV"
	case tally.Meek:
		return "Meek STV"
	case tally.WIGM:
		return "STV (weighted inclusive Gregory)"
	case tally.Dots:
		return "Dot vote"
	case tally.MeetingTime:
		return "Meeting-time poll"
	case tally.Approval, tally.Score, tally.Plurality, tally.Schulze, tally.Consensus:
		return upperFirst(string(m))
	}
	return string(m)
}

// unit names what a method's tallies count, singular and plural.
func unit(m tally.Method) (string, string) {
	switch m {
	case tally.Approval:
		return "approval", "approvals"
	case tally.Score:
		return "point", "points"
	case tally.Schulze:
		return "candidate beaten", "candidates beaten"
	case tally.Dots:
		return "dot", "dots"
	case tally.MeetingTime:
		return "yes", "yes"
	}
	return "vote", "votes"
}
