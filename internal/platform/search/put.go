package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Bounds on what is stored, whatever a capability hands over: the index is
// for finding things, not a second copy of a 10 MB document.
const (
	maxTitle   = 500
	maxBody    = 100_000
	maxContext = 500
	maxURL     = 2000
	maxKey     = 200 // kind, id, group id
)

// The private-use characters the engines put around matched words in a
// snippet; clean removes them from stored text so a document cannot forge a
// mark, and snippet turns them into <mark> after escaping.
const (
	markOpen  = '\uE000'
	markClose = '\uE001'
)

// clean makes s valid UTF-8 without the mark characters or NULs, cut to n
// bytes at a rune boundary.
func clean(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsAny(s, "\uE000\uE001\x00") {
		s = strings.Map(func(r rune) rune {
			if r == markOpen || r == markClose || r == 0 {
				return ' '
			}
			return r
		}, s)
	}
	if len(s) > n {
		i := n
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return s
}

func put(ctx context.Context, tx *db.Tx, d Doc) error {
	if tx == nil {
		return fmt.Errorf("search put %s %s: no transaction", d.Kind, d.ID)
	}
	if d.Kind == "" || d.ID == "" {
		return fmt.Errorf("search put: kind and id are required (got %q, %q)", d.Kind, d.ID)
	}
	switch d.Visibility {
	case Public, Members:
	case Group:
		if d.GroupID == "" {
			return fmt.Errorf("search put %s %s: visibility group needs a group id", d.Kind, d.ID)
		}
	default:
		return fmt.Errorf("search put %s %s: unknown visibility %q", d.Kind, d.ID, d.Visibility)
	}
	at := d.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC().Truncate(time.Microsecond)
	title := clean(d.Title, maxTitle)
	body := clean(d.Body, maxBody)
	_, err := tx.Exec(ctx, `
INSERT INTO search_docs (kind, id, group_id, visibility, title, body, context, url, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (kind, id) DO UPDATE SET
    group_id = excluded.group_id, visibility = excluded.visibility, title = excluded.title,
    body = excluded.body, context = excluded.context, url = excluded.url, at = excluded.at`,
		clean(d.Kind, maxKey), clean(d.ID, maxKey), clean(d.GroupID, maxKey), string(d.Visibility),
		title, body, clean(d.Context, maxContext), clean(d.URL, maxURL), at)
	if err != nil {
		return fmt.Errorf("search put %s %s: %w", d.Kind, d.ID, err)
	}
	if err := addTerms(ctx, tx, words(title+" "+body)); err != nil {
		return fmt.Errorf("search put %s %s: %w", d.Kind, d.ID, err)
	}
	return nil
}

func del(ctx context.Context, tx *db.Tx, kind, id string) error {
	if tx == nil {
		return fmt.Errorf("search delete %s %s: no transaction", kind, id)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_docs WHERE kind = ? AND id = ?`, kind, id); err != nil {
		return fmt.Errorf("search delete %s %s: %w", kind, id, err)
	}
	return nil
}

// Vocabulary words: letters only, 3 to 24 of them, lower-cased.
const (
	minTerm = 3
	maxTerm = 24
)

// words returns the distinct vocabulary words of s, sorted (so concurrent
// writers on PostgreSQL take the terms' index locks in one order).
func words(s string) []string {
	seen := map[string]bool{}
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		start = -1
		n := utf8.RuneCountInString(w)
		if n < minTerm || n > maxTerm {
			return
		}
		seen[strings.ToLower(w)] = true
	}
	for i, r := range s {
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// addTerms records words in the vocabulary, in chunks.
func addTerms(ctx context.Context, q db.Querier, ws []string) error {
	const chunk = 200
	for len(ws) > 0 {
		n := min(chunk, len(ws))
		var b strings.Builder
		b.WriteString(`INSERT INTO search_terms (term) VALUES `)
		args := make([]any, n)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?)")
			args[i] = ws[i]
		}
		b.WriteString(` ON CONFLICT (term) DO NOTHING`)
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("add terms: %w", err)
		}
		ws = ws[n:]
	}
	return nil
}

// PutTerms adds words to the "did you mean" vocabulary (Put does it for
// each Doc's words; the benchmark loads its vocabulary at once).
func PutTerms(ctx context.Context, tx *db.Tx, ws []string) error {
	var keep []string
	for _, w := range ws {
		keep = append(keep, words(w)...)
	}
	slices.Sort(keep)
	return addTerms(ctx, tx, slices.Compact(keep))
}
