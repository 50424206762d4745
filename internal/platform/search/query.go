package search

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Bounds on a query, applied where it enters: longer text is cut, extra
// words are dropped, so no input makes a slow or failing query.
const (
	// MaxQueryChars is how much of the search box is read.
	MaxQueryChars = 200
	// MaxQueryWords is how many words a query keeps.
	MaxQueryWords = 12
	// maxWordChars drops words longer than any real one.
	maxWordChars = 40
	// maxGroupIDs bounds a Scope's groups (placeholders in the query).
	maxGroupIDs = 2000
)

// Candidates is how many matches, newest first, a query ranks: the cap
// that keeps a common word over a million documents fast. Total counts up
// to it (Capped says when it stopped). See docs/PERFORMANCE.md.
const Candidates = 200

// term is one word, or a quoted phrase, of a query.
type term struct {
	words  []string
	phrase bool
}

// parse splits user text into terms: runs of letters and digits, lower-
// cased; double quotes group words into a phrase. Everything else
// (operators, colons, stars, brackets) is a separator, so nothing the user
// types reaches the engine as syntax.
func parse(text string) []term {
	text = strings.ToValidUTF8(text, " ")
	if utf8.RuneCountInString(text) > MaxQueryChars {
		text = string([]rune(text)[:MaxQueryChars])
	}
	var terms []term
	var cur []string // words of an open phrase
	inPhrase := false
	n := 0
	add := func(w string) {
		if n >= MaxQueryWords || utf8.RuneCountInString(w) > maxWordChars {
			return
		}
		n++
		w = strings.ToLower(w)
		if inPhrase {
			cur = append(cur, w)
		} else {
			terms = append(terms, term{words: []string{w}})
		}
	}
	closePhrase := func() {
		switch len(cur) {
		case 0:
		case 1:
			terms = append(terms, term{words: cur})
		default:
			terms = append(terms, term{words: cur, phrase: true})
		}
		cur = nil
	}
	start := -1
	for i, r := range text + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			add(text[start:i])
			start = -1
		}
		if r == '"' {
			if inPhrase {
				closePhrase()
			}
			inPhrase = !inPhrase
		}
	}
	closePhrase()
	return terms
}

// terms' words, in order.
func allWords(ts []term) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.words...)
	}
	return out
}

// text writes terms back as a query the box would show.
func text(ts []term) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = strings.Join(t.words, " ")
		if t.phrase {
			parts[i] = `"` + parts[i] + `"`
		}
	}
	return strings.Join(parts, " ")
}

// ftsMatch is the FTS5 query for terms: each term a quoted string (a
// phrase when it has several words), all required. Words hold only
// letters and digits, so the quotes cannot be broken out of.
func ftsMatch(ts []term) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = `"` + strings.Join(t.words, " ") + `"`
	}
	return strings.Join(parts, " ")
}

// pgQuery is the tsquery expression for terms: each term through
// plainto_tsquery or phraseto_tsquery (never to_tsquery, which would read
// the text as syntax), all joined with &&. The words are written into the
// SQL as literals, not parameters: PostgreSQL then plans each query
// knowing its words (a common word is read newest first, a rare one from
// the GIN index), where a prepared statement's generic plan, chosen
// without them, scanned the whole table for a rare word. Words hold only
// letters and digits; quotes are doubled all the same.
func pgQuery(ts []term) (string, []any) {
	parts := make([]string, len(ts))
	for i, t := range ts {
		fn := "plainto_tsquery"
		if t.phrase {
			fn = "phraseto_tsquery"
		}
		lit := strings.ReplaceAll(strings.Join(t.words, " "), "'", "''")
		parts[i] = fn + "('english', '" + lit + "')"
	}
	return "(" + strings.Join(parts, " && ") + ")", nil
}

// pgMatch finds the newest limit matches on PostgreSQL, then ranks them.
// Rows here are wide (body and vector), so reading many is what costs:
// walking newest first tests every row's vector until enough match, and
// reading every match from the GIN index visits a heap page for each. So
// the matches are looked for in windows of the newest rows (a range of n
// beside the GIN index): the first window is sized from the planner's
// estimate of how many rows match, so it holds about limit of them, and
// each next, older window is four times wider, until limit are found or
// the table ends. A rare word's first window is the whole table; a common
// word's a few thousand rows.
func pgMatch(ctx context.Context, q db.Querier, ts []term, w string, wargs []any, limit int) ([]candidate, error) {
	tsq, _ := pgQuery(ts)
	var plan string
	err := q.QueryRow(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM search_docs d WHERE d.tsv @@ `+tsq+` AND `+w, wargs...).Scan(&plan)
	if err != nil {
		return nil, fmt.Errorf("search estimate: %w", err)
	}
	var p []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	est := 1.0
	if json.Unmarshal([]byte(plan), &p) == nil && len(p) > 0 && p[0].Plan.Rows > 0 {
		est = p[0].Plan.Rows
	}
	var top int64
	var rows float64
	if err := q.QueryRow(ctx, `SELECT (SELECT COALESCE(max(n), 0) FROM search_docs),
(SELECT GREATEST(reltuples, 1)::float8 FROM pg_class WHERE oid = 'search_docs'::regclass)`).Scan(&top, &rows); err != nil {
		return nil, fmt.Errorf("search estimate: %w", err)
	}
	// Rows per match, and a first window holding about 1.5×limit matches.
	window := int64(float64(limit) * 1.5 * rows / est)
	window = max(window, int64(limit))
	var ns []any
	hi := top
	for hi > 0 && len(ns) < limit {
		lo := max(hi-window, 0)
		cond, args := "", append([]any{}, wargs...)
		if lo > 0 || hi < top {
			cond = " AND d.n > ? AND d.n <= ?"
			args = append(args, lo, hi)
		}
		args = append(args, limit-len(ns))
		rs, err := q.Query(ctx, `SELECT d.n FROM search_docs d WHERE d.tsv @@ `+tsq+` AND `+w+cond+`
ORDER BY d.n DESC LIMIT ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for rs.Next() {
			var n int64
			if err := rs.Scan(&n); err != nil {
				rs.Close()
				return nil, fmt.Errorf("search: %w", err)
			}
			ns = append(ns, n)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hi, window = lo, window*4
	}
	if len(ns) == 0 {
		return nil, nil
	}
	rs, err := q.Query(ctx, `SELECT d.n, ts_rank_cd(d.tsv, `+tsq+`, 1) FROM search_docs d WHERE d.n IN (`+marks(len(ns))+`)`, ns...)
	if err != nil {
		return nil, fmt.Errorf("search rank: %w", err)
	}
	defer rs.Close()
	out := make([]candidate, 0, len(ns))
	for rs.Next() {
		var c candidate
		if err := rs.Scan(&c.n, &c.rank); err != nil {
			return nil, fmt.Errorf("search rank: %w", err)
		}
		out = append(out, c)
	}
	return out, rs.Err()
}

// where is the permission and filter part of a query over search_docs d.
func where(s Scope, groupID string, kinds []string, from, to time.Time) (string, []any) {
	var conds []string
	var args []any
	if !s.All {
		perm := []string{"d.visibility = 'public'"}
		if s.Members {
			perm = append(perm, "d.visibility = 'members'")
		}
		if gs := s.GroupIDs; len(gs) > 0 {
			if len(gs) > maxGroupIDs {
				gs = gs[:maxGroupIDs]
			}
			perm = append(perm, "(d.visibility IN ('members', 'group') AND d.group_id IN ("+marks(len(gs))+"))")
			for _, g := range gs {
				args = append(args, g)
			}
		}
		conds = append(conds, "("+strings.Join(perm, " OR ")+")")
	}
	if groupID != "" {
		conds = append(conds, "d.group_id = ?")
		args = append(args, groupID)
	}
	if len(kinds) > 0 {
		conds = append(conds, "d.kind IN ("+marks(len(kinds))+")")
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if !from.IsZero() {
		conds = append(conds, "d.at >= ?")
		args = append(args, from.UTC())
	}
	if !to.IsZero() {
		conds = append(conds, "d.at < ?")
		args = append(args, to.UTC())
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// candidate is a match's row number and rank (higher is better).
type candidate struct {
	n    int64
	rank float64
}

// match returns up to limit matches of terms the asker may see, newest
// (by row number) first, with their rank.
func match(ctx context.Context, q db.Querier, s Scope, query Query, ts []term, limit int) ([]candidate, error) {
	w, wargs := where(s, query.GroupID, query.Kinds, query.From, query.To)
	var sqlText string
	var args []any
	switch q.Dialect() {
	case db.Postgres:
		return pgMatch(ctx, q, ts, w, wargs, limit)
	default:
		// bm25 is lower-is-better; weights: title 10, body 4, context 1.
		sqlText = `SELECT search_fts.rowid, -bm25(search_fts, 10.0, 4.0, 1.0)
FROM search_fts JOIN search_docs d INDEXED BY search_docs_scope ON d.n = search_fts.rowid
WHERE search_fts MATCH ? AND ` + w + `
ORDER BY search_fts.rowid DESC LIMIT ?`
		args = append(append([]any{ftsMatch(ts)}, wargs...), limit)
	}
	rows, err := q.Query(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.n, &c.rank); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

func search(ctx context.Context, q db.Querier, s Scope, query Query) (*Results, error) {
	limit := query.Limit
	switch {
	case limit == 0:
		limit = 20
	case limit < 0 || limit > 100:
		return nil, errs.Fields(map[string]string{"limit": "Show between 1 and 100 results a page."})
	}
	if query.Offset < 0 {
		return nil, errs.Fields(map[string]string{"page": "The page must be 1 or more."})
	}
	if !query.From.IsZero() && !query.To.IsZero() && query.To.Before(query.From) {
		return nil, errs.Fields(map[string]string{"to": "The end date must be on or after the start date."})
	}
	ts := parse(query.Text)
	res := &Results{}
	if len(ts) == 0 {
		return res, nil
	}
	cands, err := match(ctx, q, s, query, ts, Candidates)
	if err != nil {
		return nil, err
	}
	res.Total = len(cands)
	res.Capped = len(cands) >= Candidates
	if res.Total < fewHits {
		res.DidYouMean, err = didYouMean(ctx, q, s, query, ts, res.Total)
		if err != nil {
			return nil, err
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].rank != cands[j].rank {
			return cands[i].rank > cands[j].rank
		}
		return cands[i].n > cands[j].n
	})
	if query.Offset >= len(cands) {
		return res, nil
	}
	page := cands[query.Offset:min(len(cands), query.Offset+limit)]
	res.Hits, err = hits(ctx, q, ts, page)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// hits reads the page's Docs and their snippets.
func hits(ctx context.Context, q db.Querier, ts []term, page []candidate) ([]Hit, error) {
	ns := make([]any, len(page))
	for i, c := range page {
		ns[i] = c.n
	}
	byN := map[int64]*Hit{}
	rows, err := q.Query(ctx, `SELECT n, kind, id, group_id, visibility, title, body, context, url, at
FROM search_docs WHERE n IN (`+marks(len(ns))+`)`, ns...)
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		var h Hit
		var vis string
		if err := rows.Scan(&n, &h.Kind, &h.ID, &h.GroupID, &vis, &h.Title, &h.Body, &h.Context, &h.URL, &h.At); err != nil {
			return nil, fmt.Errorf("search hits: %w", err)
		}
		h.Visibility = Visibility(vis)
		byN[n] = &h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	rows.Close()
	if err := snippets(ctx, q, ts, byN); err != nil {
		return nil, err
	}
	out := make([]Hit, 0, len(page))
	for _, c := range page {
		h, ok := byN[c.n]
		if !ok {
			continue // deleted since
		}
		h.Rank = c.rank
		h.TitleHTML = marked(h.Title, allWords(ts))
		h.Body = "" // the snippet is what is shown; don't carry 100 kB a hit
		out = append(out, *h)
	}
	return out, nil
}

// snippets fills each hit's Snippet with the engine's best passage, marked.
func snippets(ctx context.Context, q db.Querier, ts []term, byN map[int64]*Hit) error {
	switch q.Dialect() {
	case db.Postgres:
		tsq, qargs := pgQuery(ts)
		ns := make([]any, 0, len(byN))
		for n := range byN {
			ns = append(ns, n)
		}
		if len(ns) == 0 {
			return nil
		}
		opts := "StartSel=\"\uE000\", StopSel=\"\uE001\", MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \""
		args := append(append([]any{}, qargs...), opts)
		args = append(args, ns...)
		rows, err := q.Query(ctx, `SELECT n, ts_headline('english', body, `+tsq+`, ?) FROM search_docs WHERE n IN (`+marks(len(ns))+`)`, args...)
		if err != nil {
			return fmt.Errorf("search snippets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			var s string
			if err := rows.Scan(&n, &s); err != nil {
				return fmt.Errorf("search snippets: %w", err)
			}
			if h := byN[n]; h != nil {
				h.Snippet = markup(s)
			}
		}
		return rows.Err()
	default:
		// FTS5's snippet() opens every segment of the index again for each
		// hit; marking the words in Go is cheaper (and escapes as it goes).
		ws := allWords(ts)
		for _, h := range byN {
			h.Snippet = snippetOf(h.Body, ws)
		}
		return nil
	}
}

// markup HTML-escapes an engine's snippet and turns its mark characters
// into <mark> elements, balanced: the only HTML in the result.
func markup(s string) string {
	s = html.EscapeString(s)
	var b strings.Builder
	open := false
	for _, r := range s {
		switch r {
		case markOpen:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case markClose:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return strings.TrimSpace(b.String())
}

func recent(ctx context.Context, q db.Querier, s Scope, groupID string, kinds []string, limit int) ([]Doc, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	w, args := where(s, groupID, kinds, time.Time{}, time.Time{})
	rows, err := q.Query(ctx, `SELECT d.kind, d.id, d.group_id, d.visibility, d.title, d.body, d.context, d.url, d.at
FROM search_docs d WHERE `+w+` ORDER BY d.at DESC, d.n DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search recent: %w", err)
	}
	defer rows.Close()
	var out []Doc
	for rows.Next() {
		var d Doc
		var vis string
		if err := rows.Scan(&d.Kind, &d.ID, &d.GroupID, &vis, &d.Title, &d.Body, &d.Context, &d.URL, &d.At); err != nil {
			return nil, fmt.Errorf("search recent: %w", err)
		}
		d.Visibility = Visibility(vis)
		out = append(out, d)
	}
	return out, rows.Err()
}
