package tally

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxBLTCandidates bounds the candidate count a BLT header may declare, so
// that a corrupt header cannot make the reader allocate without limit.
const maxBLTCandidates = 100000

// ReadBLT reads an election in the BLT format of ERS, OpenSTV and Droop:
//
//	4 2                  candidates and seats
//	-3                   optional: withdrawn candidates as negative numbers
//	[tie 2 1 4 3]        optional Droop options: [tie …], [withdrawn …], [nick …]
//	12 1 2 0             weight, preferences, 0 (an optional "(id)" may lead)
//	3 4 1=2 0            "=" ranks candidates equally (Schulze only)
//	0                    end of ballots
//	"Ann" "Bob" …        one quoted name per candidate
//	"Election title"
//	any free text after the title is a comment and is ignored
//
// name is used in error messages only. A UTF-8 byte-order mark is skipped.
// Anything malformed is refused with an *InputError naming the line and
// what is wrong: skipped ranks ("-") and fractional weights, because no
// method here counts them; more quoted names than the header's candidates
// (besides the title), a name given twice or not valid UTF-8; every
// candidate withdrawn; ballots adding up to more than an int64 holds.
//
// The ballots come back grouped, as Grouped returns them: identical
// rankings merged into one group whose weight is their sum, in ranking
// order; the order of the lines and their ids are not kept. Large inputs
// are read in blocks parsed on all cores (see bltread.go).
func ReadBLT(r io.Reader, name string) (*Election, error) {
	return readBLT(r, name, defaultBLTOptions())
}

func readBLT(r io.Reader, name string, opt bltOptions) (*Election, error) {
	p := bltParser{name: name, opt: opt, in: bltInput{r: r}}
	e, err := p.parse()
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return nil, err
		}
		return nil, &InputError{File: name, Line: p.in.line, Msg: err.Error()}
	}
	return e, nil
}

type bltParser struct {
	name      string
	opt       bltOptions
	in        bltInput
	nick      map[string]int
	e         *Election
	withdrawn int   // candidates withdrawn so far
	total     int64 // ballots so far
}

func (p *bltParser) errf(format string, args ...any) error {
	return &InputError{File: p.name, Line: p.in.line, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next non-blank line, trimmed, or io.EOF.
func (p *bltParser) next() ([]byte, error) {
	for {
		b, ok, err := p.in.nextLine()
		if errors.Is(err, errLineTooLong) {
			p.in.line++
			return nil, p.errf("line longer than 16 MB")
		}
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, io.EOF
		}
		if p.in.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		if b = trimLine(b); len(b) > 0 {
			return b, nil
		}
	}
}

func (p *bltParser) parse() (*Election, error) {
	line, err := p.next()
	if err == io.EOF {
		return nil, &InputError{File: p.name, Msg: "empty file: expected a first line of candidates and seats, such as \"4 2\""}
	}
	if err != nil {
		return nil, err
	}
	f := bytes.Fields(line)
	if len(f) != 2 {
		return nil, p.errf("first line must be two numbers, candidates and seats, such as \"4 2\"; found %q", line)
	}
	nc, err1 := strconv.Atoi(string(f[0]))
	ns, err2 := strconv.Atoi(string(f[1]))
	if err1 != nil || err2 != nil {
		return nil, p.errf("first line must be two numbers, candidates and seats; found %q", line)
	}
	if nc < 1 || nc > maxBLTCandidates {
		return nil, p.errf("%d candidates: must be between 1 and %d", nc, maxBLTCandidates)
	}
	if ns < 1 || ns > nc {
		return nil, p.errf("%d seats for %d candidates: seats must be between 1 and the number of candidates", ns, nc)
	}
	p.e = &Election{Candidates: make([]string, nc), Seats: ns}
	if err := p.ballots(); err != nil {
		return nil, err
	}
	if err := p.names(); err != nil {
		return nil, err
	}
	return p.e, nil
}

func (p *bltParser) withdraw(c int) error {
	n := len(p.e.Candidates)
	if c < 1 || c > n {
		return p.errf("withdrawn candidate %d does not exist (candidates are 1 to %d)", c, n)
	}
	if p.e.Withdrawn == nil {
		p.e.Withdrawn = make([]bool, n)
	}
	if !p.e.Withdrawn[c-1] {
		p.e.Withdrawn[c-1] = true
		if p.withdrawn++; p.withdrawn == n {
			return p.errf("every candidate is withdrawn: there is no one to elect")
		}
	}
	return nil
}

// ballots reads options, withdrawn lines and ballot lines up to the lone 0.
func (p *bltParser) ballots() error {
	var line []byte
	for {
		var err error
		if line, err = p.next(); err != nil {
			return p.ballotsEnd(err)
		}
		if line[0] == '[' {
			if err := p.option(line); err != nil {
				return err
			}
			continue
		}
		if f := bytes.Fields(line); len(f[0]) > 1 && f[0][0] == '-' {
			for _, w := range f {
				c, err := strconv.Atoi(string(w))
				if err != nil || c >= 0 {
					return p.errf("withdrawn line must hold only negative candidate numbers; found %q", w)
				}
				if err := p.withdraw(-c); err != nil {
					return err
				}
			}
			continue
		}
		break
	}
	// The first ballot line (or the closing 0) is in line. From here on,
	// while plenty is buffered, blocks of lines are parsed in parallel;
	// the lines a block stops before (the closing 0, a line with a quote)
	// and a small file's lines are read here, one at a time.
	ws := make([]*bltGroups, max(p.opt.workers, 1))
	for i := range ws {
		ws[i] = newBLTGroups(p)
	}
	for !(len(line) == 1 && line[0] == '0') {
		w := ws[0]
		w.line, w.total = p.in.line, p.total
		if err := w.ballot(line); err != nil {
			return err
		}
		p.total = w.total
		if !p.in.eof && p.in.unread() < p.opt.block/2 {
			if err := p.in.fill(p.opt.block); err != nil {
				return err
			}
		}
		if p.in.unread() >= p.opt.minBlock {
			if err := p.block(ws); err != nil {
				return err
			}
		}
		var err error
		if line, err = p.next(); err != nil {
			return p.ballotsEnd(err)
		}
	}
	p.e.Ballots = mergeGroups(ws)
	return nil
}

func (p *bltParser) ballotsEnd(err error) error {
	if err == io.EOF {
		return p.errf("file ends before the line \"0\" that closes the ballots")
	}
	return err
}

// names reads the quoted candidate names and the title, and checks the
// names: as many as the header declares, each valid UTF-8 and given once.
func (p *bltParser) names() error {
	n := len(p.e.Candidates)
	type quoted struct {
		s    string
		line int
	}
	var got []quoted
	for {
		line, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(got) > n && !allQuoted(line) {
			break // free text after the title is a comment (Droop's cfer cases)
		}
		for len(line) > 0 {
			if line[0] != '"' {
				return p.errf("expected a quoted candidate name or title; found %q", line)
			}
			end := bytes.IndexByte(line[1:], '"')
			if end < 0 {
				return p.errf("quoted string is not closed on its line")
			}
			got = append(got, quoted{string(line[1 : 1+end]), p.in.line})
			line = trimLine(line[2+end:])
		}
	}
	if len(got) < n {
		return p.errf("found %d candidate names; the first line declares %d candidates", len(got), n)
	}
	if len(got) > n+1 {
		// Read as before, the first name too many would become the title
		// and the rest be dropped without a word.
		p.in.line = got[n].line
		return p.errf("found %d candidate names and a title; the first line declares %d candidates, so %q is one too many",
			len(got)-1, n, got[n].s)
	}
	index := make(map[string]int, n)
	for i, q := range got {
		p.in.line = q.line
		if !utf8.ValidString(q.s) {
			what := fmt.Sprintf("candidate %d's name", i+1)
			if i == n {
				what = "the title"
			}
			return p.errf("%s %q is not valid UTF-8: save the file as UTF-8", what, q.s)
		}
		if i == n {
			break
		}
		if j, dup := index[q.s]; dup {
			return p.errf("candidates %d and %d are both named %q: each candidate needs a name of their own", j+1, i+1, q.s)
		}
		index[q.s] = i
		p.e.Candidates[i] = q.s
	}
	if len(got) > n {
		p.e.Title = got[n].s
	}
	return nil
}

// allQuoted reports whether line holds only quoted strings.
func allQuoted(line []byte) bool {
	for len(line) > 0 {
		if line[0] != '"' {
			return false
		}
		end := bytes.IndexByte(line[1:], '"')
		if end < 0 {
			return false
		}
		line = trimLine(line[2+end:])
	}
	return true
}
