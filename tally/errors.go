package tally

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// InputError reports malformed ballot input: which file, which line and
// what is wrong with it, in words a returning officer can act on.
type InputError struct {
	File string // file name as given to the reader; may be empty
	Line int    // 1-based line number; 0 when the problem is the whole file
	Msg  string
}

// Error formats the problem as "file:line: what is wrong".
func (e *InputError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

// CountError reports an election that the chosen method cannot count, such
// as equal rankings under STV or more seats than a method fills.
type CountError struct {
	Msg string
}

// Error formats the problem as "cannot count: why".
func (e *CountError) Error() string { return "cannot count: " + e.Msg }

// The most ballots a method with fixed precision counts (see the table in
// doc.go). Every other method counts exactly up to math.MaxInt64 ballots,
// the limit Validate enforces for all.
const (
	// maxScottishBallots keeps every Scottish tally, in units of 10^-5
	// votes, within an int64: ⌊(2^63−1) ÷ 10^5⌋.
	maxScottishBallots = math.MaxInt64 / 100_000
	// maxMeekBallots keeps Meek's tallies, in guarded units of 10^-27
	// votes, within 128 bits (2^128 ÷ 10^27 ≈ 3.4×10^11), with room.
	maxMeekBallots = 100_000_000_000
)

// tooMany returns the refusal of an election of n ballots by a method
// that counts at most limit with the arithmetic described by how.
func tooMany(method string, limit, n int64, how string) *CountError {
	return &CountError{Msg: fmt.Sprintf("%s counts at most %s ballots %s; this election has %s",
		method, limitText(limit), how, limitText(n))}
}

// limitText shows a large count in full and, so that its size reads at a
// glance, in scientific notation: "92233720368547 (9.2e13)".
func limitText(n int64) string {
	if n < 1_000_000 {
		return strconv.FormatInt(n, 10)
	}
	s := strconv.FormatFloat(float64(n), 'e', 1, 64)
	s = strings.Replace(strings.Replace(s, "e+", "e", 1), ".0e", "e", 1)
	return fmt.Sprintf("%d (%s)", n, s)
}
