package tally

// Method names a counting method.
type Method string

// The counting methods this package implements.
const (
	IRV         Method = "irv"
	ScottishSTV Method = "scottish-stv"
	Meek        Method = "meek"
	WIGM        Method = "wigm"
	Approval    Method = "approval"
	Score       Method = "score"
	Plurality   Method = "plurality"
	Schulze     Method = "schulze"
	Consensus   Method = "consensus"
	// Dots is dot voting, counted by CountDots.
	Dots Method = "dots"
	// MeetingTime is a meeting-time poll, counted by CountMeetingTime.
	MeetingTime Method = "meeting-time"
	// MeekPRF and Warren are Droop's other Meek-family reference rules
	// (CountMeekPRF, CountWarren).
	MeekPRF Method = "meek-prf"
	Warren  Method = "warren"
)

// Status is where a candidate stands at a point in the count.
type Status string

// Candidate statuses.
const (
	Hopeful   Status = "hopeful"
	Elected   Status = "elected"
	Defeated  Status = "defeated"
	Withdrawn Status = "withdrawn"
)

// EventKind says what happened in a round.
type EventKind string

// The events a round may record.
const (
	EventElected  EventKind = "elected"
	EventDefeated EventKind = "defeated"
	// EventSurplus is the transfer of an elected candidate's surplus.
	EventSurplus EventKind = "surplus-transfer"
	// EventExclusion is the transfer of a defeated candidate's ballots.
	EventExclusion EventKind = "exclusion-transfer"
	// EventTie records how a tie was broken before the event it decided.
	EventTie EventKind = "tie-broken"
)

// Reason says why an event happened, in a form a result page can turn into
// its own words; Event.Detail carries the same in plain English.
type Reason string

// Reasons for elections, defeats and tie-breaks.
const (
	ReasonQuota        Reason = "reached-quota"       // vote reached the quota
	ReasonMajority     Reason = "majority"            // more than half the continuing votes
	ReasonRemaining    Reason = "filled-last-seats"   // as many candidates left as seats
	ReasonMostVotes    Reason = "most-votes"          // plurality, approval, score order
	ReasonLowest       Reason = "lowest-vote"         // fewest votes of the continuing candidates
	ReasonSureLosers   Reason = "sure-losers"         // together fewer votes than the next candidate even with all surplus
	ReasonNoSeatsLeft  Reason = "no-seats-left"       // defeated because every seat was filled
	ReasonLargestSurp  Reason = "largest-surplus"     // surplus transferred first
	ReasonTieEarlier   Reason = "tie-earlier-round"   // tie broken by the most recent round in which they differed
	ReasonTieLot       Reason = "tie-lot"             // tie broken by lot (the election's tie order)
	ReasonCondorcet    Reason = "beats-in-paths"      // Schulze: stronger beatpaths
	ReasonConsensusMet Reason = "consensus-threshold" // consensus rules
	// ReasonReserved: excluded (even at the quota) because the seats left
	// are all reserved for categories the candidate is not in (Reserve).
	ReasonReserved Reason = "seats-reserved"
	// ReasonLowestUnreserved: fewest votes of the candidates the
	// minimum-representation rule allows to be excluded; a lower candidate
	// was kept because its category needs every one it has left.
	ReasonLowestUnreserved Reason = "lowest-excludable"
	// Meeting-time polls: chosen for the most yes marks; a tie on yes
	// broken by the most if-need-be marks, then by the order of options.
	ReasonMostYes      Reason = "most-yes"
	ReasonMostIfNeedBe Reason = "most-if-need-be"
	ReasonFirstListed  Reason = "first-listed"
)

// Event is one thing that happened in a round.
type Event struct {
	Kind      EventKind
	Candidate int    // the candidate concerned (-1 if none)
	Reason    Reason // why
	Detail    string // plain-English explanation
	// Tied lists the candidates a tie-break chose between.
	Tied []int
	// Transfer is set on surplus and exclusion events.
	Transfer *Transfer
}

// Transfer records the ballots passed on from one candidate.
type Transfer struct {
	From int
	// Amount is the surplus (for a surplus) or the votes the defeated
	// candidate held.
	Amount Decimal
	// Value is the transfer value applied: for a surplus, what a ballot
	// worth one vote to the elected candidate carries on; 1 for an
	// exclusion at full value.
	Value Decimal
	// To holds the votes each candidate received, indexed by candidate.
	To []Decimal
	// Exhausted is the value that had no further preference.
	Exhausted Decimal
	// Lost is what truncation to the rule's decimal places dropped.
	Lost Decimal
}

// Round is one stage of a count: the tallies after it, and what happened.
type Round struct {
	// Number counts the rounds from 1, as RCTab and every count sheet do:
	// round 1 is the count of first preferences (Droop's "Begin Count"),
	// so Droop's "Round k" is round k+1 here. Rounds[i].Number is i+1.
	Number int
	// Tallies holds each candidate's vote, indexed by candidate.
	Tallies []Decimal
	// Status holds each candidate's standing at the end of the round.
	Status []Status
	// Quota is the number of votes that elects in this round (zero for
	// methods without one).
	Quota Decimal
	// Exhausted is the total value of ballots with no continuing
	// preference ("non-transferable").
	Exhausted Decimal
	// Residual is the total lost to truncation so far (Meek: the value not
	// yet kept by any candidate).
	Residual Decimal
	// Surplus is the total surplus of elected candidates at this point.
	Surplus Decimal
	// KeepFactors holds each candidate's Meek keep factor (Meek only): the
	// share of the votes reaching it that it keeps.
	KeepFactors []Decimal
	// IfNeedBe holds each option's if-need-be marks (meeting-time polls
	// only, whose Tallies hold the yes marks).
	IfNeedBe []Decimal
	Events   []Event
}

// Result is the outcome of a count and the explanation of every round.
type Result struct {
	Method     Method
	Title      string
	Candidates []string
	Seats      int
	// Ballots is the number of valid ballots counted.
	Ballots int64
	// Arithmetic describes the arithmetic used, for the report header.
	Arithmetic string
	// Quota is the quota at the start of the count (zero if none).
	Quota Decimal
	// Elected lists the winners in order of election.
	Elected []int
	// Order, for ranking methods (Schulze, score, approval, plurality),
	// lists every candidate from best to worst; candidates in one inner
	// slice are tied.
	Order [][]int
	// Pairwise, for Schulze, holds Pairwise[i][j]: how many voters
	// prefer candidate i to candidate j.
	Pairwise [][]int64
	Rounds   []Round
	// Final holds each candidate's vote when the count completed.
	Final []Decimal
	// MinRepresentation lists the seats the count reserved for
	// categories (see Reserve); Categories then holds each candidate's
	// category ("" for none). Both are nil when no seats were reserved.
	MinRepresentation []Reserve
	Categories        []string
}

// ElectedNames returns the winners' names in order of election.
func (r *Result) ElectedNames() []string {
	out := make([]string, len(r.Elected))
	for i, c := range r.Elected {
		out[i] = r.Candidates[c]
	}
	return out
}

// ElectedIn returns how many of the winners are in category.
func (r *Result) ElectedIn(category string) int {
	n := 0
	for _, c := range r.Elected {
		if c < len(r.Categories) && r.Categories[c] == category {
			n++
		}
	}
	return n
}
