package tally

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Availability is a voter's mark on one proposed meeting time.
type Availability string

// The marks a voter may give a meeting time; an unmarked time ("") counts
// as Unavailable.
const (
	Available   Availability = "yes"
	IfNeedBe    Availability = "if-need-be"
	Unavailable Availability = "no"
)

// MeetingTimeBallot is one voter's marks, Marks[i] for option i, cast
// Count times.
type MeetingTimeBallot struct {
	Marks []Availability
	Count int64
}

// CountMeetingTime picks a meeting time: the option the most voters marked
// yes; a tie on yes goes to the option with the most if-need-be marks, and
// a tie on both to the option listed first. Round 1's Tallies hold each
// option's yes marks and its IfNeedBe the if-need-be marks; Result.Order
// ranks every option the same way, options equal on both marks together.
//
// Errors are *InputError for a ballot that does not mark every option or
// uses an unknown mark, and *CountError for ballots cast more than 2^63−1
// times in all (every mark total is then exact).
func CountMeetingTime(title string, options []string, ballots []MeetingTimeBallot) (*Result, error) {
	e := &Election{Title: title, Candidates: options, Seats: 1}
	if err := e.Validate(); err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	yes := make([]int64, len(options))
	inb := make([]int64, len(options))
	var n int64
	for i, b := range ballots {
		if len(b.Marks) != len(options) || b.Count < 1 {
			return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("meeting-time ballot %d must mark each of the %d options and count at least once", i+1, len(options))}
		}
		for c, m := range b.Marks {
			switch m {
			case Available:
				yes[c] += b.Count
			case IfNeedBe:
				inb[c] += b.Count
			case Unavailable, "":
			default:
				return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("meeting-time ballot %d marks %s %q; marks are yes, if-need-be or no", i+1, options[c], m)}
			}
		}
		if n > math.MaxInt64-b.Count {
			return nil, tooManyCast("meeting-time ballots", ballots, func(b MeetingTimeBallot) int64 { return b.Count })
		}
		n += b.Count
	}
	order := make([]int, len(options))
	for i := range order {
		order[i] = i
	}
	better := func(a, b int) int { // negative when a ranks above b
		if yes[a] != yes[b] {
			return cmp.Compare(yes[b], yes[a])
		}
		return cmp.Compare(inb[b], inb[a])
	}
	slices.SortStableFunc(order, better)

	c := newCount(e, Ballots{})
	c.newRound()
	win := order[0]
	var sameYes, same []int
	for _, x := range order {
		if yes[x] == yes[win] {
			sameYes = append(sameYes, x)
			if inb[x] == inb[win] {
				same = append(same, x)
			}
		}
	}
	switch {
	case len(same) > 1:
		c.event(Event{Kind: EventTie, Candidate: win, Reason: ReasonFirstListed, Tied: same,
			Detail: fmt.Sprintf("%s tie with %d yes and %d if-need-be marks each; %s is chosen because it is listed first", c.names(same), yes[win], inb[win], options[win])})
	case len(sameYes) > 1:
		c.event(Event{Kind: EventTie, Candidate: win, Reason: ReasonMostIfNeedBe, Tied: sameYes,
			Detail: fmt.Sprintf("%s have the most yes marks (%d each); %s is chosen because the most can come if need be (%d, against %d for the next)", c.names(sameYes), yes[win], options[win], inb[win], inb[sameYes[1]])})
	}
	c.status[win] = Elected
	c.elected = append(c.elected, win)
	c.event(Event{Kind: EventElected, Candidate: win, Reason: ReasonMostYes,
		Detail: fmt.Sprintf("%s is chosen: %d can come, %d more if need be, %d cannot", options[win], yes[win], inb[win], n-yes[win]-inb[win])})
	r := c.round()
	r.Tallies = make([]Decimal, len(options))
	r.IfNeedBe = make([]Decimal, len(options))
	for i := range options {
		r.Tallies[i] = intDecimal(yes[i])
		r.IfNeedBe[i] = intDecimal(inb[i])
		if i != win {
			c.status[i] = Defeated
		}
	}
	r.Status = slices.Clone(c.status)
	res := c.result(MeetingTime, "whole marks: yes first, then if-need-be", n, Decimal{})
	res.Final = r.Tallies
	for i, x := range order {
		if i > 0 && better(order[i-1], x) == 0 {
			res.Order[len(res.Order)-1] = append(res.Order[len(res.Order)-1], x)
		} else {
			res.Order = append(res.Order, []int{x})
		}
	}
	return res, nil
}
