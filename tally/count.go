package tally

import "fmt"

// Methods lists the methods Count accepts, in the order help text shows
// them.
var Methods = []Method{IRV, ScottishSTV, Meek, WIGM, Approval, Schulze, Score, Plurality,
	MeekPRF, Warren} // Droop's reference variants of Meek, for recounts and checks

// Count counts e by the named method. Schulze uses winning votes; call
// CountSchulze for another strength. Errors are *CountError when the
// method cannot count this election.
func Count(e *Election, m Method) (*Result, error) {
	switch m {
	case IRV:
		return CountIRV(e)
	case ScottishSTV:
		return CountScottishSTV(e)
	case Meek:
		return CountMeek(e)
	case WIGM:
		return CountWIGM(e)
	case Approval:
		return CountApproval(e)
	case Schulze:
		return CountSchulze(e, WinningVotes)
	case Score:
		return CountScore(e)
	case Plurality:
		return CountPlurality(e)
	case MeekPRF: // Droop's reference variants of Meek
		return CountMeekPRF(e)
	case Warren:
		return CountWarren(e)
	case Dots, MeetingTime, Consensus:
		// Their ballots are not rankings: CountDots, CountMeetingTime and
		// DecideProposal take their own.
		return nil, &CountError{Msg: fmt.Sprintf("%s ballots are not rankings; count them with their own function", m)}
	}
	return nil, &CountError{Msg: fmt.Sprintf("unknown method %q", m)}
}
