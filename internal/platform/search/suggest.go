package search

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// fewHits is when a query's results are few enough to look for a better
// spelling.
const fewHits = 3

// suggestCap bounds the counts made while suggesting.
const suggestCap = 200

// didYouMean replaces each query word that finds little, within the
// asker's scope, by the vocabulary word nearest to it (edit distance ≤ 2,
// ≤ 1 for short words) that finds the most, and returns the new query
// text when it finds more than total; "" otherwise. Counts are made in the
// asker's scope, so a word that only appears where they cannot look is
// never suggested.
func didYouMean(ctx context.Context, q db.Querier, s Scope, query Query, ts []term, total int) (string, error) {
	changed := false
	out := make([]term, len(ts))
	for i, t := range ts {
		out[i] = term{words: append([]string(nil), t.words...), phrase: t.phrase}
		for j, w := range t.words {
			if utf8.RuneCountInString(w) < minTerm {
				continue
			}
			own, err := countOf(ctx, q, s, query, []term{{words: []string{w}}})
			if err != nil {
				return "", err
			}
			if own >= fewHits {
				continue
			}
			best, bestN := "", own
			cands, err := nearTerms(ctx, q, w)
			if err != nil {
				return "", err
			}
			for _, c := range cands {
				n, err := countOf(ctx, q, s, query, []term{{words: []string{c}}})
				if err != nil {
					return "", err
				}
				if n > bestN {
					best, bestN = c, n
				}
			}
			if best != "" {
				out[i].words[j] = best
				changed = true
			}
		}
	}
	if !changed {
		return "", nil
	}
	n, err := countOf(ctx, q, s, query, out)
	if err != nil || n <= total {
		return "", err
	}
	return text(out), nil
}

// countOf counts (up to suggestCap) the matches of ts the asker may see.
func countOf(ctx context.Context, q db.Querier, s Scope, query Query, ts []term) (int, error) {
	cs, err := match(ctx, q, s, query, ts, suggestCap)
	return len(cs), err
}

// maxNear bounds the vocabulary words tried for one misspelt word.
const maxNear = 8

// nearTerms returns vocabulary words within edit distance 2 of w (1 for
// words of up to 4 letters) that start with the same letter, nearest
// first.
func nearTerms(ctx context.Context, q db.Querier, w string) ([]string, error) {
	first, _ := utf8.DecodeRuneInString(w)
	n := utf8.RuneCountInString(w)
	maxD := 2
	if n <= 4 {
		maxD = 1
	}
	rows, err := q.Query(ctx, `SELECT term FROM search_terms
WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?`,
		string(first), string(first+1), n-maxD, n+maxD)
	if err != nil {
		return nil, fmt.Errorf("search suggest: %w", err)
	}
	defer rows.Close()
	var byD [3][]string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("search suggest: %w", err)
		}
		if t == w {
			continue
		}
		if d := distance(w, t, maxD); d <= maxD {
			byD[d] = append(byD[d], t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search suggest: %w", err)
	}
	var out []string
	for _, ts := range byD[1:] {
		out = append(out, ts...)
		if len(out) >= maxNear {
			return out[:maxNear], nil
		}
	}
	return out, nil
}

// distance is the optimal-string-alignment edit distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or
// max+1 once it is known to exceed max.
func distance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], max+1)
}
