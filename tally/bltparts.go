package tally

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// plainRanking reads a ranking made only of numbers ("3 1 4 2 0") without
// allocating, the shape of nearly every line in a large file, and adds it
// as a group of weight 0. It returns false, nil for anything else, which
// general reads.
func (w *bltGroups) plainRanking(rest []byte) (int32, bool, error) {
	nums := w.nums[:0]
	for i := 0; i < len(rest); {
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		if i == len(rest) {
			break
		}
		v, digits := 0, 0
		for ; i < len(rest) && rest[i] != ' ' && rest[i] != '\t'; i++ {
			c := rest[i]
			if c < '0' || c > '9' || digits > 12 {
				return 0, false, nil
			}
			v = v*10 + int(c-'0')
			digits++
		}
		nums = append(nums, v)
	}
	w.nums = nums
	if len(nums) == 0 || nums[len(nums)-1] != 0 {
		return 0, false, nil // general explains what is wrong
	}
	prefs := nums[:len(nums)-1]
	for _, c := range prefs {
		if c < 1 || c > w.n {
			return 0, false, nil
		}
	}
	w.stamp++
	for j, c := range prefs {
		if w.seen[c-1] == w.stamp {
			return 0, false, w.errf("ballot ranks candidate %d more than once", c)
		}
		w.seen[c-1] = w.stamp
		prefs[j] = c - 1
	}
	g := int32(w.b.Len())
	w.reserve(len(prefs))
	w.b.Add(0, prefs...)
	return g, true, nil
}

// general reads a ballot line of any shape (an "(id)" first, "=" for equal
// ranks, [nick] names) and explains what is wrong with a malformed one. It
// adds the ranking as a group of weight 0 and returns the line's weight.
func (w *bltGroups) general(line []byte) (int32, int64, error) {
	f := bytes.Fields(line)
	if f[0][0] == '(' {
		if !bytes.HasSuffix(f[0], []byte(")")) {
			return 0, 0, w.errf("ballot id %q must be one word in parentheses", f[0])
		}
		f = f[1:]
		if len(f) == 0 {
			return 0, 0, w.errf("ballot has an id but no weight")
		}
	}
	wt, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil || wt < 1 || wt > 1<<40 {
		return 0, 0, w.errf("ballot weight %q must be a whole number from 1 to 2^40", f[0])
	}
	if string(f[len(f)-1]) != "0" {
		return 0, 0, w.errf("ballot must end with 0")
	}
	w.ranks = w.ranks[:0]
	w.stamp++
	for _, tok := range f[1 : len(f)-1] {
		var rank []int
		for part := range bytes.SplitSeq(tok, []byte("=")) {
			c, msg := candidateOf(part, w.n, w.nick)
			if msg != "" {
				return 0, 0, w.errf("%s", msg)
			}
			if w.seen[c] == w.stamp {
				return 0, 0, w.errf("ballot ranks candidate %d (%s) more than once", c+1, tok)
			}
			w.seen[c] = w.stamp
			rank = append(rank, c)
		}
		w.ranks = append(w.ranks, rank)
	}
	g := int32(w.b.Len())
	w.reserve(len(f))
	w.b.AddRanks(0, w.ranks)
	return g, wt, nil
}

// candidateOf reads one preference, a candidate number or a [nick] name,
// or says what is wrong with it.
func candidateOf(tok []byte, n int, nick map[string]int) (int, string) {
	if len(tok) == 0 {
		return 0, "empty preference around \"=\""
	}
	if string(tok) == "-" {
		return 0, "skipped rank \"-\" is not supported: remove it and close up the ranking"
	}
	if c, ok := nick[string(tok)]; ok {
		return c, ""
	}
	c, err := strconv.Atoi(string(tok))
	if err != nil {
		return 0, fmt.Sprintf("preference %q is not a candidate number", tok)
	}
	if c < 1 || c > n {
		return 0, fmt.Sprintf("preference %d is not a candidate (candidates are 1 to %d)", c, n)
	}
	return c - 1, ""
}

// candidate reads a preference in an option line.
func (p *bltParser) candidate(tok []byte) (int, error) {
	c, msg := candidateOf(tok, len(p.e.Candidates), p.nick)
	if msg != "" {
		return 0, p.errf("%s", msg)
	}
	return c, nil
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
