package decisions

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/tally"
)

// Outcome is what a count decided, in words and numbers; it is stored as
// JSON at the close (with the count) and returned by Results.
type Outcome struct {
	// Decided is false when nothing was decided: quorum not reached, no
	// ballots, nobody in the electorate.
	Decided bool `json:"decided"`
	// Summary says what happened in plain words, including any quorum
	// failure and any tie broken by lot.
	Summary    string   `json:"summary"`
	QuorumMet  bool     `json:"quorum_met"`
	Winners    []string `json:"winners"` // in order of election
	Turnout    int      `json:"turnout"`
	Electorate int      `json:"electorate"`
	Ballots    int      `json:"ballots"`
	// Exhausted is the value of ballots with no continuing preference at
	// the end of a ranked count ("" for other methods).
	Exhausted string `json:"exhausted,omitempty"`
	// Ties holds tally's explanation of each tie it broke.
	Ties     []string               `json:"ties,omitempty"`
	Count    *tally.Result          `json:"count,omitempty"`
	Proposal *tally.ConsensusResult `json:"proposal,omitempty"`
}

// count decodes the ballots and counts them.
func (s *Service) count(_ context.Context, _ db.Querier, d *Decision, ballots []storedBallot) (*Outcome, error) {
	choices := make([]Choice, len(ballots))
	for i, b := range ballots {
		c, err := decodeChoice(b.Content)
		if err != nil {
			return nil, err
		}
		choices[i] = c
	}
	return countChoices(d, choices)
}

// countChoices is the count itself: pure, so a recount of the same
// ballots with the same tie order gives the same outcome.
func countChoices(d *Decision, choices []Choice) (*Outcome, error) {
	o := &Outcome{Turnout: d.Turnout, Electorate: d.ElectorateSize, Ballots: len(choices), Winners: []string{}}
	o.QuorumMet = d.QuorumPercent == 0 || o.Turnout*100 >= d.QuorumPercent*o.Electorate
	if d.Kind == KindProposal {
		return o, countProposal(d, choices, o)
	}
	if len(choices) == 0 {
		o.Summary = "Not decided: no ballots were cast."
		return o, nil
	}
	res, err := countOptions(d, choices)
	if err != nil {
		return nil, fmt.Errorf("count decision %s: %w", d.ID, err)
	}
	o.Count = res
	o.Winners = res.ElectedNames()
	for _, r := range res.Rounds {
		for _, ev := range r.Events {
			if ev.Kind == tally.EventTie {
				o.Ties = append(o.Ties, ev.Detail)
			}
		}
	}
	if d.Ranked() && len(res.Rounds) > 0 {
		o.Exhausted = tally.FormatVotes(res.Rounds[len(res.Rounds)-1].Exhausted, res.Places()) // as the results table shows it (issue 15)
	}
	var sb strings.Builder
	if !o.QuorumMet {
		fmt.Fprintf(&sb, "Not decided: quorum not reached. %d of %d voted; the quorum is %d%% of the electorate.",
			o.Turnout, o.Electorate, d.QuorumPercent)
	} else {
		o.Decided = true
		if d.Seats > 1 {
			fmt.Fprintf(&sb, "Elected: %s.", strings.Join(o.Winners, ", "))
		} else {
			fmt.Fprintf(&sb, "%s wins.", strings.Join(o.Winners, ", "))
		}
	}
	for _, t := range o.Ties {
		fmt.Fprintf(&sb, " A tie was broken: %s.", strings.TrimSuffix(t, "."))
	}
	o.Summary = sb.String()
	return o, nil
}

// countOptions builds a tally election from the ballots and counts it by
// the decision's method.
func countOptions(d *Decision, choices []Choice) (*tally.Result, error) {
	e := &tally.Election{Title: d.Title, Seats: d.Seats}
	for _, opt := range d.Options {
		e.Candidates = append(e.Candidates, opt.Label)
	}
	if len(d.tieOrder) == len(e.Candidates) {
		e.TieOrder = d.tieOrder
	}
	if m := d.MinRepresentation; m.Seats > 0 {
		e.Categories = make([]string, len(d.Options))
		for i, opt := range d.Options {
			e.Categories[i] = opt.Category
		}
		e.MinRepresentation = []tally.Reserve{{Category: m.Category, Seats: m.Seats}}
	}
	idx := func(pos []int) []int {
		out := make([]int, len(pos))
		for i, p := range pos {
			out[i] = p - 1
		}
		return out
	}
	switch d.Kind {
	case KindScore, KindDot:
		sbs := make([]tally.ScoreBallot, len(choices))
		for i, c := range choices {
			sc := make([]int, len(e.Candidates))
			for p, v := range c.Points {
				sc[p-1] = v
			}
			sbs[i] = tally.ScoreBallot{Scores: sc, Count: 1}
		}
		return tally.CountScoreBallots(d.Title, e.Candidates, d.Seats, d.MaxPoints, sbs)
	case KindPoll:
		for _, c := range choices {
			e.Ballots.Add(1, c.Option-1)
		}
	case KindApproval, KindMeetingTime:
		for _, c := range choices {
			e.Ballots.Add(1, idx(c.Approve)...)
		}
	default:
		for _, c := range choices {
			e.Ballots.Add(1, idx(c.Ranking)...)
		}
	}
	return tally.Count(e, d.Method)
}

// proposalPlaces is the precision of quorum and required shares given to
// tally: exact for electorates up to 10^9 / Required.Den.
const proposalPlaces = 9

// countProposal applies tally's consensus rules, then the exact share: a
// proposal passes only with agree/(agree+disagree) ≥ Num/Den, and never on
// an exact half.
func countProposal(d *Decision, choices []Choice, o *Outcome) error {
	v := tally.ProposalVotes{Eligible: max(d.ElectorateSize, len(choices))}
	for _, c := range choices {
		switch c.Position {
		case tally.Agree:
			v.Agree++
		case tally.Abstain:
			v.Abstain++
		case tally.Disagree:
			v.Disagree++
		case tally.Block:
			v.Block++
		}
	}
	if v.Eligible == 0 {
		o.Summary = "Not decided: nobody was in the electorate."
		return nil
	}
	frac := func(n, m int) tally.Fixed {
		return tally.NewFixed(int64(n), proposalPlaces).Div(tally.NewFixed(int64(m), proposalPlaces))
	}
	rules := tally.ConsensusRules{Quorum: frac(d.QuorumPercent, 100), Required: frac(d.Required.Num, d.Required.Den)}
	res, err := tally.DecideProposal(v, rules)
	if err != nil {
		return fmt.Errorf("count proposal %s: %w", d.ID, err)
	}
	decided := v.Agree + v.Disagree
	if res.Outcome == tally.Passed {
		switch {
		case 2*v.Agree == decided && d.Required == Majority:
			res.Outcome = tally.Rejected
			res.Reasons = append(res.Reasons, fmt.Sprintf("but agree and disagree are tied at %d each; a simple majority needs more agree than disagree", v.Agree))
		case int64(v.Agree)*int64(d.Required.Den) < int64(d.Required.Num)*int64(decided):
			res.Outcome = tally.Rejected
			res.Reasons = append(res.Reasons, fmt.Sprintf("but %d of %d is less than the %d/%d required", v.Agree, decided, d.Required.Num, d.Required.Den))
		}
	}
	o.Proposal = res
	o.QuorumMet = res.Outcome != tally.NoQuorum
	o.Decided = res.Outcome == tally.Passed || res.Outcome == tally.Rejected || res.Outcome == tally.Blocked
	switch res.Outcome {
	case tally.Passed:
		o.Summary = "Passed."
	case tally.Rejected:
		o.Summary = "Not passed."
	case tally.Blocked:
		o.Summary = "Blocked."
	default:
		o.Summary = "Not decided: quorum not reached."
	}
	o.Summary += " " + strings.Join(res.Reasons, "; ") + "."
	return nil
}
