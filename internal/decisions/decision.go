package decisions

import (
	"time"

	"github.com/momentum-movement/momentum/tally"
)

// Kind says what sort of decision it is and so what a ballot holds.
type Kind string

// The kinds of decision.
const (
	KindProposal    Kind = "proposal"     // consensus: agree, abstain, disagree, block
	KindPoll        Kind = "poll"         // one choice
	KindApproval    Kind = "approval"     // approve any number of options
	KindRanked      Kind = "ranked"       // rank options; one winner (IRV)
	KindElection    Kind = "election"     // rank candidates for seats (STV)
	KindScore       Kind = "score"        // give each option 0…MaxPoints
	KindDot         Kind = "dot"          // spread MaxPoints dots over options
	KindMeetingTime Kind = "meeting_time" // approve the times one can make
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{KindProposal, KindPoll, KindApproval, KindRanked, KindElection, KindScore, KindDot, KindMeetingTime}

// Status is where a decision is in its lifecycle.
type Status string

// The lifecycle: draft → discussion → (nominations →) voting → closed →
// published; withdrawn at any point before the close.
const (
	StatusDraft       Status = "draft"
	StatusDiscussion  Status = "discussion"
	StatusNominations Status = "nominations"
	StatusVoting      Status = "voting"
	StatusClosed      Status = "closed"
	StatusPublished   Status = "published"
	StatusWithdrawn   Status = "withdrawn"
)

// Scope says whose electorate a decision has.
type Scope string

// Electorate scopes.
const (
	ScopeGroup   Scope = "group"   // the decision's group's active members
	ScopeNetwork Scope = "network" // everyone in the network
)

// Share is a fraction such as 2/3. A proposal passes when the agree share
// (agree over agree+disagree) is at least Num/Den; an exact half never
// passes, so 1/2 means a simple majority.
type Share struct {
	Num, Den int
}

// Majority is the default required share: more than half.
var Majority = Share{1, 2}

// Electorate is the rule saying who may vote. The people it names are
// copied into decision_electorate when voting opens.
type Electorate struct {
	Scope Scope
	// MembersOnly admits only people whose membership status is "member"
	// (not supporters, not lapsed members).
	MembersOnly bool
	// MemberSince, when set, admits only members since at most then.
	MemberSince time.Time
}

// MinRepresentation asks that at least Seats of the seats go to candidates
// whose option Category is exactly Category, a plural noun the count's
// explanation uses in sentences ("women"). Scottish STV and Meek apply it
// (tally.Reserve).
type MinRepresentation struct {
	Category string
	Seats    int
}

// Option is one choice on a ballot, known by Position in ballot content.
type Option struct {
	ID          string
	Position    int
	Label       string
	Description string // a candidate's statement
	Category    string
	PersonID    string // a candidate's person record, or ""
}

// Decision is a proposal, poll, ballot or election.
type Decision struct {
	ID        string
	GroupID   string // "" for network-wide
	GroupName string // "" for network-wide
	Title     string
	Body      string // Markdown
	Kind      Kind
	Method    tally.Method
	Seats     int
	// MaxPoints is the highest score (score) or the dots per voter (dot).
	MaxPoints int
	Options   []Option
	// Secret ballots keep no link between voter and ballot; named (open)
	// votes show who voted what.
	Secret              bool
	Status              Status
	OpensAt, ClosesAt   time.Time // UTC, whole seconds; zero until set
	Electorate          Electorate
	QuorumPercent       int // of the electorate; 0 for none
	Required            Share
	MinRepresentation   MinRepresentation
	NominationThreshold int
	CreatedBy           string // user id
	Outcome             string
	ElectorateSize      int // set when voting opens
	Turnout             int // set at the close
	OpenedAt            time.Time
	ClosedAt            time.Time
	PublishedAt         time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
	// Topic is a short free-text subject the decision log filters by
	// ("housing"); "" for none.
	Topic string
	// PublicRecord: when its results were published, the organiser chose to
	// publish the record openly, so everyone (signed in or not) sees it in
	// the decision log, its feed and the open data.
	PublicRecord bool
	// GroupArchivedAt is when the decision's group was archived (zero
	// while it is not): the decision is then kept, read-only.
	GroupArchivedAt time.Time

	tieOrder []int
}

// Archived reports whether the decision's group is archived, so that the
// decision is read-only.
func (d *Decision) Archived() bool { return !d.GroupArchivedAt.IsZero() }

// Ranked reports whether ballots rank options (and so export as BLT).
func (d *Decision) Ranked() bool { return d.Kind == KindRanked || d.Kind == KindElection }

// Closed reports whether counting is done.
func (d *Decision) Closed() bool { return d.Status == StatusClosed || d.Status == StatusPublished }

// option returns the option at a position.
func (d *Decision) option(pos int) (Option, bool) {
	for _, o := range d.Options {
		if o.Position == pos {
			return o, true
		}
	}
	return Option{}, false
}

// OptionInput is an option as a form gives it.
type OptionInput struct {
	Label       string
	Description string
	Category    string
}

// Input is what Create and Update take.
type Input struct {
	GroupID   string // "" for network-wide (admins only)
	Title     string
	Body      string
	Kind      Kind
	Method    tally.Method // "" for the kind's default
	Seats     int          // 0 means 1
	MaxPoints int
	Options   []OptionInput
	// Named makes votes open (who voted what is shown); ballots are secret
	// by default.
	Named               bool
	OpensAt, ClosesAt   time.Time
	Electorate          Electorate
	QuorumPercent       int
	Required            Share // zero value: Majority
	MinRepresentation   MinRepresentation
	NominationThreshold int
	// Topic is optional, at most MaxTopicLen characters (the decision log).
	Topic string
}

// defaultMethod is how each kind is counted unless the input says otherwise.
func defaultMethod(k Kind) tally.Method {
	switch k {
	case KindProposal:
		return tally.Consensus
	case KindPoll:
		return tally.Plurality
	case KindApproval, KindMeetingTime:
		return tally.Approval
	case KindRanked:
		return tally.IRV
	case KindElection:
		return tally.ScottishSTV
	}
	return tally.Score
}

// methodsFor lists the methods a kind may be counted by.
func methodsFor(k Kind) []tally.Method {
	switch k {
	case KindRanked:
		return []tally.Method{tally.IRV, tally.Schulze}
	case KindElection:
		return []tally.Method{tally.ScottishSTV, tally.Meek, tally.WIGM}
	}
	return []tally.Method{defaultMethod(k)}
}

// needsOptions reports whether the kind's options must be given up front
// (an election's candidates may come from nominations).
func needsOptions(k Kind) bool { return k != KindProposal && k != KindElection }
