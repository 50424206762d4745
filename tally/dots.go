package tally

import "fmt"

// DotBallot is one voter's dots: Dots[i] placed on option i (several may
// go on one option), cast Count times.
type DotBallot struct {
	Dots  []int
	Count int64
}

// CountDots counts a dot vote: each voter places up to maxDots dots over
// the options, as many on one option as they like. Options are ordered by
// their total dots (Result.Order, ties together) and the first winners are
// chosen, a tie for the last place going to the option listed first.
// Its one round (round 1, Rounds[0]) holds each option's total.
//
// Errors are *InputError for a ballot that does not give a count for every
// option, places a negative number, or places more than maxDots dots.
func CountDots(title string, options []string, winners, maxDots int, ballots []DotBallot) (*Result, error) {
	e := &Election{Title: title, Candidates: options, Seats: winners}
	if err := e.Validate(); err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	if maxDots < 1 {
		return nil, &InputError{Msg: fmt.Sprintf("each voter needs at least one dot to place, not %d", maxDots)}
	}
	tot := make([]int64, len(options))
	var n int64
	for i, b := range ballots {
		if len(b.Dots) != len(options) || b.Count < 1 {
			return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d must give a number of dots for each of the %d options and count at least once", i+1, len(options))}
		}
		sum := 0
		for c, d := range b.Dots {
			if d < 0 {
				return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d places %d dots on %s; dots cannot be negative", i+1, d, options[c])}
			}
			sum += d
		}
		if sum > maxDots {
			return nil, &InputError{Line: i + 1, Msg: fmt.Sprintf("dot ballot %d places %d dots; each voter has %d", i+1, sum, maxDots)}
		}
		for c, d := range b.Dots {
			tot[c] += int64(d) * b.Count
		}
		n += b.Count
	}
	res := totalsResult(e, Dots, "dots", tot, n)
	res.Arithmetic = fmt.Sprintf("whole dots, up to %d per voter", maxDots)
	// Options are chosen, not elected, and a tie goes to the option listed
	// first (no tie order is given), so say so in those words.
	c := &count{e: e}
	for i, ev := range res.Rounds[0].Events {
		switch ev.Kind {
		case EventTie:
			ev.Reason = ReasonFirstListed
			ev.Detail = fmt.Sprintf("%s are tied with %d dots; the options listed first are chosen", c.names(ev.Tied), tot[ev.Tied[0]])
		case EventElected:
			ev.Detail = fmt.Sprintf("%s is chosen with %d dots", options[ev.Candidate], tot[ev.Candidate])
		}
		res.Rounds[0].Events[i] = ev
	}
	return res, nil
}
