package decisions

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
	"github.com/momentum-movement/momentum/tally"
)

const (
	maxTitleLen  = 200
	maxBodyLen   = 50000
	maxLabelLen  = 200
	maxStatement = 5000
	maxOptions   = 200
)

// MaxTopicLen bounds a decision's topic (the log's filter and links).
const MaxTopicLen = 60

// normalise trims the input, fills defaults and truncates times to the
// second in UTC.
func (in *Input) normalise() {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(in.Body)
	in.Topic = strings.Join(strings.Fields(in.Topic), " ")
	if in.Method == "" {
		in.Method = defaultMethod(in.Kind)
	}
	if in.Seats == 0 {
		in.Seats = 1
	}
	if in.Required == (Share{}) {
		in.Required = Majority
	}
	if in.Electorate.Scope == "" {
		in.Electorate.Scope = ScopeGroup
		if in.GroupID == "" {
			in.Electorate.Scope = ScopeNetwork
		}
	}
	in.OpensAt = second(in.OpensAt)
	in.ClosesAt = second(in.ClosesAt)
	in.Electorate.MemberSince = second(in.Electorate.MemberSince)
	in.MinRepresentation.Category = strings.TrimSpace(in.MinRepresentation.Category)
	for i := range in.Options {
		in.Options[i].Label = strings.TrimSpace(in.Options[i].Label)
		in.Options[i].Description = strings.TrimSpace(in.Options[i].Description)
		in.Options[i].Category = strings.TrimSpace(in.Options[i].Category)
	}
}

// second returns t in UTC truncated to the second (zero stays zero).
func second(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// Bounds on the counts a decision's form takes: beyond any real ballot,
// and within the INTEGER columns PostgreSQL keeps them in (2^31 was a 500).
const (
	maxSeats     = 1000
	maxThreshold = 1_000_000
)

// validate checks the input and returns errs.Invalid naming each field at
// fault. Call normalise first.
func (in *Input) validate() error {
	p := map[string]string{}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > maxTitleLen {
		p["title"] = fmt.Sprintf("Give the decision a title (at most %d characters).", maxTitleLen)
	}
	if utf8.RuneCountInString(in.Topic) > MaxTopicLen {
		p["topic"] = fmt.Sprintf("Keep the topic short: at most %d characters.", MaxTopicLen)
	}
	if utf8.RuneCountInString(in.Body) > maxBodyLen {
		p["body"] = fmt.Sprintf("The text can be at most %d characters.", maxBodyLen)
	}
	if !slices.Contains(Kinds, in.Kind) {
		p["kind"] = "Choose what kind of decision this is."
	} else if !slices.Contains(methodsFor(in.Kind), in.Method) {
		p["method"] = fmt.Sprintf("A %s cannot be counted by %q.", kindName(in.Kind), in.Method)
	}
	if in.Seats < 1 || (in.Kind != KindElection && in.Kind != KindApproval && in.Seats != 1) {
		p["seats"] = "Only elections and approval ballots fill more than one seat; seats must be at least 1."
	} else if in.Seats > maxSeats {
		p["seats"] = fmt.Sprintf("A ballot fills at most %d seats.", maxSeats)
	}
	if (in.Kind == KindScore || in.Kind == KindDot) && (in.MaxPoints < 1 || in.MaxPoints > 100) {
		p["max_points"] = "Give the highest score or the number of dots each voter has (1 to 100)."
	}
	in.validateOptions(p)
	// Times out of the range both engines store and read back.
	timebound.Check(p, "opens_at", in.OpensAt)
	timebound.Check(p, "closes_at", in.ClosesAt)
	timebound.Check(p, "member_since", in.Electorate.MemberSince)
	if !in.OpensAt.IsZero() && !in.ClosesAt.IsZero() && !in.ClosesAt.After(in.OpensAt) && p["closes_at"] == "" {
		p["closes_at"] = "Voting must close after it opens."
	}
	if in.Electorate.Scope != ScopeGroup && in.Electorate.Scope != ScopeNetwork {
		p["scope"] = "Choose who may vote: the group's members or the whole network."
	} else if in.Electorate.Scope == ScopeGroup && in.GroupID == "" {
		p["scope"] = "A network-wide decision cannot be limited to a group's members."
	}
	if in.QuorumPercent < 0 || in.QuorumPercent > 100 {
		p["quorum_percent"] = "The quorum is a percentage of the electorate, from 0 (none) to 100."
	}
	if r := in.Required; r.Den < 1 || r.Den > 1000 || r.Num < 1 || r.Num > r.Den {
		p["required"] = "The required share must be a fraction such as 1/2 or 2/3."
	}
	if m := in.MinRepresentation; m.Seats != 0 || m.Category != "" {
		switch {
		case in.Kind != KindElection:
			p["min_rep_seats"] = "Minimum representation applies only to elections."
		case m.Category == "" || m.Seats < 1 || m.Seats > in.Seats:
			p["min_rep_seats"] = "Name the category and how many of the seats (at least 1, at most all) it must have."
		case in.Method != tally.ScottishSTV && in.Method != tally.Meek:
			p["min_rep_seats"] = "Minimum representation is applied by Scottish STV and Meek STV only."
		}
	}
	if in.NominationThreshold < 0 || (in.NominationThreshold > 0 && in.Kind != KindElection) {
		p["nomination_threshold"] = "Only elections have nominations; the threshold cannot be negative."
	} else if in.NominationThreshold > maxThreshold {
		p["nomination_threshold"] = fmt.Sprintf("Ask for at most %d supporters.", maxThreshold)
	}
	return errs.Fields(p)
}

func (in *Input) validateOptions(p map[string]string) {
	n := len(in.Options)
	switch {
	case in.Kind == KindProposal && n > 0:
		p["options"] = "A proposal has no options: members agree, abstain, disagree or block."
		return
	case needsOptions(in.Kind) && n < 2:
		p["options"] = "Give at least two options."
		return
	case n > maxOptions:
		p["options"] = fmt.Sprintf("Give at most %d options.", maxOptions)
		return
	}
	seen := map[string]bool{}
	for i, o := range in.Options {
		key := strings.ToLower(o.Label)
		switch {
		case o.Label == "" || utf8.RuneCountInString(o.Label) > maxLabelLen:
			p[fmt.Sprintf("options.%d", i)] = fmt.Sprintf("Give option %d a label (at most %d characters).", i+1, maxLabelLen)
		case seen[key]:
			p[fmt.Sprintf("options.%d", i)] = fmt.Sprintf("Option %d repeats %q.", i+1, o.Label)
		case utf8.RuneCountInString(o.Description) > maxStatement:
			p[fmt.Sprintf("options.%d", i)] = fmt.Sprintf("Option %d's description can be at most %d characters.", i+1, maxStatement)
		}
		seen[key] = true
	}
}

// kindName is the kind in words.
func kindName(k Kind) string {
	switch k {
	case KindMeetingTime:
		return "meeting-time poll"
	case KindDot:
		return "dot vote"
	case KindScore:
		return "score vote"
	case KindRanked:
		return "ranked-choice vote"
	case KindApproval:
		return "approval vote"
	}
	return string(k)
}
