package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The passage a snippet shows, in words.
const snippetWords = 32

// snippetOf is the best passage of body for the query's words, HTML-
// escaped, with the words that match wrapped in <mark>: the window of
// snippetWords words holding the most distinct query words (then the most
// matches), the start of body when none matches. A body word matches a
// query word when their light stems agree (porter stemming on the engine
// finds more; this is only for showing), ignoring case and accents.
func snippetOf(body string, words []string) string { return passage(body, words, snippetWords) }

// marked is the whole of text, HTML-escaped, with its words that match the
// query's in <mark> (a title).
func marked(text string, words []string) string {
	if s := passage(text, words, 1<<30); s != "" {
		return s
	}
	return html.EscapeString(text)
}

// passage is snippetOf for a window of size words.
func passage(body string, words []string, size int) string {
	type tok struct {
		start, end int
		hit        int // index+1 of the query word it matches; 0 none
	}
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = lightStem(fold(w))
	}
	var toks []tok
	start := -1
	end := func(i int) {
		if start < 0 {
			return
		}
		t := tok{start: start, end: i}
		s := lightStem(fold(body[start:i]))
		for j, st := range stems {
			if st != "" && s == st {
				t.hit = j + 1
				break
			}
		}
		toks = append(toks, t)
		start = -1
	}
	for i, r := range body {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		end(i)
		if len(toks) > 20_000 {
			break
		}
	}
	if start >= 0 {
		end(len(body))
	}
	if len(toks) == 0 {
		return ""
	}
	// Slide a window over the tokens: score = distinct words*1000 + hits.
	bestAt, bestScore := 0, -1
	counts := make([]int, len(words)+1)
	distinct, hits := 0, 0
	add := func(t tok, d int) {
		if t.hit == 0 {
			return
		}
		if d > 0 && counts[t.hit] == 0 {
			distinct++
		}
		counts[t.hit] += d
		if d < 0 && counts[t.hit] == 0 {
			distinct--
		}
		hits += d
	}
	n := min(size, len(toks))
	for i := range n {
		add(toks[i], 1)
	}
	for i := 0; i+n <= len(toks); i++ {
		if i > 0 {
			add(toks[i-1], -1)
			add(toks[i+n-1], 1)
		}
		if s := distinct*1000 + hits; s > bestScore {
			bestAt, bestScore = i, s
		}
	}
	// Start the window a couple of words before its first match, for context.
	for k := bestAt; k < bestAt+n; k++ {
		if toks[k].hit != 0 {
			bestAt = max(0, min(k-3, len(toks)-n))
			break
		}
	}
	win := toks[bestAt : bestAt+n]
	var b strings.Builder
	from := win[0].start
	if bestAt > 0 {
		b.WriteString("… ")
	} else {
		from = 0
	}
	pos := from
	for _, t := range win {
		b.WriteString(html.EscapeString(body[pos:t.start]))
		if t.hit != 0 {
			b.WriteString("<mark>" + html.EscapeString(body[t.start:t.end]) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(body[t.start:t.end]))
		}
		pos = t.end
	}
	last := win[len(win)-1].end
	if bestAt+n < len(toks) {
		b.WriteString(" …")
	} else {
		b.WriteString(html.EscapeString(body[last:]))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// fold lower-cases and strips accents, as unicode61 remove_diacritics does.
func fold(s string) string {
	s = strings.ToLower(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	d := norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}

// lightStem strips the commonest English endings, enough to mark
// "houses" and "housing" for "house".
func lightStem(w string) string {
	for _, suf := range []string{"ational", "ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ers", "er", "ly", "s", "e", "y"} {
		if strings.HasSuffix(w, suf) && utf8.RuneCountInString(w)-len(suf) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}
