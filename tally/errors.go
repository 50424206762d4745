package tally

import "fmt"

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
