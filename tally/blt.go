package tally

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
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
// what is wrong; skipped ranks ("-") and fractional weights are refused
// because no method here counts them.
func ReadBLT(r io.Reader, name string) (*Election, error) {
	p := bltParser{name: name, sc: bufio.NewScanner(r)}
	p.sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	e, err := p.parse()
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return nil, err
		}
		return nil, &InputError{File: name, Line: p.line, Msg: err.Error()}
	}
	return e, nil
}

type bltParser struct {
	name string
	sc   *bufio.Scanner
	line int
	nick map[string]int
	e    *Election
	nums []int // scratch for plainBallot
}

func (p *bltParser) errf(format string, args ...any) error {
	return &InputError{File: p.name, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next non-blank line, trimmed, or io.EOF.
func (p *bltParser) next() ([]byte, error) {
	for p.sc.Scan() {
		p.line++
		b := p.sc.Bytes()
		if p.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		b = bytes.TrimSpace(b)
		if len(b) > 0 {
			return b, nil
		}
	}
	if err := p.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, p.errf("line longer than 16 MB")
		}
		return nil, err
	}
	return nil, io.EOF
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
	p.e.Withdrawn[c-1] = true
	return nil
}

// ballots reads options, withdrawn lines and ballot lines up to the lone 0.
func (p *bltParser) ballots() error {
	n := len(p.e.Candidates)
	seen := make([]int, n)
	var ranks [][]int
	started := false
	for {
		line, err := p.next()
		if err == io.EOF {
			return p.errf("file ends before the line \"0\" that closes the ballots")
		}
		if err != nil {
			return err
		}
		if line[0] == '[' {
			if started {
				return p.errf("option %q must come before the first ballot", line)
			}
			if err := p.option(line); err != nil {
				return err
			}
			continue
		}
		if line[0] >= '1' && line[0] <= '9' {
			started = true
			if ok, err := p.plainBallot(line, seen); ok || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		f := bytes.Fields(line)
		if len(f[0]) > 1 && f[0][0] == '-' && !started {
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
		if len(f) == 1 && string(f[0]) == "0" {
			return nil
		}
		started = true
		if f[0][0] == '(' {
			if !bytes.HasSuffix(f[0], []byte(")")) {
				return p.errf("ballot id %q must be one word in parentheses", f[0])
			}
			f = f[1:]
			if len(f) == 0 {
				return p.errf("ballot has an id but no weight")
			}
		}
		w, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil || w < 1 || w > 1<<40 {
			return p.errf("ballot weight %q must be a whole number from 1 to 2^40", f[0])
		}
		if string(f[len(f)-1]) != "0" {
			return p.errf("ballot must end with 0")
		}
		ranks = ranks[:0]
		group := p.e.Ballots.Len() + 1
		for _, tok := range f[1 : len(f)-1] {
			var rank []int
			for part := range bytes.SplitSeq(tok, []byte("=")) {
				c, err := p.candidate(part)
				if err != nil {
					return err
				}
				if seen[c] == group {
					return p.errf("ballot ranks candidate %d (%s) more than once", c+1, tok)
				}
				seen[c] = group
				rank = append(rank, c)
			}
			ranks = append(ranks, rank)
		}
		p.e.Ballots.AddRanks(w, ranks)
	}
}
