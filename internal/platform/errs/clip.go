package errs

import "unicode/utf8"

// EchoMax is how many characters of a value from a user's file or form a
// message or page quotes: enough to recognise it, never the megabyte a
// file can hold in one cell.
const EchoMax = 60

// Clip shortens s to at most n characters (runes), marking a cut with an
// ellipsis, so that quoting a cell, a header or a field in a message or a
// page stays small whatever the input. Every such quote goes through it.
func Clip(s string, n int) string {
	if len(s) <= n { // bytes ≥ runes: short enough
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	if i >= len(s) {
		return s
	}
	// Leave room for the ellipsis within n.
	_, last := utf8.DecodeLastRuneInString(s[:i])
	return s[:i-last] + "…"
}
