package tally

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadBLT(t *testing.T) {
	t.Parallel()
	e := mustReadBLT(t, "testdata/small.blt")
	if e.Title != "Seed ballot file for the BLT reader tests" || e.Seats != 2 {
		t.Errorf("title %q seats %d", e.Title, e.Seats)
	}
	if want := []string{"Ann Lee", "Bob Roy", "Cat Oda", "Dan Withdrew"}; !slices.Equal(e.Candidates, want) {
		t.Errorf("candidates %q, want %q", e.Candidates, want)
	}
	if !slices.Equal(e.Withdrawn, []bool{false, false, false, true}) {
		t.Errorf("withdrawn %v", e.Withdrawn)
	}
	if !slices.Equal(e.TieOrder, []int{1, 0, 2, 3}) {
		t.Errorf("tie order %v", e.TieOrder)
	}
	if e.Ballots.Len() != 5 || e.Ballots.Total() != 9 {
		t.Errorf("%d groups, %d ballots; want 5 and 9", e.Ballots.Len(), e.Ballots.Total())
	}
	if got := e.Ballots.Ranks(4); !slices.EqualFunc(got, [][]int{{0, 1}}, slices.Equal) {
		t.Errorf("equal ranking read as %v", got)
	}
}

func TestReadBLTByteOrderMark(t *testing.T) {
	t.Parallel()
	dir := needRefdata(t, "droop/test/blt")
	plain := mustReadBLT(t, filepath.Join(dir, "42u.blt"))
	bom := mustReadBLT(t, filepath.Join(dir, "42ubom.blt"))
	if !slices.Equal(plain.Candidates, bom.Candidates) || plain.Title != bom.Title {
		t.Errorf("BOM file read as %q %q; without BOM %q %q", bom.Candidates, bom.Title, plain.Candidates, plain.Title)
	}
}

func TestReadBLTErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"Empty", "", 0, "empty file"},
		{"BadHeader", "three 2\n", 1, "first line must be two numbers"},
		{"TooManySeats", "2 3\n0\n\"a\"\n\"b\"\n", 1, "seats must be between"},
		{"CandidateOutOfRange", "2 1\n1 3 0\n0\n\"a\"\n\"b\"\n", 2, "preference 3 is not a candidate"},
		{"CandidateOutOfRangeLater", "2 1\n1 1 3 0\n0\n\"a\"\n\"b\"\n", 2, "preference 3 is not a candidate"},
		{"NoTerminator", "2 1\n1 1 2\n0\n\"a\"\n\"b\"\n", 2, "ballot must end with 0"},
		{"Duplicate", "2 1\n1 1 1 0\n0\n\"a\"\n\"b\"\n", 2, "more than once"},
		{"ZeroWeight", "2 1\n0 1 0\n0\n\"a\"\n\"b\"\n", 2, "ballot weight"},
		{"FractionalWeight", "2 1\n1.5 1 0\n0\n\"a\"\n\"b\"\n", 2, "ballot weight \"1.5\""},
		{"SkippedRank", "2 1\n1 - 1 0\n0\n\"a\"\n\"b\"\n", 2, "skipped rank"},
		{"MissingNames", "2 1\n1 1 0\n0\n\"a\"\n", 4, "found 1 candidate names"},
		{"UnclosedQuote", "2 1\n1 1 0\n0\n\"a\n", 4, "not closed"},
		{"NoBallotEnd", "2 1\n1 1 0\n", 2, "file ends before"},
		{"BadWithdrawn", "2 1\n-3\n0\n\"a\"\n\"b\"\n", 2, "withdrawn candidate 3 does not exist"},
		{"UnknownOption", "2 1\n[frobnicate]\n0\n\"a\"\n\"b\"\n", 2, "unsupported option [frobnicate]"},
		{"Undeclared", "2 1\n[undeclared 2]\n0\n\"a\"\n\"b\"\n", 2, "unsupported option [undeclared]"},
		{"BareWord", "2 1\n0\nAnn\n\"b\"\n", 3, "expected a quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadBLT(strings.NewReader(tt.in), "in.blt")
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want *InputError", err)
			}
			if ie.Line != tt.line || !strings.Contains(ie.Msg, tt.msg) || ie.File != "in.blt" {
				t.Errorf("error %q (line %d), want line %d containing %q", err, ie.Line, tt.line, tt.msg)
			}
		})
	}
}

// TestBLTRoundTrip writes every reference BLT file back out and reads it
// again: candidates, withdrawals, tie order and every ballot survive.
func TestBLTRoundTrip(t *testing.T) {
	t.Parallel()
	files := []string{"testdata/small.blt"}
	if dir := needRefdata(t, "droop/test/blt"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*.blt"))
		sc, _ := filepath.Glob(filepath.Join(dir, "*/*.blt"))
		files = append(append(files, more...), sc...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "undeclared.blt") {
			continue // [undeclared] write-ins are refused: see TestReadBLTErrors
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			e := mustReadBLT(t, f)
			assertRoundTrip(t, e)
		})
	}
}

func assertRoundTrip(t *testing.T, e *Election) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteBLT(&buf, e); err != nil {
		t.Fatal(err)
	}
	again, err := ReadBLT(bytes.NewReader(buf.Bytes()), "written.blt")
	if err != nil {
		t.Fatalf("reading written BLT: %v\n%s", err, buf.String())
	}
	if !sameElection(e, again) {
		t.Fatalf("round trip changed the election:\nbefore %+v\nafter  %+v\n%s", e, again, buf.String())
	}
}

func sameElection(a, b *Election) bool {
	if a.Title != b.Title || a.Seats != b.Seats || !slices.Equal(a.Candidates, b.Candidates) ||
		!slices.Equal(a.TieOrder, b.TieOrder) || a.Ballots.Len() != b.Ballots.Len() {
		return false
	}
	wa, wb := a.Withdrawn, b.Withdrawn
	if !slices.Contains(wa, true) {
		wa = nil
	}
	if !slices.Contains(wb, true) {
		wb = nil
	}
	if !slices.Equal(wa, wb) {
		return false
	}
	for i := range a.Ballots.Len() {
		if a.Ballots.Weight(i) != b.Ballots.Weight(i) || !slices.Equal(a.Ballots.Ranking(i), b.Ballots.Ranking(i)) {
			return false
		}
	}
	return true
}

func FuzzReadBLT(f *testing.F) {
	for _, s := range []string{
		"3 2\n4 1 2 0\n2 3 0\n0\n\"Castor\"\n\"Pollux\"\n\"Helen\"\n\"t\"\n",
		"\uFEFF3 2\n-2\n[tie 3 2 1]\n(x) 1 1=2 3 0\n0\n\"a\" \"b\" \"c\" \"t\"\n",
		"3 1\n[nick a b c]\n5 a b 0\n1 b=c 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"eq\"\n",
		"2 1\n1 - 1 0\n0\n",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/small.blt"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := ReadBLT(bytes.NewReader(in), "fuzz.blt")
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("reader accepted an invalid election: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteBLT(&buf, e); err != nil {
			return // names BLT cannot carry (a quote cannot come from BLT)
		}
		again, err := ReadBLT(&buf, "again.blt")
		if err != nil {
			t.Fatalf("re-reading: %v\n%s", err, buf.String())
		}
		if !sameElection(e, again) {
			t.Fatalf("round trip changed the election\n%s", buf.String())
		}
	})
}
