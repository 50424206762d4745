package tally

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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
	// Grouped, in ranking order: "1=2" right after "1 2".
	want := [][][]int{{{0}, {1}}, {{0, 1}}, {{1}, {0}, {2}}, {{2}}, {{3}, {2}}}
	for i, w := range want {
		if got := e.Ballots.Ranks(i); !slices.EqualFunc(got, w, slices.Equal) {
			t.Errorf("group %d read as %v, want %v", i, got, w)
		}
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
		{"OptionAfterBallots", "2 1\n1 1 0\n[tie 2 1]\n0\n\"a\"\n\"b\"\n", 3, "must come before the first ballot"},
		{"LineTooLong", "2 1\n1 1" + strings.Repeat(" ", 17<<20) + "0\n0\n\"a\"\n\"b\"\n", 2, "line longer than 16 MB"},
		// Edge input that used to be read without a word (issue 15).
		{"MoreNamesThanCandidates", "3 1\n1 1 0\n0\n\"a\"\n\"b\"\n\"c\"\n\"d\"\n\"e\"\n", 7,
			"found 4 candidate names and a title; the first line declares 3 candidates, so \"d\" is one too many"},
		{"MoreNamesThanCandidatesTitled", "3 1\n1 1 0\n0\n\"a\" \"b\" \"c\" \"d\"\n\"e\"\n\"Title\"\n", 4, "found 5 candidate names and a title"},
		{"DuplicateName", "3 1\n1 1 0\n0\n\"Ann\"\n\"Bob\"\n\"Ann\"\n\"t\"\n", 6, "candidates 1 and 3 are both named \"Ann\""},
		{"NameNotUTF8", "2 1\n1 1 0\n0\n\"Ann\"\n\"P\xf6llux\"\n\"t\"\n", 5, "candidate 2's name \"P\\xf6llux\" is not valid UTF-8"},
		{"TitleNotUTF8", "2 1\n1 1 0\n0\n\"Ann\"\n\"Bob\"\n\"Z\xfcrich\"\n", 6, "the title \"Z\\xfcrich\" is not valid UTF-8"},
		{"AllWithdrawn", "2 1\n-1\n-2\n1 1 0\n0\n\"a\"\n\"b\"\n", 3, "every candidate is withdrawn"},
		{"AllWithdrawnOption", "3 1\n[withdrawn 1 2 3]\n1 1 0\n0\n\"a\"\n\"b\"\n\"c\"\n", 2, "every candidate is withdrawn"},
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
		// Edge input refused since issue 15, and lines of the fast path.
		"3 1\n1 1 0\n0\n\"a\"\n\"b\"\n\"c\"\n\"d\"\n\"e\"\n",
		"2 1\n1 1 0\n0\n\"Ann\" \"Ann\"\n\"t\"\n",
		"2 1\n1 1 0\n0\n\"Ann\"\n\"Zo\xeb\"\n\"t\"\n",
		"2 1\n-1 -2\n1 1 0\n0\n\"a\"\n\"b\"\n",
		"3 1\n[nick a\"b c d]\n2 a\"b c 0\n1 1 2 3 0\r\n1 1 2 3 0\r\n3 3 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"t\"\nnotes\n1 2 0\n",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/small.blt"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		assertSameReads(t, in, bltOptions{maxTotal: 1 << 42})
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

// Reading options for the tests: tinyBlocks sends every input of more
// than a few bytes through the parallel path, in blocks of a line or two
// split among three workers; smallBlocks in blocks of a kilobyte or so,
// where most lines take the fast path (scanPlain); oneByOne reads every
// line on its own.
var (
	tinyBlocks  = bltOptions{block: 48, minBlock: 8, workers: 3, maxTotal: math.MaxInt64}
	smallBlocks = bltOptions{block: 1024, minBlock: 64, workers: 2, maxTotal: math.MaxInt64}
	oneByOne    = bltOptions{block: 1 << 16, minBlock: math.MaxInt, workers: 1, maxTotal: math.MaxInt64}
)

// assertSameReads reads in line by line and in parallel blocks of two
// sizes, and fails unless all give the same election or the same error.
func assertSameReads(t *testing.T, in []byte, opt bltOptions) {
	t.Helper()
	seq := oneByOne
	seq.maxTotal = opt.maxTotal
	a, errA := readBLT(bytes.NewReader(in), "in.blt", seq)
	for _, blocks := range []bltOptions{tinyBlocks, smallBlocks} {
		blocks.maxTotal = opt.maxTotal
		b, errB := readBLT(bytes.NewReader(in), "in.blt", blocks)
		switch {
		case errA != nil || errB != nil:
			if errA == nil || errB == nil || errA.Error() != errB.Error() {
				t.Fatalf("line by line: %v\nin blocks of %d: %v", errA, blocks.block, errB)
			}
		case !sameElection(a, b) || !slices.Equal(a.Ballots.weights, b.Ballots.weights):
			t.Fatalf("line by line and in blocks of %d read different elections:\n%+v\n%+v", blocks.block, a, b)
		}
	}
}

// TestReadBLTInBlocks: parsing blocks of lines in parallel reads every
// file as reading it line by line does, errors and their lines included.
func TestReadBLTInBlocks(t *testing.T) {
	t.Parallel()
	inputs := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*.blt")
	if dir := needRefdata(t, "droop/test/blt"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*.blt"))
		sc, _ := filepath.Glob(filepath.Join(dir, "*/*.blt"))
		files = append(append(files, more...), sc...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	inputs["factions"] = benchFactionsBLT(5000, 15, 5, 1)
	inputs["factions-crlf"] = bytes.ReplaceAll(benchFactionsBLT(500, 9, 2, 2), []byte("\n"), []byte("\r\n"))
	good := benchFactionsBLT(300, 15, 5, 3)
	end := bytes.Index(good, []byte("\n0\n"))
	for name, bad := range map[string]string{
		"Duplicate": "1 3 4 3 0", "OutOfRange": "1 3 16 0", "Option": "[tie 1 2]",
		"Weight": "0 1 0", "Unterminated": "1 1 2", "Word": "1 one 0", "Withdrawn": "-3",
		"Spaces": " \t 1\t\t2   0 ", "EndSpaced": " 0 \r", "EndNBSP": "\u00a00", "Equal": "1 2=3 0",
	} {
		// The line in the middle of the ballots, and again just before the end.
		inputs[name] = slices.Concat(good[:end/2], []byte("\n"+bad+"\n"), good[end/2:])
		inputs[name+"Late"] = slices.Concat(good[:end+1], []byte(bad+"\n"), good[end+1:])
	}
	tests := []struct {
		name string
		in   string
	}{
		{"Empty", ""}, {"NoEnd", "2 1\n1 1 0\n1 2 0\n"}, {"NoEndNoNewline", "2 1\n1 1 0\n1 2 0"},
		{"BallotsAfterEnd", "2 1\n1 1 0\n1 2 0\n0\n\n\n1 2 0\n2 1 0\n1 1 0\n1 2 0\n2 1 0\n1 1 0\n\n\n\"a\"\n\"b\"\n"},
		{"BlankLinesAfterEnd", "2 1\n1 1 0\n1 2 0\n0\n" + strings.Repeat("\n", 200) + "\"a\"\n\"b\"\n"},
		{"CommentLooksLikeBallots", "2 1\n1 1 0\n0\n\"a\"\n\"b\"\n\"t\"\nnotes:\n1 2 0\n3 1 0\n0\n"},
	}
	for _, tt := range tests {
		inputs[tt.name] = []byte(tt.in)
	}
	for name, in := range inputs {
		t.Run(filepath.Base(name), func(t *testing.T) {
			assertSameReads(t, in, bltOptions{maxTotal: math.MaxInt64})
		})
	}
}

// TestReadBLTTotalOverflow: ballots adding up to more than a count can
// hold are refused at the line that passes the limit, read line by line
// or in blocks. (The real limit, 2^63-1, takes 2^23 lines of the largest
// weight; the test lowers it.)
func TestReadBLTTotalOverflow(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("3 1\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d %d 0\n", 10, i%3+1)
	}
	b.WriteString("0\n\"a\"\n\"b\"\n\"c\"\n")
	in := []byte(b.String())
	for _, limit := range []int64{10, 95, 200, 399, 400} {
		opt := oneByOne
		opt.maxTotal = limit
		_, err := readBLT(bytes.NewReader(in), "in.blt", opt)
		var ie *InputError
		switch {
		case limit == 400 && err != nil:
			t.Errorf("limit 400: %v, want the 400 ballots read", err)
		case limit < 400 && (!errors.As(err, &ie) || ie.Line != int(limit/10)+2 || !strings.Contains(ie.Msg, "add up to more than")):
			t.Errorf("limit %d: error %v, want one at line %d", limit, err, limit/10+2)
		}
		assertSameReads(t, in, opt)
	}
	var big strings.Builder
	big.WriteString("2 1\n")
	for range 3 {
		big.WriteString("1099511627776 1 0\n")
	}
	big.WriteString("0\n\"a\"\n\"b\"\n")
	opt := oneByOne
	opt.maxTotal = 2 << 40
	if _, err := readBLT(strings.NewReader(big.String()), "in.blt", opt); err == nil || !strings.Contains(err.Error(), "in.blt:4: the ballots' weights add up to more than") {
		t.Errorf("error %v, want one at line 4", err)
	}
}

// TestPackedKeys: a ranking's bytes get the same key read eight at a time
// (scanPlain) as one at a time (pack), and different bytes different keys:
// lines share a group by key alone.
func TestPackedKeys(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("0123456789 \t\r\"a=\x80\xff")
	seen := map[packedKey]string{}
	for range 200000 {
		rest := make([]byte, r.IntN(36))
		for i := range rest {
			if r.IntN(4) == 0 {
				rest[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				rest[i] = alphabet[r.IntN(12)]
			}
		}
		piece := slices.Concat([]byte("1 "), rest, []byte("\n"), bytes.Repeat([]byte("x"), 40))
		// The ranking starts after the white space following the weight
		// and ends before "\n" or "\r\n".
		rest = bytes.TrimLeft(bytes.TrimSuffix(rest, []byte("\r")), " \t")
		key, packed := pack(rest)
		wt, got, fastKey, next, ok := scanPlain(piece, 0)
		want := packed && len(rest) > 0
		if ok != want {
			t.Fatalf("%q: scanPlain %v, want %v", rest, ok, want)
		}
		if ok && (wt != 1 || string(got) != string(rest) || fastKey != key || piece[next-1] != '\n') {
			t.Fatalf("%q: scanPlain read %d %q %x next %d; pack %x", rest, wt, got, fastKey, next, key)
		}
		if packed {
			if other, dup := seen[key]; dup && other != string(rest) {
				t.Fatalf("%q and %q share the key %x", rest, other, key)
			}
			seen[key] = string(rest)
		}
	}
}

// TestReadBLTBallotIDs: a line's "(id)" is dropped, and the line read as
// one without it, exactly where the id is one word; otherwise the line is
// read and explained as it always was.
func TestReadBLTBallotIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, err string // err "" if the line is read
	}{
		{"(b1) 2 1 2 0", ""},
		{"(b1)\t\t2 2 0", ""},
		{"(b1) 1 1=2 0", ""},
		{"(b1) 1 1 1 0", "ballot ranks candidate 1 more than once"},
		{"(b1) 1 3 0", "preference 3 is not a candidate"},
		{"(b1) 0 1 0", `ballot weight "0" must be`},
		{"(b1) (b2) 1 1 0", `ballot weight "(b2)" must be`},
		{"(b1)", "ballot has an id but no weight"},
		{"(b1 1 1 0", `ballot id "(b1" must be one word`},
		{"(a\vb) 1 1 0", `ballot id "(a" must be one word`},
		{"(a\u00a0b) 1 1 0", `ballot id "(a" must be one word`},
		{"(é) 1 1 0", ""},
	}
	for _, tt := range tests {
		in := "2 1\n" + tt.line + "\n1 2 0\n0\n\"a\"\n\"b\"\n"
		e, err := ReadBLT(strings.NewReader(in), "in.blt")
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.line, err)
		case tt.err == "" && e.Ballots.Total() != 1+lineWeight([]byte(strings.Fields(tt.line)[1])):
			t.Errorf("%q: %d ballots", tt.line, e.Ballots.Total())
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), "in.blt:2: "+tt.err)):
			t.Errorf("%q: error %v, want line 2: %s", tt.line, err, tt.err)
		}
		assertSameReads(t, []byte(in), bltOptions{maxTotal: math.MaxInt64})
	}
}
