package decisions

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// Choice is what a voter chose. Which fields count depends on the kind:
// Position (and Reason) for a proposal, Option for a poll, Approve for
// approval and meeting-time polls, Ranking for ranked votes and elections,
// Points for score and dot votes. Options are named by their Position.
type Choice struct {
	Position tally.Position `json:"position,omitempty"`
	// Reason is required with a block and stored with the ballot.
	Reason  string      `json:"reason,omitempty"`
	Option  int         `json:"option,omitempty"`
	Approve []int       `json:"approve,omitempty"`
	Ranking []int       `json:"ranking,omitempty"`
	Points  map[int]int `json:"points,omitempty"`
}

const maxReasonLen = 2000

// check validates c against d and returns it in canonical form (only the
// fields of d's kind, approvals sorted, zero points dropped). Errors are
// errs.Invalid naming the field.
func (d *Decision) check(c Choice) (Choice, error) {
	bad := func(field, format string, args ...any) (Choice, error) {
		return Choice{}, errs.Fields(map[string]string{field: fmt.Sprintf(format, args...)})
	}
	valid := func(pos int) bool { _, ok := d.option(pos); return ok }
	switch d.Kind {
	case KindProposal:
		c.Reason = strings.TrimSpace(c.Reason)
		switch c.Position {
		case tally.Agree, tally.Abstain, tally.Disagree, tally.Block:
		default:
			return bad("position", "Choose agree, abstain, disagree or block.")
		}
		if c.Position == tally.Block && c.Reason == "" {
			return bad("reason", "Say why you block: a block stops the proposal, so the group needs your reason.")
		}
		if utf8.RuneCountInString(c.Reason) > maxReasonLen {
			return bad("reason", "Your reason can be at most %d characters.", maxReasonLen)
		}
		return Choice{Position: c.Position, Reason: c.Reason}, nil
	case KindPoll:
		if !valid(c.Option) {
			return bad("option", "Choose one of the options.")
		}
		return Choice{Option: c.Option}, nil
	case KindApproval, KindMeetingTime:
		a := slices.Clone(c.Approve)
		slices.Sort(a)
		a = slices.Compact(a)
		for _, p := range a {
			if !valid(p) {
				return bad("approve", "Approve only options on the ballot.")
			}
		}
		return Choice{Approve: a}, nil
	case KindRanked, KindElection:
		if len(c.Ranking) == 0 {
			return bad("ranking", "Rank at least one option: 1 for your first choice.")
		}
		seen := map[int]bool{}
		for _, p := range c.Ranking {
			if !valid(p) {
				return bad("ranking", "Rank only options on the ballot.")
			}
			if seen[p] {
				o, _ := d.option(p)
				return bad("ranking", "You ranked %s twice; give each a different rank.", o.Label)
			}
			seen[p] = true
		}
		return Choice{Ranking: slices.Clone(c.Ranking)}, nil
	case KindScore, KindDot:
		pts := map[int]int{}
		total := 0
		for p, v := range c.Points {
			if !valid(p) {
				return bad("points", "Give points only to options on the ballot.")
			}
			if v < 0 || (d.Kind == KindScore && v > d.MaxPoints) {
				return bad("points", "Scores run from 0 to %d.", d.MaxPoints)
			}
			if v > 0 {
				pts[p] = v
			}
			total += v
		}
		if d.Kind == KindDot && total > d.MaxPoints {
			return bad("points", "You have %d dots; you placed %d.", d.MaxPoints, total)
		}
		return Choice{Points: pts}, nil
	}
	return Choice{}, fmt.Errorf("decision %s: unknown kind %q", d.ID, d.Kind)
}

// encode is the ballot content stored for c (already checked).
func (c Choice) encode() (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode ballot: %w", err)
	}
	return string(b), nil
}

// decodeChoice reads stored ballot content.
func decodeChoice(s string) (Choice, error) {
	var c Choice
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Choice{}, fmt.Errorf("decode ballot: %w", err)
	}
	return c, nil
}
