package roundchart

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/momentum-movement/momentum/tally"
)

// ellipsis ends a name cut to fit its row.
const ellipsis = "…"

// percent writes a/b as a percentage with one decimal place at most,
// truncated, computed in integers so that no float decides a label. It
// truncates where pages round (web.Percent) because a share here stands
// beside the threshold it must reach: 66.65% must not read as 66.7%
// against a required 66.6%. Of nobody it is "—", as on pages (issue 16).
func percent(a, b int64) string {
	if b <= 0 {
		return "—"
	}
	return tenths(a * 1000 / b)
}

// fixedPercent writes a share held as a tally.Fixed (0.75) as "75%".
func fixedPercent(f tally.Fixed) string {
	scale := int64(1)
	for range f.Places() {
		scale *= 10
	}
	return tenths(f.Units() * 1000 / scale)
}

func tenths(t int64) string {
	s := strconv.FormatInt(t/10, 10)
	if t%10 != 0 {
		s += "." + strconv.FormatInt(t%10, 10)
	}
	return s + "%"
}

// num writes a coordinate compactly and deterministically: two places at
// most, no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// runeWidth estimates a rune's advance in ems in a sans-serif system font.
// SVG text cannot wrap or clip itself, so the chart measures its labels to
// decide where to cut a long name; the estimate errs wide so that a cut
// name never runs into the text beside it.
func runeWidth(r rune) float64 {
	switch {
	case unicode.Is(unicode.Mn, r):
		return 0
	case strings.ContainsRune("ijlI.,:;'|!", r):
		return 0.3
	case strings.ContainsRune("frt ()[]-", r):
		return 0.4
	case strings.ContainsRune("mwMW@", r):
		return 0.95
	case r == '✓' || r == '…':
		return 0.8
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return 1.0
	case unicode.IsUpper(r):
		return 0.75
	case r < 0x80:
		return 0.62
	}
	return 0.7
}

// textWidth estimates how wide s is drawn at size user units; bold type
// is up to a seventh wider (DejaVu Sans, Linux's usual fallback, is the
// widest of the fonts the stack may fall back to).
func textWidth(s string, size float64, bold bool) float64 {
	var em float64
	for _, r := range s {
		em += runeWidth(r)
	}
	if bold {
		em *= 1.15
	}
	return em * size
}

// fit returns s unchanged if it fits in width, or cut at a rune boundary
// (never before a combining mark) and ended with an ellipsis so that it
// does.
func fit(s string, width, size float64, bold bool) string {
	if textWidth(s, size, bold) <= width {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		if unicode.Is(unicode.Mn, rs[n]) {
			continue // keep a mark with the letter before it
		}
		cut := strings.TrimRightFunc(string(rs[:n]), unicode.IsSpace) + ellipsis
		if textWidth(cut, size, bold) <= width {
			return cut
		}
	}
	return ellipsis
}

// list joins items as English prose: "A", "A and B", "A, B and C"; items
// that hold an "and" of their own are parted by semicolons instead.
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	sep, and := ", ", " and "
	for _, it := range items {
		if strings.Contains(it, " and ") {
			sep, and = "; ", "; and "
		}
	}
	return strings.Join(items[:len(items)-1], sep) + and + items[len(items)-1]
}

// plural returns "1 seat" or "2 seats".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
