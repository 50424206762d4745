package tally

import (
	"bytes"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// bltGroups gathers ballot lines into groups. Lines whose rankings are the
// same share a group, found with one hash lookup, so each distinct ranking
// is checked once however often it is cast. Several gather a file's blocks in parallel; their groups are
// merged at the end.
type bltGroups struct {
	name  string         // the file, for errors
	line  int            // the line being read: in the file, or in a block's piece
	n     int            // candidates
	nick  map[string]int // [nick] names; read only
	limit int64          // the most ballots the file may hold
	total int64          // ballots so far (see bltParser.block)

	b      Ballots
	width  int              // bits a candidate number takes
	packed packedGroups     // packed rankings (see pack) → group in b
	keys   map[string]int32 // rankings too long to pack, as bytes → group in b
	seen   []uint32         // seen[c] == stamp: ranked on the line being read
	stamp  uint32
	nums   []int
	ranks  [][]int
}

func newBLTGroups(p *bltParser) *bltGroups {
	n := len(p.e.Candidates)
	return &bltGroups{name: p.name, n: n, nick: p.nick, limit: p.opt.maxTotal,
		width: bits.Len(uint(n)), keys: make(map[string]int32), seen: make([]uint32, n)}
}

func (w *bltGroups) errf(format string, args ...any) error {
	return &InputError{File: w.name, Line: w.line, Msg: fmt.Sprintf(format, args...)}
}

// lines reads the ballot lines of piece, counting lines from 1 at its
// start, and returns how many it read (up to and including a bad one).
func (w *bltGroups) lines(piece []byte) (int, error) {
	w.line = 0
	for len(piece) > 0 {
		line := piece
		if i := bytes.IndexByte(piece, '\n'); i >= 0 {
			line, piece = piece[:i], piece[i+1:]
		} else {
			piece = nil
		}
		w.line++
		if len(line) > bltMaxLine {
			return w.line, w.errf("%s", errLineTooLong)
		}
		if line = trimLine(line); len(line) == 0 {
			continue
		}
		if len(line) == 1 && line[0] == '0' {
			// endCandidate stops every block before such a line.
			return w.line, w.errf("internal error: the line closing the ballots was read as a ballot")
		}
		if err := w.ballot(line); err != nil {
			return w.line, err
		}
	}
	return w.line, nil
}

// ballot reads one trimmed ballot line.
func (w *bltGroups) ballot(line []byte) error {
	if line[0] == '[' {
		return w.errf("option %q must come before the first ballot", line)
	}
	wt, rest, plain := plainWeight(line)
	if !plain {
		g, wt, err := w.general(line)
		if err != nil {
			return err
		}
		return w.add(g, wt)
	}
	// The ranking bytes alone decide whether a line is valid, so a ranking
	// seen before is counted without being read again.
	key, packed := w.pack(rest)
	if packed {
		if s := w.packed.find(key); s != nil {
			if wt > w.limit-w.total {
				return w.errf("%s", overflowMsg(w.limit))
			}
			s.wt += wt
			w.total += wt
			return nil
		}
	} else if g, ok := w.keys[string(rest)]; ok {
		return w.add(g, wt)
	}
	// A ranking not seen before: checked, then counted (a bad line is
	// reported as such even where the total would overflow too).
	g, ok, err := w.plainRanking(rest)
	if err != nil {
		return err
	}
	if !ok {
		if g, _, err = w.general(line); err != nil {
			return err
		}
	}
	if !packed {
		w.keys[string(rest)] = g
		return w.add(g, wt)
	}
	if wt > w.limit-w.total {
		return w.errf("%s", overflowMsg(w.limit))
	}
	w.packed.put(key, g, wt)
	w.total += wt
	return nil
}

// pack reads a ranking of candidate numbers closed by 0 ("3 1 4 2 0") into
// one number, width bits a preference, without checking the candidates.
// It returns false for anything else or anything longer.
func (w *bltGroups) pack(rest []byte) (uint64, bool) {
	var k uint64
	used := 0
	for i := 0; ; {
		v, start := 0, i
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			v = v*10 + int(rest[i]-'0')
		}
		if i == start || i-start > 6 || (i < len(rest) && rest[i] != ' ' && rest[i] != '\t') {
			return 0, false
		}
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		if i == len(rest) {
			return k, v == 0
		}
		if v == 0 || v >= 1<<w.width || used+w.width > 64 {
			return 0, false
		}
		k = k<<w.width | uint64(v)
		used += w.width
	}
}

func (w *bltGroups) add(g int32, wt int64) error {
	if wt > w.limit-w.total {
		return w.errf("%s", overflowMsg(w.limit))
	}
	w.total += wt
	w.b.weights[g] += wt
	return nil
}

func overflowMsg(limit int64) string {
	return fmt.Sprintf("the ballots' weights add up to more than %d, more than a count can hold", limit)
}

// plainWeight reads a leading weight of digits alone, followed by white
// space, and returns it and the ranking after it.
func plainWeight(line []byte) (int64, []byte, bool) {
	var v int64
	i := 0
	for ; i < len(line) && line[i] >= '0' && line[i] <= '9'; i++ {
		if i == 13 {
			return 0, nil, false
		}
		v = v*10 + int64(line[i]-'0')
	}
	if i == 0 || i == len(line) || (line[i] != ' ' && line[i] != '\t') || v < 1 || v > 1<<40 {
		return 0, nil, false
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return v, line[i:], true
}

// lineWeight returns the weight of a ballot line already read.
func lineWeight(line []byte) int64 {
	if wt, _, ok := plainWeight(line); ok {
		return wt
	}
	f := bytes.Fields(line)
	if f[0][0] == '(' {
		f = f[1:]
	}
	wt, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return wt
}

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

// packedGroups is a hash table from packed rankings to groups, open
// addressing with linear probing. A slot holds the key and the weight
// gathered so far, so that counting a line is a multiply and, mostly, one
// cache line; finish adds the weights to the groups.
type packedGroups struct {
	slots []packedSlot
	group []int32 // group of each used slot
	n     int
	shift uint
}

// packedSlot is one ranking's ballots: wt is 0 in an empty slot, as no
// line weighs 0.
type packedSlot struct {
	key uint64
	wt  int64
}

func (t *packedGroups) slot(k uint64) int {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return int(k >> t.shift)
}

// find returns k's slot, or nil.
func (t *packedGroups) find(k uint64) *packedSlot {
	if t.n == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.slot(k); t.slots[i].wt != 0; i = (i + 1) & mask {
		if t.slots[i].key == k {
			return &t.slots[i]
		}
	}
	return nil
}

// put adds a key that find did not find, with its first line's weight.
func (t *packedGroups) put(k uint64, g int32, wt int64) {
	if 2*(t.n+1) > len(t.slots) {
		old, oldGroup := t.slots, t.group
		size := max(2*len(old), 1024)
		t.slots, t.group = make([]packedSlot, size), make([]int32, size)
		t.shift = uint(64 - bits.Len(uint(size-1)))
		t.n = 0
		for i, s := range old {
			if s.wt != 0 {
				t.put(s.key, oldGroup[i], s.wt)
			}
		}
	}
	mask := len(t.slots) - 1
	i := t.slot(k)
	for t.slots[i].wt != 0 {
		i = (i + 1) & mask
	}
	t.slots[i], t.group[i] = packedSlot{k, wt}, g
	t.n++
}

// finish adds the ballots gathered in the table to their groups in b.
func (t *packedGroups) finish(b *Ballots) {
	for i, s := range t.slots {
		if s.wt != 0 {
			b.weights[t.group[i]] += s.wt
		}
	}
}
