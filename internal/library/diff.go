package library

import (
	"context"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// The kinds of DiffLine.
const (
	Same    = "same"
	Added   = "added"
	Removed = "removed"
	// Skipped stands for a run of unchanged lines left out (Text says how
	// many).
	Skipped = "skipped"
)

// DiffLine is one line of a comparison.
type DiffLine struct {
	Op   string // Same, Added, Removed or Skipped
	Text string
	N    int // for Skipped: how many lines
}

// Comparison is two revisions of a document and the lines between them.
type Comparison struct {
	Document *Document
	From, To *Revision
	Lines    []DiffLine
	// TitleChanged and VisibilityChanged say what else changed.
	TitleChanged, VisibilityChanged bool
	Added, Removed                  int
}

// context is how many unchanged lines are kept around a change.
const diffContext = 3

// Diff compares two revisions of a document the viewer may read, line by
// line (from may be newer than to: the lines then read the other way).
//
// Errors: errs.NotFound (the document or either revision).
func (s *Service) Diff(ctx context.Context, id string, from, to int) (*Comparison, error) {
	d, err := s.readable(ctx, id)
	if err != nil {
		return nil, err
	}
	a, err := findRevision(ctx, s.db.Q(), id, from)
	if err != nil {
		return nil, err
	}
	b, err := findRevision(ctx, s.db.Q(), id, to)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Document: d, From: a, To: b, TitleChanged: a.Title != b.Title, VisibilityChanged: a.Visibility != b.Visibility}
	c.Lines = diffLines(a.Body, b.Body)
	for _, l := range c.Lines {
		switch l.Op {
		case Added:
			c.Added++
		case Removed:
			c.Removed++
		}
	}
	c.Lines = trimContext(c.Lines, diffContext)
	return c, nil
}

// diffLines is a line-based diff of a and b (diff-match-patch, with each
// line as one symbol).
func diffLines(a, b string) []DiffLine {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(withNewline(a), withNewline(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var out []DiffLine
	for _, d := range diffs {
		op := Same
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Added
		case diffmatchpatch.DiffDelete:
			op = Removed
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l == "" {
				continue
			}
			out = append(out, DiffLine{Op: op, Text: strings.TrimSuffix(l, "\n")})
		}
	}
	return out
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// trimContext keeps n unchanged lines either side of each change and
// replaces longer unchanged runs with one Skipped line.
func trimContext(ls []DiffLine, n int) []DiffLine {
	keep := make([]bool, len(ls))
	for i, l := range ls {
		if l.Op == Same {
			continue
		}
		for j := max(0, i-n); j <= min(len(ls)-1, i+n); j++ {
			keep[j] = true
		}
	}
	var out []DiffLine
	for i := 0; i < len(ls); {
		if keep[i] {
			out = append(out, ls[i])
			i++
			continue
		}
		j := i
		for j < len(ls) && !keep[j] {
			j++
		}
		out = append(out, DiffLine{Op: Skipped, N: j - i})
		i = j
	}
	return out
}
