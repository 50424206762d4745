package tally

import "fmt"

// Position is a member's response to a consensus proposal.
type Position string

// The positions a member may take, as in Loomio.
const (
	Agree    Position = "agree"
	Abstain  Position = "abstain"
	Disagree Position = "disagree"
	Block    Position = "block"
)

// ProposalVotes counts the positions taken on a proposal.
type ProposalVotes struct {
	// Eligible is how many members may take a position.
	Eligible int
	Agree    int
	Abstain  int
	Disagree int
	Block    int
}

// ConsensusRules say what a proposal needs to pass.
type ConsensusRules struct {
	// Quorum is the share of eligible members who must take a position
	// (any position, abstentions included), e.g. 0.5 as a Fixed.
	Quorum Fixed
	// Required is the share of agree among agree and disagree (abstentions
	// and blocks set aside) that passes the proposal, e.g. 0.75. A share
	// exactly equal passes.
	Required Fixed
}

// Outcome is what became of a proposal.
type Outcome string

// Proposal outcomes.
const (
	Passed   Outcome = "passed"
	Blocked  Outcome = "blocked"
	NoQuorum Outcome = "no-quorum"
	Rejected Outcome = "rejected"
)

// ConsensusResult is a proposal's outcome with the reasons for it, in
// plain English, in the order they were checked.
type ConsensusResult struct {
	Outcome Outcome
	Votes   ProposalVotes
	Rules   ConsensusRules
	// Turnout is the share of eligible members who took a position;
	// AgreeShare the share of agree among agree and disagree. Both are
	// truncated to the rules' places for display; the decision itself
	// compares exact integers.
	Turnout    Fixed
	AgreeShare Fixed
	Reasons    []string
}

// DecideProposal applies the rules to the votes: any block blocks the
// proposal; otherwise it needs the quorum, then the required share of
// agreement. Shares are compared exactly, without division.
func DecideProposal(v ProposalVotes, rules ConsensusRules) (*ConsensusResult, error) {
	if v.Eligible < 1 || v.Agree < 0 || v.Abstain < 0 || v.Disagree < 0 || v.Block < 0 {
		return nil, &CountError{Msg: "a proposal needs at least one eligible member and no negative counts"}
	}
	took := v.Agree + v.Abstain + v.Disagree + v.Block
	if took > v.Eligible {
		return nil, &CountError{Msg: fmt.Sprintf("%d positions taken by %d eligible members", took, v.Eligible)}
	}
	p := rules.Required.Places()
	if rules.Quorum.Places() != p {
		rules.Quorum = rules.Quorum.Rescale(max(p, rules.Quorum.Places()))
		rules.Required = rules.Required.Rescale(rules.Quorum.Places())
		p = rules.Quorum.Places()
	}
	one := NewFixed(1, p)
	res := &ConsensusResult{Votes: v, Rules: rules,
		Turnout: NewFixed(int64(took), p).Div(NewFixed(int64(v.Eligible), p))}
	decided := v.Agree + v.Disagree
	if decided > 0 {
		res.AgreeShare = NewFixed(int64(v.Agree), p).Div(NewFixed(int64(decided), p))
	} else {
		res.AgreeShare = FixedUnits(0, p)
	}
	if v.Block > 0 {
		res.Outcome = Blocked
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d member(s) blocked the proposal; a single block stops it whatever the other positions", v.Block))
		return res, nil
	}
	// took/eligible ≥ quorum  ⇔  took × 10^p ≥ quorum units × eligible.
	if int64(took)*one.Units() < rules.Quorum.Units()*int64(v.Eligible) {
		res.Outcome = NoQuorum
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d of %d eligible members took a position (%s); the quorum is %s", took, v.Eligible, res.Turnout, rules.Quorum))
		return res, nil
	}
	res.Reasons = append(res.Reasons, fmt.Sprintf("quorum met: %d of %d eligible members took a position (%s; needed %s)", took, v.Eligible, res.Turnout, rules.Quorum))
	if decided == 0 || int64(v.Agree)*one.Units() < rules.Required.Units()*int64(decided) {
		res.Outcome = Rejected
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d agreed and %d disagreed (%s agree); %s is required", v.Agree, v.Disagree, res.AgreeShare, rules.Required))
		return res, nil
	}
	res.Outcome = Passed
	res.Reasons = append(res.Reasons, fmt.Sprintf("%d agreed and %d disagreed (%s agree; %s required), %d abstained, none blocked", v.Agree, v.Disagree, res.AgreeShare, rules.Required, v.Abstain))
	return res, nil
}
