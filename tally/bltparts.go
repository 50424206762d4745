package tally

import (
	"bytes"
	"io"
	"strconv"
	"strings"
)

// plainBallot reads a ballot line made only of numbers ("3 1 4 2 0")
// without allocating, the shape of nearly every line in a large file. It
// returns false, nil for anything else, which the general path reads.
func (p *bltParser) plainBallot(line []byte, seen []int) (bool, error) {
	nums := p.nums[:0]
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		v, digits := 0, 0
		for ; i < len(line) && line[i] != ' ' && line[i] != '\t'; i++ {
			c := line[i]
			if c < '0' || c > '9' || digits > 12 {
				return false, nil
			}
			v = v*10 + int(c-'0')
			digits++
		}
		nums = append(nums, v)
	}
	p.nums = nums
	if len(nums) < 2 || nums[0] < 1 || nums[0] > 1<<40 || nums[len(nums)-1] != 0 {
		return false, nil // the general path explains what is wrong
	}
	n := len(p.e.Candidates)
	group := p.e.Ballots.Len() + 1
	prefs := nums[1 : len(nums)-1]
	for _, c := range prefs {
		if c < 1 || c > n {
			return false, nil // before marking seen, so the general path starts clean
		}
	}
	for j, c := range prefs {
		if seen[c-1] == group {
			return false, p.errf("ballot ranks candidate %d more than once", c)
		}
		seen[c-1] = group
		prefs[j] = c - 1
	}
	p.e.Ballots.Add(int64(nums[0]), prefs...)
	return true, nil
}

// candidate reads one preference: a candidate number or a [nick] name.
func (p *bltParser) candidate(tok []byte) (int, error) {
	n := len(p.e.Candidates)
	if len(tok) == 0 {
		return 0, p.errf("empty preference around \"=\"")
	}
	if string(tok) == "-" {
		return 0, p.errf("skipped rank \"-\" is not supported: remove it and close up the ranking")
	}
	if c, ok := p.nick[string(tok)]; ok {
		return c, nil
	}
	c, err := strconv.Atoi(string(tok))
	if err != nil {
		return 0, p.errf("preference %q is not a candidate number", tok)
	}
	if c < 1 || c > n {
		return 0, p.errf("preference %d is not a candidate (candidates are 1 to %d)", c, n)
	}
	return c - 1, nil
}

// option reads one of Droop's bracketed options.
func (p *bltParser) option(line []byte) error {
	if !bytes.HasSuffix(line, []byte("]")) {
		return p.errf("option %q must close with \"]\" on the same line", line)
	}
	f := strings.Fields(string(line[1 : len(line)-1]))
	if len(f) == 0 {
		return p.errf("empty option \"[]\"")
	}
	n := len(p.e.Candidates)
	switch f[0] {
	case "nick":
		if len(f)-1 != n {
			return p.errf("[nick] gives %d nicknames for %d candidates", len(f)-1, n)
		}
		p.nick = make(map[string]int, n)
		for i, nk := range f[1:] {
			if _, dup := p.nick[nk]; dup {
				return p.errf("nickname %q given twice", nk)
			}
			p.nick[nk] = i
		}
	case "tie":
		if len(f)-1 != n {
			return p.errf("[tie] orders %d candidates; there are %d", len(f)-1, n)
		}
		order := make([]int, 0, n)
		used := make([]bool, n)
		for _, t := range f[1:] {
			c, err := p.candidate([]byte(t))
			if err != nil {
				return err
			}
			if used[c] {
				return p.errf("[tie] lists candidate %s twice", t)
			}
			used[c] = true
			order = append(order, c)
		}
		p.e.TieOrder = order
	case "withdrawn":
		for _, t := range f[1:] {
			c, err := p.candidate([]byte(t))
			if err != nil {
				return err
			}
			if err := p.withdraw(c + 1); err != nil {
				return err
			}
		}
	case "droop":
		// Droop's own counting options (rule, arithmetic): the method is
		// chosen by the caller here, so they are ignored.
	default:
		return p.errf("unsupported option [%s]: this reader knows [nick], [tie], [withdrawn] and [droop]", f[0])
	}
	return nil
}

// names reads the quoted candidate names and title.
func (p *bltParser) names() error {
	n := len(p.e.Candidates)
	var got []string
	for {
		line, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(got) > n {
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
			got = append(got, string(line[1:1+end]))
			line = bytes.TrimSpace(line[2+end:])
		}
	}
	if len(got) < n {
		return p.errf("found %d candidate names; the first line declares %d candidates", len(got), n)
	}
	copy(p.e.Candidates, got[:n])
	if len(got) > n {
		p.e.Title = got[n]
	}
	return nil
}
