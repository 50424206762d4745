package tally

import (
	"fmt"
	"math/big"
	"math/bits"
)

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
// agreement. Shares are compared exactly, without division, for any counts
// an int holds.
//
// Errors are *CountError for no eligible member, a negative count, more
// positions than eligible members, or a quorum or required share outside 0
// to 1.
func DecideProposal(v ProposalVotes, rules ConsensusRules) (*ConsensusResult, error) {
	if v.Eligible < 1 || v.Agree < 0 || v.Abstain < 0 || v.Disagree < 0 || v.Block < 0 {
		return nil, &CountError{Msg: "a proposal needs at least one eligible member and no negative counts"}
	}
	// Add the positions without passing Eligible, so the sum cannot wrap.
	took := 0
	for _, n := range []int{v.Agree, v.Abstain, v.Disagree, v.Block} {
		if n > v.Eligible-took {
			return nil, &CountError{Msg: fmt.Sprintf("%s positions taken by %d eligible members",
				new(big.Int).Add(new(big.Int).Add(big.NewInt(int64(v.Agree)), big.NewInt(int64(v.Abstain))),
					new(big.Int).Add(big.NewInt(int64(v.Disagree)), big.NewInt(int64(v.Block)))), v.Eligible)}
		}
		took += n
	}
	for _, s := range []struct {
		name  string
		share Fixed
	}{{"quorum", rules.Quorum}, {"required share", rules.Required}} {
		if s.share.Units() < 0 || s.share.Units() > pow10[s.share.Places()] {
			return nil, &CountError{Msg: fmt.Sprintf("the %s is %s; it must be a share from 0 to 1", s.name, s.share)}
		}
	}
	p := rules.Required.Places()
	if rules.Quorum.Places() != p {
		rules.Quorum = rules.Quorum.Rescale(max(p, rules.Quorum.Places()))
		rules.Required = rules.Required.Rescale(rules.Quorum.Places())
		p = rules.Quorum.Places()
	}
	one := pow10[p]
	// A share of counts up to 2^63 is at most 1: muldivTrunc keeps the
	// product in 128 bits, where NewFixed(count, p) would overflow.
	res := &ConsensusResult{Votes: v, Rules: rules,
		Turnout: FixedUnits(muldivTrunc(int64(took), one, int64(v.Eligible)), p)}
	decided := v.Agree + v.Disagree // ≤ took ≤ Eligible
	if decided > 0 {
		res.AgreeShare = FixedUnits(muldivTrunc(int64(v.Agree), one, int64(decided)), p)
	} else {
		res.AgreeShare = FixedUnits(0, p)
	}
	if v.Block > 0 {
		res.Outcome = Blocked
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d member(s) blocked the proposal; a single block stops it whatever the other positions", v.Block))
		return res, nil
	}
	// took/eligible ≥ quorum  ⇔  took × 10^p ≥ quorum units × eligible.
	if shareBelow(took, v.Eligible, rules.Quorum) {
		res.Outcome = NoQuorum
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d of %d eligible members took a position (%s); the quorum is %s", took, v.Eligible, res.Turnout, rules.Quorum))
		return res, nil
	}
	res.Reasons = append(res.Reasons, fmt.Sprintf("quorum met: %d of %d eligible members took a position (%s; needed %s)", took, v.Eligible, res.Turnout, rules.Quorum))
	if decided == 0 || shareBelow(v.Agree, decided, rules.Required) {
		res.Outcome = Rejected
		res.Reasons = append(res.Reasons, fmt.Sprintf("%d agreed and %d disagreed (%s agree); %s is required", v.Agree, v.Disagree, res.AgreeShare, rules.Required))
		return res, nil
	}
	res.Outcome = Passed
	res.Reasons = append(res.Reasons, fmt.Sprintf("%d agreed and %d disagreed (%s agree; %s required), %d abstained, none blocked", v.Agree, v.Disagree, res.AgreeShare, rules.Required, v.Abstain))
	return res, nil
}

// shareBelow reports whether n/of < share exactly: n × 10^places <
// share's units × of, the products compared in 128 bits. n, of and the
// units are non-negative.
func shareBelow(n, of int, share Fixed) bool {
	lh, ll := bits.Mul64(uint64(n), uint64(pow10[share.Places()]))
	rh, rl := bits.Mul64(uint64(share.Units()), uint64(of))
	return lh < rh || lh == rh && ll < rl
}
